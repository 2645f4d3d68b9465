#!/bin/bash
# Faults of the transport, at each hop: servers that misbehave before
# the key exchange (tests/helpers/bad-server.py: a flood of lines before
# the identification, an over-long or invalid line, a banner and then
# silence), and jumps killed in the middle of a transfer.  Each must end
# with exit 255 and a message in ssh's words that names the hop.
. "$(dirname "$0")/../lib.sh"

lab_start faults j1 j2 dest
BAD=$TESTS_DIR/helpers/bad-server.py

# bad_server NAME MODE ARG...: start one; its port in BADPORT.
bad_server() {
	local name=$1
	shift
	python3 "$BAD" "$1" "$T/$name.port" "${@:2}" 2>"$T/$name.log" &
	at_exit "kill $!"
	for _ in $(seq 100); do
		[ -s "$T/$name.port" ] && break
		sleep 0.1
	done
	BADPORT=$(cat "$T/$name.port" 2>/dev/null)
}

# bad_case NAME MODE WANT-ERE [ARG...]: the server as hop 1 of 1, then
# as the second jump (hop 2/3) of -J j1,BAD dest; no ConnectTimeout
# (each must end on its own, not by a timer), except where ARGS say.
bad_case() {
	local name=$1 mode=$2 want=$3
	shift 3
	bad_server "$name" "$mode" "${BAD_ARGS[@]}"
	run_lab -o "Port $BADPORT" -o ConnectTimeout=0 "$@" dest true
	expect_run "$name-lone" 255 ""
	expect_match "$name-lone-says" "$ERR" "$want"
	expect_one_line "$name-lone-one-line"
	cat "$LAB/ssh_config" >"$T/$name.conf"
	printf 'Host bad\n    HostName 127.0.0.1\n    Port %s\n' "$BADPORT" \
	    >>"$T/$name.conf"
	run_x -F "$T/$name.conf" -o ConnectTimeout=0 "$@" -J j1,bad dest true
	expect_run "$name-jump" 255 ""
	expect_match "$name-jump-says" "$ERR" "$want"
	expect_hop_error "$name-jump-names-hop" 2 3 bad
}

# Lines before the identification are allowed (RFC 4253 4.2), up to
# ssh's 1023: 1000 of them, then a real sshd, and the login works.
BAD_ARGS=(1000 "$(lab_port dest)")
bad_server pre-ok preamble "${BAD_ARGS[@]}"
run_lab -o "Port $BADPORT" \
    -o "HostKeyAlias [127.0.0.1]:$(lab_port dest)" dest echo through
expect_run preamble-1000-lines-ok 0 through

# A flood of short lines: ssh gives up after 1024, and so must we
# (libssh alone waits for ever, or for ConnectTimeout).
BAD_ARGS=()
bad_case flood flood "No SSH version received in first 1024 lines"
# A line longer than ssh's 8192 bytes.
BAD_ARGS=(9000)
bad_case longline longline "banner line too long"
# A NUL in a line.
BAD_ARGS=()
bad_case nul nul "banner line contains invalid characters"

# A banner, then silence: what was waited for is the key exchange.
BAD_ARGS=()
bad_server quiet silent-banner
run_lab -o "Port $BADPORT" -o ConnectTimeout=2 dest true
expect_run silent-after-banner 255 ""
xssh_only silent-after-banner-says-kex &&
    expect_match silent-after-banner-says-kex "$ERR" \
	"timed out during key exchange"
# Silence from the start: the banner exchange, in ssh's words.
bad_server mute silent
run_lab -o "Port $BADPORT" -o ConnectTimeout=2 dest true
expect_run silent-before-banner 255 ""
expect_match silent-before-banner-says "$ERR" \
    "Connection timed out during banner exchange"

# A jump's sshd killed mid-transfer: the connection that carries our
# session is served by the listener's children; SIGKILL them all once
# a megabyte has come through.  Three times each (it was "sometimes").
kill_case() {
	local name=$1 server=$2 i=$3 k pids
	for k in 1 2 3; do
		_RUNS=$((_RUNS + 1))
		OUTF=$T/run$_RUNS.out
		ERRF=$T/run$_RUNS.err
		timeout -k 5 60 "$XSSH" -F "$LAB/ssh_config" -J j1,j2 dest \
		    'exec cat /dev/zero' >"$OUTF" 2>"$ERRF" </dev/null &
		local cpid=$!
		for _ in $(seq 200); do
			[ "$(stat -c %s "$OUTF")" -gt 1000000 ] && break
			sleep 0.05
		done
		pids=
		for c in $(pgrep -P "$(lab_pid "$server")"); do
			pids="$pids $(proc_tree "$c")"
		done
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill -KILL $pids
		wait "$cpid"
		RC=$?
		ERR=$(cat "$ERRF")
		expect_run "$name-$k-exit" 255 ""
		expect_match "$name-$k-says-something" "$ERR" .
		expect_hop_error "$name-$k-names-hop" "$i" 3 "$server"
	done
}
kill_case killed-jump1 j1 1
kill_case killed-jump2 j2 2

# The lab still works: every failure above came from its fault.
run_lab -J j1,j2 dest echo fine
expect_run chain-still-works 0 fine
