#!/bin/bash
# ServerAliveInterval / ServerAliveCountMax on every hop, each with its
# own setting, and TCPKeepAlive on the first hop's socket.
#
# A hop that stops answering is an sshd frozen with SIGSTOP: its
# listener and every process under it (the per-connection sshd
# processes that serve our connection), so TCP stays up and nothing
# comes back.  It must be given up between CountMax and CountMax+1
# intervals after its last packet, as ssh does: we assert more than
# Interval*(CountMax-1) and less than Interval*CountMax+3 seconds from
# the freeze to the end, exit 255, ssh's "Timeout, server HOST not
# responding." and (xssh) the frozen hop named.
. "$(dirname "$0")/../lib.sh"

lab_start ka j1 j2 j3 dest

FROZEN=
freeze() {
	FROZEN=$(proc_tree "$(lab_pid "$1")")
	kill -STOP $FROZEN
	T_FREEZE=$(date +%s%N)
}
thaw() {
	[ -z "$FROZEN" ] || kill -CONT $FROZEN 2>/dev/null
	FROZEN=
	return 0
}
at_exit thaw

# start_bg ARGS...: the client in the background (at most 40 s), its
# remote command printing "up" first; CPID is its PID.  Its stdin is
# $BG_STDIN, or /dev/null.
start_bg() {
	_RUNS=$((_RUNS + 1))
	OUTF=$T/run$_RUNS.out
	ERRF=$T/run$_RUNS.err
	LAST_CMD="xssh $*"
	timeout -k 5 40 "$XSSH" "$@" <"${BG_STDIN:-/dev/null}" >"$OUTF" \
	    2>"$ERRF" &
	CPID=$!
}

