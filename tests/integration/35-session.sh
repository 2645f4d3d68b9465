#!/bin/bash
# The remote side of a session and scripting fidelity: SendEnv and SetEnv,
# RemoteCommand with tokens, SessionType subsystem, LocalCommand, -f,
# -e, signals and pipelines, and a slow local reader that must slow the
# remote writer through a jump instead of growing memory.  Passes with
# XSSH=/usr/bin/ssh (ssh ends some messages with CR, stripped here).
. "$(dirname "$0")/../lib.sh"

lab_start sess jump 'target:sshd=AcceptEnv=XTEST_*:sshd=Subsystem=xtest /bin/cat' plain
PT=$(lab_port target)

# ------------------------------------------------------------ environment
export XTEST_A=one XTEST_B=two OTHER_X=three
run_lab -J jump -o SendEnv=XTEST_* target \
    'echo "${XTEST_A-unset} ${XTEST_B-unset} ${OTHER_X-unset}"'
expect_run sendenv-pattern 0 "one two unset"
# "-PATTERN" takes back what an earlier SendEnv gave.
run_lab -J jump -o SendEnv=XTEST_A -o SendEnv=XTEST_B -o SendEnv=-XTEST_B target \
    'echo "${XTEST_A-unset} ${XTEST_B-unset}"'
expect_run sendenv-minus 0 "one unset"
run_lab -J jump -o 'SetEnv=XTEST_C=hello XTEST_D="a b"' target \
    'echo "$XTEST_C|$XTEST_D"'
expect_run setenv 0 "hello|a b"
# A server without AcceptEnv refuses quietly: the command still runs.
run_lab -o SendEnv=XTEST_* -o SetEnv=XTEST_C=x plain \
    'echo "${XTEST_A-unset} ${XTEST_C-unset}"'
expect_run env-refused-quietly 0 "unset unset"
expect_eq env-refused-no-stderr "$ERR" ""
unset XTEST_A XTEST_B OTHER_X

# ------------------------------------------------------------ RemoteCommand
lab_variant "$T/rc.conf" target 'RemoteCommand echo "rc %n %h %p %r"'
run_x -F "$T/rc.conf" -J jump target
expect_run remotecommand-tokens 0 "rc target 127.0.0.1 $PT root"
# A command line and a RemoteCommand: ssh refuses both.
run_x -F "$T/rc.conf" -J jump target echo cli
expect_run remotecommand-and-cli 255 ""
expect_eq remotecommand-and-cli-says "${ERR%$'\r'}" \
    "Cannot execute command-line and remote command."
# RemoteCommand means no pty by default, as a command does.
run_x -F "$T/rc.conf" -o 'RemoteCommand test -t 0 && echo tty || echo notty' target
expect_run remotecommand-no-pty 0 notty

# ------------------------------------------------------------ subsystems
run_lab -s -J jump target xtest < <(echo through-subsystem)
expect_run subsystem-s 0 through-subsystem
run_lab -o SessionType=subsystem target xtest < <(echo session-type)
expect_run sessiontype-subsystem 0 session-type
run_lab -s target nosuch </dev/null
expect_run subsystem-refused 255
expect_match subsystem-refused-says "$ERR" "subsystem request failed"

# ------------------------------------------------------------ LocalCommand
run_lab -J jump -o PermitLocalCommand=yes \
    -o "LocalCommand echo local %n %p %r" target echo remote
expect_run localcommand 0 "local target $PT root"$'\n'remote
run_lab -J jump -o "LocalCommand echo local" target echo remote
expect_run localcommand-not-permitted 0 remote

# ------------------------------------------------------------ -f
run_lab -f target
expect_run fork-needs-command 255 ""
expect_eq fork-needs-command-says "${ERR%$'\r'}" \
    "Cannot fork into background without a command to execute."
# The client returns once the chain is up; the command goes on behind.
run_lab -f -J jump target "sleep 2; echo late >$T/forked"
expect_run fork-returns 0 ""
if [ -e "$T/forked" ]; then
	fail fork-background "the command had ended before the client returned"
