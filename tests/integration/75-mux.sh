#!/bin/bash
# Connection sharing.  xssh as a client of masters started by the
# installed OpenSSH (ssh -M): sessions, stdin/stdout/stderr and exit
# status through the master with no new login, -O check/exit/stop with
# ssh's messages, absent and stale sockets, ControlPath tokens, and chains
# whose jump hosts have masters (the hops up to the last such jump are
# not logged into again).  Then xssh as the master (-M, ControlMaster
# auto, ControlPersist), with ssh and xssh as its clients, also as a
# jump's master for ssh's ProxyJump.  Messages are compared with ssh 9.2
# run the same way; with XSSH=/usr/bin/ssh every check not marked as
# xssh's own passes too.
. "$(dirname "$0")/../lib.sh"

lab_start mux alpha bravo charlie delta
ALL="alpha bravo charlie delta"
SSH=/usr/bin/ssh
CFG=$LAB/ssh_config

# The lab's config with ControlPath for alpha and bravo: masters for jumps.
lab_variant "$T/jumps.a" alpha "ControlPath $T/cm-%n" &&
    awk -v p="$T/cm-%n" '{ print } $1 == "Host" && $2 == "bravo" {
	print "    ControlPath " p }' "$T/jumps.a" >"$T/jumps.conf" ||
	fail setup "no config variant"

# master_pid PATH HOST [CONFIG]: the pid of the master at PATH, by ssh.
master_pid() {
	"$SSH" -F "${3:-$CFG}" -O check -S "$1" "$2" 2>&1 |
	    sed -n 's/^Master running (pid=\([0-9]*\)).*/\1/p'
}

# start_master PATH HOST [CONFIG]: an OpenSSH master, killed at exit.
start_master() {
	local pid
	"$SSH" -F "${3:-$CFG}" -M -S "$1" -o ControlPersist=yes -f -N "$2" ||
		{ fail "master-$2" "ssh -M failed"; return 1; }
	pid=$(master_pid "$@")
	[ -n "$pid" ] || { fail "master-$2" "no pid"; return 1; }
	at_exit "kill $pid"
	echo "$pid"
}

MPID=$(start_master "$T/ctl" delta) || exit 1
echo "# master for delta: pid $MPID"

# ssh ends the lines of its log with CR LF, xssh (as its own log does)
# with LF: the messages compared below are ssh's with the CRs removed.
nocr() { printf '%s' "${1//$'\r'/}"; }
ssh_msg() { "$SSH" "$@" 2>&1 >/dev/null </dev/null | tr -d '\r'; }

# ------------------------------------------------ -O check
# "Master running" is no log line: CR LF in both.
run_lab -O check -S "$T/ctl" delta
ssh_err=$("$SSH" -F "$CFG" -O check -S "$T/ctl" delta 2>&1)
expect_run check-exit 0 ""
expect_eq check-message "$ERR" "Master running (pid=$MPID)"$'\r'
expect_eq check-same-as-ssh "$ERR" "$ssh_err"

# ------------------------------------------------ sessions through it
snap
run_lab -S "$T/ctl" delta 'echo hi; exit 3'
expect_run session-status 3 hi
logins_are session-no-new-login

snap
run_lab -S "$T/ctl" delta cat <<<data
expect_run session-stdin 0 data
head -c $((3 * 1024 * 1024 + 7)) /dev/urandom >"$T/big"
run_lab -S "$T/ctl" delta 'sha256sum | cut -d" " -f1' <"$T/big"
expect_run session-stdin-3MiB 0 "$(sha256sum <"$T/big" | cut -d' ' -f1)"
run_lab -S "$T/ctl" delta 'echo out; echo err >&2; exit 0'
expect_run session-stderr-exit 0 out
expect_eq session-stderr "$ERR" err
run_lab -n -S "$T/ctl" delta 'wc -c' </dev/zero
expect_run session-n-devnull 0 0
logins_are sessions-no-new-login

# A pseudo-terminal when forced, and ssh's closing line.  (The master
# sets the remote terminal's modes from our stdin, not a terminal here:
# no CR is added, with ssh as well.)
run_lab -tt -S "$T/ctl" delta 'tty >/dev/null && echo tty; exit 4' </dev/null
expect_run session-tty 4 tty
expect_match session-tty-closed "$ERR" "Shared connection to 127.0.0.1 closed."

