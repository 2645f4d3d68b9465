#!/bin/bash
# Hostile SOCKS clients against a live -D listener of a real client, and
# through -R's reverse SOCKS proxy: over-long SOCKS 4a names (300 bytes
# once ran over host[256], 260 into the port after it), a SOCKS 4 request
# past ssh's 1025-byte bound, NULs and empty names, other commands,
# address types and versions.  Each gets its version's failure reply and
# the end of the connection, and no channel is opened (the server's log,
# at DEBUG1, lists every direct-tcpip open); the listener keeps serving
# good SOCKS 4a and 5 requests, also sent a byte at a time.  Run under
# the sanitizer build, the client must report nothing.
. "$(dirname "$0")/../lib.sh"

lab_start socks "charlie:sshd=LogLevel=DEBUG1"
CLIENT=$TESTS_DIR/helpers/socks-client.py
ECHO=$TESTS_DIR/helpers/fwd-echo.py

python3 "$ECHO" server "$T/echo.port" >/dev/null 2>&1 &
at_exit "kill $!"
for i in $(seq 100); do
	[ -s "$T/echo.port" ] && break
	sleep 0.1
done
EPORT=$(cat "$T/echo.port")

wait_listen() {
	local i
	for i in $(seq 150); do
		ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# The direct-tcpip channel opens charlie's sshd was asked for (DEBUG1
# logs each one, refused or not), and the targets it went on to try,
# one "HOST:PORT" a line.
opens() {
	grep -c 'server_input_channel_open: ctype direct-tcpip' \
	    "$LAB/charlie/log" || true
}
targets() {
	sed -n 's/.*server_request_direct_tcpip: originator .* target \(.*\) port \([0-9]*\).*/\1:\2/p' \
	    "$LAB/charlie/log"
}

S4_REFUSED="005b000000000000 eof"
# SOCKS 5: the method selection, then "general failure".
S5_FAIL="050005010001000000000000 eof"

# case NAME WANT: what a hostile request NAME gets back.
declare -A WANT=(
	[long4a]=$S4_REFUSED
	[long4a-260]=$S4_REFUSED
	[long4-user]=$S4_REFUSED
	[bind4]=$S4_REFUSED
	[empty4a]=$S4_REFUSED
	[nul5]=$S5_FAIL
	[empty5]=$S5_FAIL
	[atyp5]="050005080001000000000000 eof"
	[bind5]="050005070001000000000000 eof"
	[noauth5]="05ff eof"
	[version]="- eof"
)
CASES="long4a long4a-260 long4-user bind4 empty4a nul5 empty5 atyp5 bind5
    noauth5 version"

# ------------------------------------------------ -D
DP=$(free_port)
"$XSSH" -F "$LAB/ssh_config" -v -N -D "$DP" charlie 2>"$T/d.err" &
XPID=$!
LAST_CMD="xssh -v -N -D $DP charlie (background)"
if ! wait_listen "$DP"; then
	fail d-listens "no listener on $DP: $(head -5 "$T/d.err")"
	kill "$XPID"
	exit 1
fi

for c in $CASES; do
	got=$(python3 "$CLIENT" 127.0.0.1 "$DP" "$c")
	expect_eq "d-$c-refused" "$got" "${WANT[$c]}"
done
expect_eq d-no-channel-opened "$(opens)" 0
if xssh_only d-says-why; then
	expect_match d-says-why "$(cat "$T/d.err")" \
	    "bad SOCKS request: hostname too long"
	expect_eq d-no-request-taken "$(grep -c 'dynamic request:' "$T/d.err")" 0
fi

# The longest name SOCKS 5 could carry is taken, and goes to the server.
got=$(python3 "$CLIENT" 127.0.0.1 "$DP" long4a-255)
expect_eq d-255-byte-name-open-fails "$got" "$S4_REFUSED"
expect_eq d-255-byte-name-opened "$(opens) $(targets)" \
    "1 $(printf 'a%.0s' $(seq 255)):1"

# Still serving: good requests, whole and a byte at a time.
for c in good4a good5; do
	got=$(python3 "$CLIENT" 127.0.0.1 "$DP" "$c" "$EPORT")
	expect_eq "d-$c-after" "$got" "echo ok"
	got=$(PIECE=1 python3 "$CLIENT" 127.0.0.1 "$DP" "$c" "$EPORT")
	expect_eq "d-$c-bytewise" "$got" "echo ok"
done
expect_eq d-good-opens "$(opens) $(targets | tail -n +2)" \
    "5 $(printf '127.0.0.1:%s\n' "$EPORT" "$EPORT" "$EPORT" "$EPORT")"

kill -TERM "$XPID"
wait "$XPID"
expect_eq d-exit-0 "$?" 0

# ------------------------------------------------ -R (reverse SOCKS)
# The requests come from the far end, over the channel.
SP=$(free_port)
run_lab -v -R "$SP" charlie "for c in long4a long4a-260 nul5; do
    python3 $CLIENT 127.0.0.1 $SP \$c; done;
    python3 $CLIENT 127.0.0.1 $SP good5 $EPORT"
expect_run r-reverse-socks 0 "$S4_REFUSED
$S4_REFUSED
$S5_FAIL
echo ok"
expect_eq r-one-request-taken "$(grep -c 'dynamic request:' <<<"$ERR")" 1

# No sanitizer finding, no crash.
expect_eq no-sanitizer-reports "$(cat "$T/d.err" "$T"/run*.err |
    grep -cE 'Sanitizer|runtime error')" 0
