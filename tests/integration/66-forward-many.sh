#!/bin/bash
# 200 forwarded connections at once through a 2-jump chain (-J a,b with
# -L): each sends 64 KiB of random bytes and reads them back from an
# echo server on the far side; every byte must come back intact (SHA-256)
# on every connection, and none may starve.  Then the same with some
# connections reset half-way: the others are not affected, and the
# client goes on serving new ones.
. "$(dirname "$0")/../lib.sh"

lab_start many alpha bravo charlie
ECHO=$TESTS_DIR/helpers/fwd-echo.py

python3 "$ECHO" server "$T/echo.port" >/dev/null 2>&1 &
at_exit "kill $!"
for i in $(seq 100); do
	[ -s "$T/echo.port" ] && break
	sleep 0.1
done
EPORT=$(cat "$T/echo.port")

LP=$(free_port)
"$XSSH" -F "$LAB/ssh_config" -N -J alpha,bravo -L "$LP:127.0.0.1:$EPORT" \
    charlie 2>"$T/x.err" &
X=$!
for i in $(seq 150); do
	ss -Hltn "sport = :$LP" | grep -q . && break
	sleep 0.1
done

# Generous bound: 200 x 64 KiB each way is 25 MiB through two jumps.
got=$(timeout 180 python3 "$ECHO" clients 127.0.0.1 "$LP" 200 65536)
expect_eq many-200-all-intact "$got" "ok 200"

# 40 connections reset half-way among 200: the 160 others all intact.
got=$(timeout 180 python3 "$ECHO" clients 127.0.0.1 "$LP" 200 65536 40)
expect_eq many-resets-do-not-hurt-others "$got" "ok 160"

# And the client still serves new connections after all that.
got=$(timeout 60 python3 "$ECHO" clients 127.0.0.1 "$LP" 10 1000000)
expect_eq many-still-serving "$got" "ok 10"

kill -0 "$X" 2>/dev/null
check many-client-alive test $? = 0
kill -TERM "$X"
wait "$X"
expect_eq many-sigterm-exit-0 "$?" 0
expect_eq many-no-errors "$(grep -v 'open failed' "$T/x.err")" ""