# A signal ends the client with 255 (the master closes the session).
run_lab -S "$T/ctl" delta 'sleep 20' &
bg=$!
for i in $(seq 50); do
	pgrep -f "xssh.*$T/ctl delta sleep 20" >/dev/null && break
	sleep 0.1
done
sleep 0.5
t0=$(date +%s)
pkill -TERM -f "^$XSSH .*$T/ctl delta sleep 20"
wait "$bg"
check session-signal-ends-it test $(($(date +%s) - t0)) -lt 10
# (run_lab ran in a subshell: its RC is not ours to see.)

# On a terminal (tmux): the remote pty has our size, the line discipline
# is raw while the session runs and restored after; ssh's closing line.
if ! command -v tmux >/dev/null; then
	skip tty-session "no tmux"
else
	tmux_setup mux
	cat >"$T/tty.sh" <<-EOF
	#!/bin/bash
	export HOME=$HOME
	$XSSH -F $CFG -S $T/ctl delta
	echo "EXIT=\$? \$(stty -a | grep -o -- '-\{0,1\}icanon' | head -1)"
	sleep 30
	EOF
	chmod +x "$T/tty.sh"
	tmux -L "$TMUX_SOCK" new-session -d -s mux -x 111 -y 33 "$T/tty.sh"
	tmux -L "$TMUX_SOCK" send-keys -t mux -l 'stty size; tty | sed s/^/TTY=/; exit 6'
	tmux -L "$TMUX_SOCK" send-keys -t mux Enter
	if wait_pane '^EXIT='; then
		SCREEN=$(pane)
		expect_match tty-size "$SCREEN" $'(^|\n)33 111'
		expect_match tty-is-pty "$SCREEN" 'TTY=/dev/pts/'
		expect_match tty-closed "$SCREEN" 'Shared connection to 127.0.0.1 closed.'
		expect_match tty-exit-and-restored "$SCREEN" 'EXIT=6 icanon'
	else
		fail tty-session "no end: $(pane | tail -5)"
	fi
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
fi

# -W through the master: the forward is the master's.
snap
run_lab -S "$T/ctl" -W "127.0.0.1:$(lab_port bravo)" delta </dev/null
expect_match stdio-forward-banner "$OUT" '^SSH-2.0-OpenSSH'
logins_are stdio-forward-no-login

# ControlPath from -o with ControlMaster auto finds the same master.
snap
run_lab -o ControlMaster=auto -o "ControlPath=$T/ctl" delta 'echo auto'
expect_run controlpath-auto 0 auto
logins_are controlpath-auto-no-login

# ------------------------------------------------ no master
run_lab -O check -S "$T/absent" delta
ssh_err=$(ssh_msg -F "$CFG" -O check -S "$T/absent" delta)
expect_run check-absent-exit 255 ""
expect_eq check-absent-message "$(nocr "$ERR")" \
    "Control socket connect($T/absent): No such file or directory"
expect_eq check-absent-same-as-ssh "$(nocr "$ERR")" "$ssh_err"

run_lab -O check delta
ssh_err=$(ssh_msg -F "$CFG" -O check delta)
expect_run check-no-controlpath-exit 255 ""
expect_eq check-no-controlpath-same-as-ssh "$(nocr "$ERR")" "$ssh_err"

run_lab -O bogus -S "$T/ctl" delta
expect_run bad-command-exit 255 ""
expect_match bad-command-message "$ERR" "Invalid multiplex command."

# An absent socket: a normal connection, silently.
snap
run_lab -S "$T/absent" delta echo direct
expect_run absent-falls-back 0 direct
expect_eq absent-quiet "$ERR" ""
logins_are absent-logs-in delta

# A stale socket (bound, nobody listening): ssh's complaint, then a
# normal connection; under ControlMaster auto it is removed instead.
python3 -c "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" \
    "$T/stale"
snap
run_lab -S "$T/stale" delta echo direct
ssh_err=$(ssh_msg -F "$CFG" -S "$T/stale" delta true)
expect_run stale-falls-back 0 direct
expect_eq stale-message "$(nocr "$ERR")" \
    "Control socket connect($T/stale): Connection refused"
expect_eq stale-same-as-ssh "$(nocr "$ERR")" "$ssh_err"
snap
run_lab -o ControlMaster=auto -S "$T/stale" delta echo direct
expect_run stale-auto-falls-back 0 direct
check stale-auto-unlinked test ! -e "$T/stale"
logins_are stale-auto-logs-in delta

