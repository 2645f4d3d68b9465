#!/bin/bash
# Peers that misbehave, and readers that do not read.  A connection
# sharing master must go on serving while one client dribbles half a
# message, another floods requests without reading a reply, thousands
# send garbage, and processes of other users knock; a -D listener must
# go on serving through thousands of hostile SOCKS requests; and a
# reader that pauses must slow the sender down instead of filling the
# client's memory, through the master, through -L and through a plain
# session.  Descriptors and memory come back to their baseline.
#
# Memory is the process's VmHWM (its peak resident size), read while it
# runs: the channel-I/O engine holds at most a window (1.28 MB) in
# libssh and a window and a quarter in its own buffers per channel, so a
# growth above 32 MB for one channel means a buffer without a bound.
. "$(dirname "$0")/../lib.sh"

lab_start hostile db
H=$TESTS_DIR/helpers/hostile.py
CFG=$LAB/ssh_config
SIZE=200000000
BOUND_KB=$((32 * 1024))

xssh_only hostile-peers || exit 0

# Under AddressSanitizer, freed memory sits in its quarantine (256 MB)
# and every allocation has redzones: the peak says nothing about our
# buffers, so the memory bounds are checked in the plain build only.
SANITIZED=0
grep -qa __asan_init "$XSSH" && SANITIZED=1
# bounded NAME GROWTH-KB LIMIT-KB
bounded() {
	if [ "$SANITIZED" = 1 ]; then
		skip "$1" "built with AddressSanitizer: its quarantine hides our peak"
	else
		check "$1" test "$2" -lt "$3"
	fi
}