# wait_up [ERE]: until the session runs its command, which printed a
# line matching ERE (default: "up"), 15 s at most.
wait_up() {
	local i
	for i in $(seq 150); do
		grep -Eq "${1:-^up\$}" "$OUTF" 2>/dev/null && return 0
		kill -0 "$CPID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# finish: wait for the client; RC, OUT, ERR, and ELAPSED: seconds from
# the freeze to its end.
finish() {
	local t1
	wait "$CPID"
	RC=$?
	t1=$(date +%s%N)
	ELAPSED=$(awk -v a="$T_FREEZE" -v b="$t1" \
	    'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	OUT=$(cat "$OUTF")
	ERR=$(cat "$ERRF")
}

# frozen_case NAME SERVER INTERVAL COUNTMAX HOP-I HOP-N ARGS...: run
# ARGS with the remote command $KA_CMD ("echo up; sleep 20"), freeze
# SERVER once the command runs, and check how and when the client gives
# up.
frozen_case() {
	local name=$1 server=$2 iv=$3 cm=$4 i=$5 n=$6 lo hi
	shift 6
	start_bg "$@" "${KA_CMD:-echo up; exec sleep 20}"
	if ! wait_up; then
		finish
		fail "$name" "the session did not start"
		return
	fi
	freeze "$server"
	finish
	thaw
	echo "# $name: Interval $iv CountMax $cm: ended ${ELAPSED}s after the freeze"
	expect_run "$name-exit" 255 up
	lo=$((iv * (cm - 1)))
	hi=$((iv * cm + 3))
	if awk -v t="$ELAPSED" -v lo="$lo" -v hi="$hi" \
	    'BEGIN { exit !(t > lo && t < hi) }'; then
		ok "$name-in-time"
	else
		fail "$name-in-time" "${ELAPSED}s, want more than $lo and less than $hi"
	fi
	expect_match "$name-says-timeout" "$ERR" \
	    "Timeout, server [^ ]+ not responding\."
	[ "$n" -gt 1 ] && expect_hop_error "$name-names-hop" "$i" "$n" "$server"
	expect_one_line "$name-one-line"
}

# The chain works, so what fails below fails because of the freeze.
run_lab -J j1,j2 dest echo fine
expect_run chain-works 0 fine

# Hop 1 (the jump) frozen.  Only the jump's block asks for keepalives;
# the destination has none (-o ServerAliveInterval=0): the jump's own
# setting finds it.
lab_variant "$T/j1.conf" j1 "ServerAliveInterval 1" "ServerAliveCountMax 2"
frozen_case jump-frozen j1 1 2 1 2 -F "$T/j1.conf" \
    -o ServerAliveInterval=0 -J j1 dest

# Keepalives on both, the jump's shorter: the frozen jump is named, not
# the destination that fell silent behind it.
lab_variant "$T/j1short.conf" j1 "ServerAliveInterval 1" \
    "ServerAliveCountMax 1"
frozen_case jump-frozen-both j1 1 1 1 2 -F "$T/j1short.conf" \
    -o ServerAliveInterval=1 -o ServerAliveCountMax=3 -J j1 dest

# Hop 2 (the destination) frozen: the session's own keepalives.
frozen_case dest-frozen dest 1 3 2 2 -F "$LAB/ssh_config" \
    -o ServerAliveInterval=1 -o ServerAliveCountMax=3 -J j1 dest

# The middle of a 2-jump chain frozen, with its own setting.
lab_variant "$T/j2.conf" j2 "ServerAliveInterval 1" "ServerAliveCountMax 2"
frozen_case middle-frozen j2 1 2 2 3 -F "$T/j2.conf" \
    -o ServerAliveInterval=0 -J j1,j2 dest

# The second of three jumps frozen, every hop behind it with keepalives
# too, the destination's the quickest to count out (CountMax 1 against
# the jumps' 3): it falls silent only because the frozen jump carries
# it, and the frozen jump is the one to name.
lab_variant "$T/j2j3.tmp" j2 "ServerAliveInterval 1" "ServerAliveCountMax 3"
awk '{ print } $1 == "Host" && $2 == "j3" {
    print "    ServerAliveInterval 1"; print "    ServerAliveCountMax 3" }' \
    "$T/j2j3.tmp" >"$T/j2j3.conf"
frozen_case second-of-three-frozen j2 1 1 2 4 -F "$T/j2j3.conf" \
    -o ServerAliveInterval=1 -o ServerAliveCountMax=1 -J j1,j2,j3 dest

# -W, as the ProxyCommand of another ssh: stdin held open (a FIFO we
# keep open for writing), the destination's banner as the sign it runs.
mkfifo "$T/stdin"
exec 7<>"$T/stdin"
BG_STDIN=$T/stdin start_bg -F "$T/j1.conf" -o ServerAliveInterval=0 \
    -J j1 -W "127.0.0.1:$(lab_port dest)" j2
if wait_up '^SSH-2\.0-'; then
	freeze j1
	finish
	thaw
	echo "# stdio-jump-frozen: Interval 1 CountMax 2: ended ${ELAPSED}s after the freeze"
	expect_match stdio-jump-frozen "$RC $ELAPSED" '^255 [1-4]\.'
	expect_hop_error stdio-jump-frozen-names-hop 1 2 j1
else
	finish
	fail stdio-jump-frozen "-W did not start"
fi
exec 7>&-

# No jump: ssh's own message, bare, with the HostName.
frozen_case lone-frozen dest 2 1 1 1 -F "$LAB/ssh_config" \
    -o ServerAliveInterval=2 -o ServerAliveCountMax=1 dest
expect_eq lone-frozen-message "${ERR//$'\r'/}" \
    "Timeout, server 127.0.0.1 not responding."

# ServerAliveInterval 0: no keepalives at all.  The lab's BatchMode
# would give 300 s; 0 written in the blocks wins.  A frozen jump then
# leaves the session waiting: still running 6 s after the freeze (with
# keepalives of 1 s it would have ended), and then we end it.
lab_variant "$T/off.conf" j1 "ServerAliveInterval 0" "ServerAliveCountMax 1"
start_bg -F "$T/off.conf" -o ServerAliveInterval=0 -J j1 dest \
    'echo up; exec sleep 20'
if wait_up; then
	freeze j1
	sleep 6
	if kill -0 "$CPID" 2>/dev/null; then
		ok interval-0-no-keepalive
	else
		finish
		fail interval-0-no-keepalive "the client ended while the jump was frozen"
	fi
	kill "$CPID" 2>/dev/null
	finish
	thaw
else
	finish
	fail interval-0-no-keepalive "the session did not start"
fi

# Keepalives answered: a healthy idle session with ServerAliveInterval 1
# lives on.  CountMax 1 on both hops: a single unanswered interval would
# end it, so every keepalive must be sent and its answer seen.
lab_variant "$T/live.conf" j1 "ServerAliveInterval 1" "ServerAliveCountMax 1"
run_x -F "$T/live.conf" -o ServerAliveInterval=1 -o ServerAliveCountMax=1 \
    -J j1 dest 'sleep 4; echo done'
expect_run idle-chain-survives 0 done
run_lab -o ServerAliveInterval=1 -o ServerAliveCountMax=1 dest \
    'sleep 4; echo done'
expect_run idle-lone-survives 0 done
if xssh_only keepalives-at-debug3; then
	run_lab -vvv -o ServerAliveInterval=1 -o ServerAliveCountMax=1 dest \
	    'sleep 3'
	expect_match keepalives-at-debug3 "$ERR" \
	    "debug3: hop 1/1 dest: .*keepalive 1/1 sent"
fi

# Bulk data both ways with keepalives on both hops: the keepalive
# replies and the data share the channel without a hitch.
awk 'BEGIN { for (i = 0; i < 200000; i++) print i, "keepalive" }' >"$T/big"
run_x -F "$T/live.conf" -o ServerAliveInterval=1 -o ServerAliveCountMax=1 \
    -J j1 dest 'sleep 1; cat; sleep 1' <"$T/big"
expect_eq bulk-with-keepalives "$RC $(cksum <"$OUTF")" "0 $(cksum <"$T/big")"

# TCPKeepAlive: SO_KEEPALIVE on the first hop's TCP socket (ss shows its
# keepalive timer once nothing is in flight: before, the retransmission
# timer, "timer:(on,..."), and not with TCPKeepAlive no.
tcp_keepalive() {
	local port i line=
	port=$(lab_port j1)
	start_bg -F "$LAB/ssh_config" "$@" j1 'echo up; exec sleep 4'
	if wait_up; then
		for i in $(seq 15); do
			line=$(ss -Htnop state established "dport = :$port" |
			    grep "pid=$(pgrep -P "$CPID" | head -1)," || true)
			[ -n "$line" ] && ! [[ $line =~ timer:\(on, ]] && break
			sleep 0.2
		done
	fi
	T_FREEZE=$(date +%s%N)
	finish
	echo "$line"
}
line=$(tcp_keepalive)
expect_match tcpkeepalive-default-on "$line" 'timer:\(keepalive'
line=$(tcp_keepalive -o TCPKeepAlive=no)
if [ -z "$line" ]; then
	fail tcpkeepalive-no-off "the client's socket was not found"
else
	expect_nomatch tcpkeepalive-no-off "$line" 'timer:\(keepalive'
fi

# Dropbear answers keepalives too, as a jump and as the destination
# (needs root: xssh-lab gives each Dropbear server a throwaway user).
if ! command -v dropbear >/dev/null; then
	skip dropbear-keepalive "dropbear not installed"
elif need_root dropbear-keepalive; then
	lab_start kadb dj:dropbear dd:dropbear
	lab_variant "$T/db.conf" dj "ServerAliveInterval 1" \
	    "ServerAliveCountMax 1"
	run_x -F "$T/db.conf" -o ServerAliveInterval=1 \
	    -o ServerAliveCountMax=1 -J dj dd 'sleep 3; echo done'
	expect_run dropbear-idle-survives 0 done
	# The remote command ends with the connection (a sleep would
	# outlive it and keep its throwaway user from being removed).
	exec 7<>"$T/stdin"
	BG_STDIN=$T/stdin KA_CMD='echo up; exec cat' frozen_case \
	    dropbear-jump-frozen dj 1 1 1 2 -F "$T/db.conf" \
	    -o ServerAliveInterval=0 -J dj dd
	exec 7>&-
fi