# ------------------------------------------------ ControlPath tokens
# Each token expanded as ssh expands it: the path is in the message.
# (%d is left out: xssh takes $HOME first, ssh the password database.)
for tok in %h %p %r %n %C %L %l %i %u '${XSSH_MUX_VAR}' %%; do
	export XSSH_MUX_VAR=var
	run_lab -O check -o "ControlPath=$T/t-$tok" delta
	ssh_err=$(ssh_msg -F "$CFG" -O check -o "ControlPath=$T/t-$tok" delta)
	expect_eq "token-$tok" "$(nocr "$ERR")" "$ssh_err"
done
# And a master found through tokens: the path of the master above.
ln -s "$T/ctl" "$T/delta-root-$(lab_port delta)"
snap
run_lab -o "ControlPath=$T/%n-%r-%p" delta 'echo tokens'
expect_run token-path-master 0 tokens
logins_are token-path-no-login

# ------------------------------------------------ refusals
if xssh_only mux-refusals; then
	snap
	run_lab -MM -S "$T/new" delta echo never
	expect_one_line ask-refused
	expect_match ask-refused-says "$ERR" "ControlMaster ask"
	run_lab -O forward -S "$T/ctl" delta
	expect_one_line forward-refused
	logins_are refusals-no-login
fi

# ------------------------------------------------ jumps with masters
APID=$(start_master "$T/cm-alpha" alpha "$T/jumps.conf") || exit 1
snap
run_x -F "$T/jumps.conf" -J alpha,bravo charlie 'echo chain; exit 7'
expect_run jump-master-chain 7 chain
logins_are jump-master-logins bravo charlie

# ssh itself does the same with these masters (the test's premise).
snap
"$SSH" -F "$T/jumps.conf" -J alpha,bravo charlie true </dev/null
logins_are jump-master-logins-ssh bravo charlie

if xssh_only jump-master-verbose; then
	run_x -v -F "$T/jumps.conf" -J alpha,bravo charlie true
	expect_match jump-master-verbose "$ERR" \
	    "hop 1/3 alpha: using the shared connection of the master at $T/cm-alpha \\(pid $APID\\)"
	run_x -F "$T/jumps.conf" --test-chain -J alpha,bravo charlie
	expect_match test-chain-shared "$OUT" \
	    "hop 1/3 alpha \\(127.0.0.1:$(lab_port alpha)\\): shared connection of the master at $T/cm-alpha"
	expect_match test-chain-stdio "$OUT" \
	    "hop 2/3 bravo \\([^)]*\\): master's stdio forward"
fi

# The last jump with a master wins: the hops before it are not touched.
BPID=$(start_master "$T/cm-bravo" bravo "$T/jumps.conf") || exit 1
snap
run_x -F "$T/jumps.conf" -J alpha,bravo,charlie delta 'echo three'
expect_run last-jump-master 0 three
logins_are last-jump-master-logins charlie delta

# The master cannot reach the next hop: the hop after it fails, named.
DEAD=$(free_port)
run_x -F "$T/jumps.conf" -J alpha -p "$DEAD" 127.0.0.1 echo never
expect_hop_error jump-master-dead-next 2 2 127.0.0.1

# ------------------------------------------------ stop and exit
run_lab -O stop -S "$T/cm-bravo" bravo
expect_run stop-exit 0 ""
expect_eq stop-message "$ERR" "Stop listening request sent."$'\r'
check stop-removed-socket test ! -e "$T/cm-bravo"
kill "$BPID"

run_lab -O exit -S "$T/ctl" delta
expect_run exit-exit 0 ""
expect_eq exit-message "$ERR" "Exit request sent."$'\r'
for i in $(seq 50); do kill -0 "$MPID" 2>/dev/null || break; sleep 0.1; done
check exit-master-gone eval "! kill -0 $MPID 2>/dev/null"
run_lab -q -O exit -S "$T/cm-alpha" alpha
expect_run exit-quiet 0 ""
expect_eq exit-quiet-message "$ERR" ""

# ================================================ xssh as the master
# (ssh and xssh as its clients.)  X_TIMEOUT: a master that kept the
# client's stdout open would hang run_x, not the test.

# wait_gone PID PATH: the master exits and its socket goes, within 10 s.
wait_gone() {
	local i
	for i in $(seq 100); do
		kill -0 "$1" 2>/dev/null || [ -e "$2" ] || return 0
		sleep 0.1
	done
	return 1
}