nfds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# wait_fds PID N: up to 10 s for PID to hold N descriptors again.
wait_fds() {
	local i
	for i in $(seq 100); do
		[ "$(nfds "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# track_hwm PID FILE: the last VmHWM of PID seen before it exits, in FILE.
track_hwm() {
	local v
	while kill -0 "$1" 2>/dev/null; do
		v=$(hwm_kb "$1")
		[ -n "$v" ] && echo "$v" >"$2"
		sleep 0.1
	done
}

wait_port() {
	local i
	for i in $(seq 150); do
		ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# A source of SIZE zero bytes per connection, on the client's side.
python3 "$H" source "$T/src.port" "$SIZE" >/dev/null 2>&1 &
at_exit "kill $!"
for i in $(seq 100); do
	[ -s "$T/src.port" ] && break
	sleep 0.1
done
SP=$(cat "$T/src.port")

# ================================================ the master
run_lab -M -S "$T/xm" -o ControlPersist=yes -E "$T/master.log" -f -N db
expect_run master-started 0
MP=$(/usr/bin/ssh -F "$CFG" -O check -S "$T/xm" db 2>&1 |
    sed -n 's/^Master running (pid=\([0-9]*\)).*/\1/p')
if [ -z "$MP" ]; then
	fail master-pid "no master at $T/xm"
	exit 1
fi
at_exit "kill $MP"
run_lab -S "$T/xm" db 'echo warm'
expect_run master-serves 0 warm
FDS0=$(nfds "$MP")
RSS0=$(rss_kb "$MP")
echo "# master pid $MP: $FDS0 descriptors, VmRSS $RSS0 kB"

# Half a message, a byte a second, for longer than a session may take:
# the master must not wait for it (it used to, 5 s for each byte).
python3 "$H" mux-dribble "$T/xm" 40 &
D=$!
sleep 1
X_TIMEOUT=20 run_lab -S "$T/xm" db 'echo through'
expect_run master-dribbler-does-not-stall 0 through
kill "$D" 2>/dev/null
wait "$D" 2>/dev/null

# A client that sends 200000 alive checks and reads no reply: dropped
# once it leaves too much unread; it must not stop the master (a
# blocking write used to).
python3 "$H" mux-noread "$T/xm" 200000 40 &
D=$!
sleep 2
X_TIMEOUT=20 run_lab -S "$T/xm" db 'echo still'
expect_run master-nonreader-does-not-stall 0 still
kill "$D" 2>/dev/null
wait "$D" 2>/dev/null

# Another user's process: refused before a word, as ssh does.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	chmod 0666 "$T/xm"
	got=$(runuser -u nobody -- python3 "$H" mux-hello "$T/xm" 2>&1)
	expect_eq master-other-uid-refused "$got" EOF
	got=$(python3 "$H" mux-hello "$T/xm" 2>&1)
	expect_eq master-own-uid-hello "$got" 000000080000000100000004
	expect_match master-other-uid-logged "$(cat "$T/master.log")" \
	    "multiplex uid mismatch: peer euid [0-9]+ != uid 0"
	chmod 0600 "$T/xm"
else
	skip master-other-uid-refused "needs root and the user nobody"
fi

# Thousands of hostile clients, one after another.
got=$(timeout 300 python3 "$H" mux-garbage "$T/xm" 3000)
expect_eq master-garbage-sent "$got" "done 3000"
kill -0 "$MP" 2>/dev/null
check master-alive-after-garbage test $? = 0
run_lab -S "$T/xm" db 'echo alive'
expect_run master-serves-after-garbage 0 alive
if wait_fds "$MP" "$FDS0"; then
	ok master-fds-back-to-baseline
else
	fail master-fds-back-to-baseline "$(nfds "$MP") descriptors, $FDS0 before"
fi
rss=$(rss_kb "$MP")
echo "# master after garbage: VmRSS $rss kB (was $RSS0 kB)"
check master-rss-back-near-baseline test $((rss - RSS0)) -lt 16384

# A passenger whose reader pauses: the master holds a window, no more
# (a master reading stderr while stdout waited grew by ~90 MB).
h0=$(hwm_kb "$MP")
got=$("$XSSH" -F "$CFG" -S "$T/xm" db "head -c $SIZE /dev/zero" |
    python3 "$H" slowread 6)
expect_eq master-slow-reader-all-bytes "$got" "$SIZE"
h1=$(hwm_kb "$MP")
echo "# master VmHWM: $h0 kB before, $h1 kB after a slow reader of $SIZE bytes"
bounded master-slow-reader-memory-bounded $((h1 - h0)) "$BOUND_KB"

# ================================================ -L
LP=$(free_port)
"$XSSH" -F "$CFG" -N -L "$LP:127.0.0.1:$SP" db 2>"$T/l.err" &
XL=$!
at_exit "kill $XL"
wait_port "$LP" || fail l-listening "no listener on $LP"
h0=$(hwm_kb "$XL")
track_hwm "$XL" "$T/l.hwm" &
got=$(python3 "$H" slowread 6 127.0.0.1 "$LP")
expect_eq l-slow-reader-all-bytes "$got" "$SIZE"
h1=$(hwm_kb "$XL")
echo "# -L VmHWM: $h0 kB before, $h1 kB after a slow reader of $SIZE bytes"
bounded l-slow-reader-memory-bounded $((h1 - h0)) "$BOUND_KB"

# ================================================ a plain session
mkfifo "$T/s.fifo"
"$XSSH" -F "$CFG" db "head -c $SIZE /dev/zero" >"$T/s.fifo" 2>"$T/s.err" &
XS=$!
track_hwm "$XS" "$T/s.hwm" &
TR=$!
got=$(python3 "$H" slowread 6 <"$T/s.fifo")
wait "$XS"
rc=$?
wait "$TR"
expect_eq session-slow-reader-all-bytes "$rc $got" "0 $SIZE"
echo "# session VmHWM: $(cat "$T/s.hwm") kB at the end"
bounded session-slow-reader-memory-bounded "$(cat "$T/s.hwm")" \
    $((BOUND_KB + 16384))

# ================================================ -D
DP=$(free_port)
"$XSSH" -F "$CFG" -N -D "$DP" db 2>"$T/d.err" &
XD=$!
at_exit "kill $XD"
wait_port "$DP" || fail d-listening "no listener on $DP"
got=$(timeout 60 python3 "$H" socks-get 127.0.0.1 "$DP" 127.0.0.1 "$SP" "$SIZE")
expect_eq d-good-request "$got" "$SIZE"
DFDS0=$(nfds "$XD")
DRSS0=$(rss_kb "$XD")
got=$(timeout 300 python3 "$H" socks-garbage 127.0.0.1 "$DP" 2000)
expect_eq d-garbage-sent "$got" "done 2000"
kill -0 "$XD" 2>/dev/null
check d-alive-after-garbage test $? = 0
got=$(timeout 60 python3 "$H" socks-get 127.0.0.1 "$DP" 127.0.0.1 "$SP" "$SIZE")
expect_eq d-serves-after-garbage "$got" "$SIZE"
if wait_fds "$XD" "$DFDS0"; then
	ok d-fds-back-to-baseline
else
	fail d-fds-back-to-baseline "$(nfds "$XD") descriptors, $DFDS0 before"
fi
rss=$(rss_kb "$XD")
echo "# -D after garbage: VmRSS $rss kB (was $DRSS0 kB)"
check d-rss-back-near-baseline test $((rss - DRSS0)) -lt 16384
expect_nomatch d-no-sanitizer-report "$(cat "$T/d.err")" \
    "AddressSanitizer|runtime error|LeakSanitizer"
