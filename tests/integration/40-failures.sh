#!/bin/bash
# The failure matrix of the chain -J alpha,bravo charlie: for each hop,
# (1) port refused, (2) host key changed, (3) authentication refused,
# (4) the hop before refuses the channel (direct-tcpip), (5) a silent
# server.  Each failure must exit 255.
#
# Checks named *-names-hop need xssh: its one message names the hop as
# "hop I/3 NAME"; OpenSSH does not say which hop failed (they are skipped
# when XSSH is OpenSSH's ssh).  Checks named *-says-why look for the kind
# of failure in stderr, in words both clients use.
. "$(dirname "$0")/../lib.sh"

# nofwd: AllowTcpForwarding no; silent: an sshd we stop with SIGSTOP, so
# the kernel accepts TCP connections that never get a banner.
lab_start fail alpha bravo charlie nofwd:noforward silent
SILENT_PID=$(lab_pid silent)
kill -STOP "$SILENT_PID"		# xssh-lab stop sends CONT after TERM
DEAD=$(free_port)
HOPS=(alpha bravo charlie)

# The unbroken chain works, so every failure below comes from the change.
run_lab -J alpha,bravo charlie echo fine
expect_run chain-works 0 fine

# run_case NAME I KIND-REGEX CONFIG-LINE...: put CONFIG-LINEs into the
# block of the hop I (1-3) or, with a "before:" prefix on I, of the hop
# before it; run the chain; expect 255, the kind of failure, and the hop.
run_case() {
	local name=$1 i=$2 why=$3 block
	shift 3
	if [[ $i == before:* ]]; then
		i=${i#before:}
		block=${HOPS[$((i - 2))]}
	else
		block=${HOPS[$((i - 1))]}
	fi
	lab_variant "$T/$name.conf" "$block" "$@" || { fail "$name" "no config"; return; }
	run_x -F "$T/$name.conf" -J alpha,bravo charlie echo never
	if [ "$RC" = 124 ]; then
		fail "$name" "did not end"
		return
	fi
	expect_run "$name" 255 ""
	expect_match "$name-says-why" "$ERR" "$why"
	expect_hop_error "$name-names-hop" "$i" 3 "${HOPS[$((i - 1))]}"
}

for i in 1 2 3; do
	h=${HOPS[$((i - 1))]}

	# (1) nothing listens on the port.
	run_case "refused-hop$i-$h" "$i" '[Rr]efused' "Port $DEAD"

	# (2) known_hosts holds another key for this hop.
	kh_variant "$T/kh-$h" "$h"
	run_case "hostkey-hop$i-$h" "$i" '[Hh]ost key|HOST IDENTIFICATION' \
	    "UserKnownHostsFile $T/kh-$h"

	# (3) the server refuses the user.
	run_case "auth-hop$i-$h" "$i" '[Pp]ermission denied|[Aa]uthenticat' \
	    "User nosuchuser"

	# (4) the hop before forbids TCP forwarding (hop 1 has none before it).
	if [ "$i" -gt 1 ]; then
		run_case "channel-hop$i-$h" "before:$i" \
		    '[Pp]rohibited|[Rr]efused|[Dd]enied|[Ff]orward' \
		    "Port $(lab_port nofwd)"
	fi

	# (5) a server that accepts TCP and never speaks, with a 2 s
	# ConnectTimeout in the hop's block and -o ConnectTimeout=2 (which
	# OpenSSH applies to the destination only).
	lab_variant "$T/silent-$h.conf" "$h" "Port $(lab_port silent)" \
	    "ConnectTimeout 2"
	X_TIMEOUT=15 run_x -F "$T/silent-$h.conf" -o ConnectTimeout=2 \
	    -J alpha,bravo charlie echo never
	echo "# silent hop $i ($h): exit $RC after ${ELAPSED}s"
	expect_run "silent-hop$i-$h-ends" 255 ""
	expect_match "silent-hop$i-$h-says-why" "$ERR" '[Tt]imed out|[Tt]imeout'
	expect_hop_error "silent-hop$i-$h-names-hop" "$i" 3 "$h"
done

# The silent server has had connections queued, and none got further.
expect_eq silent-no-login "$(lab_logins silent)" 0

# A jump that cannot reach the next hop in time: a listener whose accept
# queue is full drops the jump's SYNs, so its connect hangs and the
# channel open stays unanswered until ConnectTimeout.  (libssh 0.12 says
# SSH_AGAIN, not an error, when that wait times out.)
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
keep = []
for _ in range(3):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(s.getsockname())
    except BlockingIOError:
        pass
    keep.append(c)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(600)
' "$T/full.port" &
FULL_PID=$!
at_exit "kill $FULL_PID"
for _ in $(seq 50); do [ -s "$T/full.port" ] && break; sleep 0.1; done
X_TIMEOUT=15 run_lab -J alpha -p "$(cat "$T/full.port")" \
    -o ConnectTimeout=2 charlie true
expect_run channel-open-timeout 255 ""
expect_match channel-open-timeout-says-why "$ERR" '[Tt]imed out|[Tt]imeout|within 2 s'
expect_hop_error channel-open-timeout-names-hop 2 2 charlie
if xssh_only channel-open-timeout-names-jump; then
	expect_match channel-open-timeout-names-jump "$ERR" "alpha could not reach it within 2 s"
fi
kill "$FULL_PID"
wait "$FULL_PID" 2>/dev/null

# A refused hop 1 given as host:port in -J names the hop as written.
run_lab -J "127.0.0.1:$DEAD,bravo" charlie true
expect_run refused-jump-ip 255 ""
expect_hop_error refused-jump-ip-names-hop 1 3 "127\\.0\\.0\\.1"

# The target given as 127.0.0.1 -p DEAD behind two jumps.
run_lab -J alpha,bravo -p "$DEAD" 127.0.0.1 true
expect_run refused-target-ip 255 ""
expect_hop_error refused-target-ip-names-hop 3 3 "127\\.0\\.0\\.1"

# A failed chain leaves nothing behind: no client process, and no session
# on alpha (its sshd child ends when the client is gone).  Needs xssh:
# OpenSSH leaves "ssh -W ... alpha" running when hop 2 times out.
if xssh_only no-stray-processes; then
	for _ in $(seq 50); do
		left=$(ps -o pid= --ppid "$(lab_pid alpha)" | wc -l)
		[ "$left" = 0 ] && [ -z "$(strays)" ] && break
		sleep 0.1
	done
	expect_eq no-stray-client "$(strays | tr '\n' ' ')" ""
	expect_eq no-stray-session-on-alpha "$left" 0
fi