else
	ok fork-background
fi
for i in $(seq 100); do [ -s "$T/forked" ] && break; sleep 0.1; done
expect_eq fork-command-ran "$(cat "$T/forked" 2>/dev/null)" late
# A failure before the fork is the client's failure, with its status.
run_x -F "$LAB/ssh_config" -f -o Port="$(free_port)" target true
expect_run fork-connect-fails 255 ""
expect_match fork-connect-fails-says "$ERR" "Connection refused"

# ------------------------------------------------------------ -e
run_lab -e xx target true
expect_run escape-bad 255 ""
expect_eq escape-bad-says "${ERR%$'\r'}" "Bad escape character 'xx'."
run_lab -e none -e ^A target echo ok
expect_run escape-none 0 ok

# ------------------------------------------------------------ pipelines
# xssh host yes | head -1: ends at once, with ssh's 255.
out=$(set -o pipefail; timeout 20 "$XSSH" -F "$LAB/ssh_config" -J jump target yes | head -1)
rc=$?
expect_eq pipe-head-1 "$out" y
expect_eq pipe-head-1-status "$rc" 255

# ------------------------------------------------------------ signals
# sig_case NAME SIGNAL: the client, running a long remote command through a
# jump, gets SIGNAL; it must end with ssh's status and leave nothing behind.
sig_case() {
	local name=$1 sig=$2 pid rc i
	(trap - INT; exec "$XSSH" -F "$LAB/ssh_config" -J jump target \
	    "echo started; sleep 30") >"$T/sig.out" 2>&1 &
	pid=$!
	for i in $(seq 100); do grep -q started "$T/sig.out" && break; sleep 0.1; done
	kill -s "$sig" "$pid"
	for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid"
		fail "$name" "still running 10 s after SIG$sig"
	fi
	wait "$pid"
	rc=$?
	expect_eq "$name" "$rc" 255
}
sig_case signal-term TERM
sig_case signal-hup HUP
sig_case signal-int INT
run_lab -J jump target 'kill -USR1 $$'
expect_run remote-signal 255 ""

# ------------------------------------------------------------ a slow reader
# 1 GiB through the jump to a reader that stops for a second after each of
# the first 256 MiB chunks: the client's peak memory must stay bounded
# (flow control through every hop), and every byte must arrive.
cat >"$T/slow.py" <<'EOF'
import os, sys, time
pid, path = sys.argv[1], sys.argv[2]
total, mark = 0, 256 << 20
hwm = 0
def peak():
    try:
        for l in open("/proc/%s/status" % pid):
            if l.startswith("VmHWM:"):
                return int(l.split()[1])
    except OSError:
        pass
    return 0
with open(path, "rb", buffering=0) as f:
    while True:
        b = f.read(1 << 20)
        if not b:
            break
        total += len(b)
        if total >= mark and total - len(b) < mark:
            if mark <= (768 << 20):
                time.sleep(1)
            mark += 256 << 20
        if total > (1000 << 20) and hwm == 0:
            hwm = peak()
print(total, hwm)
EOF
mkfifo "$T/big"
"$XSSH" -F "$LAB/ssh_config" -J jump target 'head -c 1073741824 /dev/zero' >"$T/big" &
xpid=$!
read -r got hwm < <(timeout 300 python3 "$T/slow.py" "$xpid" "$T/big")
wait "$xpid"
rc=$?
expect_eq slow-reader-bytes "$got" 1073741824
expect_eq slow-reader-status "$rc" 0
# Under AddressSanitizer freed memory sits in a quarantine of up to 256 MiB.
limit=$((64 * 1024))
[ -n "${ASAN_OPTIONS-}" ] && limit=$((640 * 1024))
if [ "${hwm:-0}" -gt 0 ] && [ "$hwm" -lt "$limit" ]; then
	ok slow-reader-memory
else
	fail slow-reader-memory "peak RSS ${hwm:-?} KiB, limit $limit KiB"
fi
echo "# slow reader: 1 GiB through a jump, client peak RSS ${hwm:-?} KiB"