snap
run_lab -M -S "$T/xm" -o ControlPersist=yes delta 'echo first; exit 2'
expect_run xmaster-own-session 2 first
logins_are xmaster-one-login delta
XPID=$(master_pid "$T/xm" delta)
check xmaster-check-by-ssh test -n "$XPID"
[ -n "$XPID" ] && at_exit "kill $XPID"
check xmaster-is-xssh test "$(readlink -f "/proc/${XPID:-0}/exe")" = \
    "$(readlink -f "$XSSH")"

snap
"$SSH" -F "$CFG" -S "$T/xm" delta 'echo via-ssh; echo err >&2; exit 4' \
    >"$T/o" 2>"$T/e" </dev/null
expect_eq xmaster-ssh-status "$? $(cat "$T/o") $(cat "$T/e")" "4 via-ssh err"
"$SSH" -F "$CFG" -S "$T/xm" delta 'sha256sum | cut -d" " -f1' <"$T/big" >"$T/o"
expect_eq xmaster-ssh-stdin-3MiB "$(cat "$T/o")" \
    "$(sha256sum <"$T/big" | cut -d' ' -f1)"
"$SSH" -F "$CFG" -S "$T/xm" -tt delta 'tty; exit 5' </dev/null >"$T/o" 2>"$T/e"
expect_eq xmaster-ssh-tty "$? $(grep -c /dev/pts/ "$T/o")" "5 1"
"$SSH" -F "$CFG" -S "$T/xm" -W "127.0.0.1:$(lab_port bravo)" delta \
    </dev/null 2>/dev/null | head -c 7 >"$T/o"
expect_eq xmaster-ssh-stdio-forward "$(cat "$T/o")" "SSH-2.0"
run_lab -S "$T/xm" delta 'echo via-xssh; exit 6'
expect_run xmaster-xssh-client 6 via-xssh
logins_are xmaster-clients-no-login

# On a terminal: the pty follows the client's window (SIGWINCH relayed
# by the client to the master, which resizes the remote pty).
if command -v tmux >/dev/null; then
	cat >"$T/tty2.sh" <<-EOF
	#!/bin/bash
	export HOME=$HOME
	$XSSH -F $CFG -S $T/xm delta
	echo "EXIT=\$?"
	sleep 30
	EOF
	chmod +x "$T/tty2.sh"
	tmux -L "$TMUX_SOCK" new-session -d -s mux -x 100 -y 30 "$T/tty2.sh"
	tmux -L "$TMUX_SOCK" send-keys -t mux -l 'stty size | sed s/^/A=/'
	tmux -L "$TMUX_SOCK" send-keys -t mux Enter
	wait_pane '^A=[0-9]' || true
	tmux -L "$TMUX_SOCK" resize-window -t mux -x 90 -y 25
	sleep 0.5
	tmux -L "$TMUX_SOCK" send-keys -t mux -l 'stty size | sed s/^/B=/; exit 3'
	tmux -L "$TMUX_SOCK" send-keys -t mux Enter
	if wait_pane '^EXIT='; then
		SCREEN=$(pane)
		expect_match xmaster-tty-size "$SCREEN" $'(^|\n)A=30 100'
		expect_match xmaster-tty-resized "$SCREEN" $'(^|\n)B=25 90'
		expect_match xmaster-tty-exit "$SCREEN" 'EXIT=3'
	else
		fail xmaster-tty "no end: $(pane | tail -5)"
	fi
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
fi

run_lab -O stop -S "$T/xm" delta
expect_eq xmaster-stop "$RC $ERR" "0 Stop listening request sent."$'\r'
check xmaster-stop-ends-it wait_gone "$XPID" "$T/xm"

# Without ControlPersist the master ends with its own session.
run_lab -M -S "$T/xm2" delta 'echo once'
expect_run xmaster-no-persist 0 once
check xmaster-no-persist-gone test ! -e "$T/xm2"

# ControlMaster auto and ControlPersist from the config: the first run
# becomes the master, the next use it, and it goes when idle.
lab_variant "$T/auto.conf" delta "ControlMaster auto" \
    "ControlPath $T/auto-%n" "ControlPersist 2" || fail auto-conf
snap
run_x -F "$T/auto.conf" delta 'echo one'
expect_run xmaster-auto-first 0 one
APID2=$(master_pid "$T/auto-delta" delta)
[ -n "$APID2" ] && at_exit "kill $APID2"
run_x -F "$T/auto.conf" delta 'echo two'
expect_run xmaster-auto-second 0 two
logins_are xmaster-auto-one-login delta
check xmaster-persist-timeout wait_gone "${APID2:-0}" "$T/auto-delta"

# A jump's master made by xssh, used by ssh's and xssh's ProxyJump.
lab_variant "$T/xj.conf" alpha "ControlPath $T/xj-%n" || fail xj-conf
snap
run_x -F "$T/xj.conf" -M -o ControlPersist=yes alpha true
expect_run xmaster-jump-start 0 ""
JPID=$(master_pid "$T/xj-alpha" alpha "$T/xj.conf")
[ -n "$JPID" ] && at_exit "kill $JPID"
logins_are xmaster-jump-one-login alpha
snap
"$SSH" -F "$T/xj.conf" -J alpha,bravo charlie 'echo by-ssh' >"$T/o" </dev/null
expect_eq xmaster-jump-ssh "$(cat "$T/o")" by-ssh
logins_are xmaster-jump-ssh-logins bravo charlie
snap
run_x -F "$T/xj.conf" -J alpha,bravo charlie 'echo by-xssh'
expect_run xmaster-jump-xssh 0 by-xssh
logins_are xmaster-jump-xssh-logins bravo charlie
"$SSH" -F "$T/xj.conf" -O exit alpha 2>/dev/null
check xmaster-exit-by-ssh wait_gone "${JPID:-0}" "$T/xj-alpha"

# A master whose own connection goes through a jump: its relay thread
# lives in the master, and clients reach the destination with no login.
snap
run_lab -M -S "$T/xm4" -o ControlPersist=yes -J alpha,bravo delta true
expect_run xmaster-chain-start 0 ""
logins_are xmaster-chain-logins alpha bravo delta
CPID=$(master_pid "$T/xm4" delta)
[ -n "$CPID" ] && at_exit "kill $CPID"
snap
"$SSH" -F "$CFG" -S "$T/xm4" delta 'echo through; exit 9' >"$T/o" </dev/null
expect_eq xmaster-chain-client "$? $(cat "$T/o")" "9 through"
run_lab -S "$T/xm4" delta 'cat' <"$T/big"
expect_eq xmaster-chain-client-3MiB "$RC $(sha256sum <"$OUTF")" \
    "0 $(sha256sum <"$T/big")"
logins_are xmaster-chain-no-login
run_lab -O exit -S "$T/xm4" delta
expect_eq xmaster-chain-exit "$RC $ERR" "0 Exit request sent."$'\r'
check xmaster-chain-gone wait_gone "${CPID:-0}" "$T/xm4"

# Failing to connect: the master's error, no socket left behind.
DEAD=$(free_port)
run_lab -M -S "$T/xm3" -p "$DEAD" delta true
expect_run xmaster-connect-fails 255 ""
expect_match xmaster-connect-fails-says "$ERR" "Connection refused"
check xmaster-connect-fails-no-socket test ! -e "$T/xm3"

# The path taken (a file there): ssh's message, and no sharing.
touch "$T/taken"
snap
run_lab -M -S "$T/taken" delta 'echo unshared'
logins_are xmaster-path-taken-logins delta
ssh_err=$(ssh_msg -F "$CFG" -M -S "$T/taken" delta true)
expect_run xmaster-path-taken 0 unshared
expect_eq xmaster-path-taken-same-as-ssh "$(nocr "$ERR")" "$ssh_err"

# -M -f -N, the usual way to start a master: the client returns once the
# master is up, clients use it without a login, -O exit ends it.
if xssh_only xmaster-f-N; then
	rm -f "$T/xm5"
	run_lab -M -S "$T/xm5" -f -N delta
	expect_run xmaster-f-N 0 ""
	snap
	run_lab -S "$T/xm5" delta 'echo through-f-N'
	expect_run xmaster-f-N-serves 0 through-f-N
	logins_are xmaster-f-N-no-login
	run_lab -O exit -S "$T/xm5" delta
	expect_run xmaster-f-N-exit 0 ""
	for i in $(seq 50); do [ -e "$T/xm5" ] || break; sleep 0.1; done
	check xmaster-f-N-gone test ! -e "$T/xm5"
fi
