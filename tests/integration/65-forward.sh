#!/bin/bash
# Port forwarding through 0, 1 and 2 jumps: -L (TCP and Unix sockets),
# -D (SOCKS 4, 4a, 5 through curl), -R (a port, port 0, a reverse SOCKS
# proxy), -N and its exit on SIGTERM, ExitOnForwardFailure on a taken
# port (local and remote), ClearAllForwardings, GatewayPorts,
# PermitRemoteOpen, a forwarded connection the destination cannot
# open, and the keywords.  Real clients (curl, python) talk to a real
# HTTP server and an echo server on loopback.  Messages are OpenSSH's:
# the checks pass with XSSH=/usr/bin/ssh except those marked xssh_only.
. "$(dirname "$0")/../lib.sh"

lab_start fwd alpha bravo charlie nofwd:noforward
ECHO=$TESTS_DIR/helpers/fwd-echo.py

# A web server with one page, and an echo server (TCP and Unix).
mkdir -p "$T/www"
echo "hello through the chain" >"$T/www/index.html"
WWW=$(free_port)
(cd "$T/www" && exec python3 -m http.server "$WWW" --bind 127.0.0.1) \
    >/dev/null 2>&1 &
at_exit "kill $!"
python3 "$ECHO" server "$T/echo.port" >/dev/null 2>&1 &
at_exit "kill $!"
python3 "$ECHO" server "$T/uecho.port" "$T/echo.sock" >/dev/null 2>&1 &
at_exit "kill $!"
for i in $(seq 100); do
	[ -s "$T/echo.port" ] && [ -s "$T/uecho.port" ] &&
	    ss -Hltn "sport = :$WWW" | grep -q . && break
	sleep 0.1
done
EPORT=$(cat "$T/echo.port")
PAGE="hello through the chain"

# wait_listen PORT: up to 15 s for a TCP listener on PORT.
wait_listen() {
	local i
	for i in $(seq 150); do
		ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# bg_start ARGS...: the client in the background (BG its PID, stderr in
# $T/bg.err); bg_stop: SIGTERM, then BGRC is its exit status.
bg_start() {
	[ -e "$T/bg.err" ] && cat "$T/bg.err" >>"$T/bg.all"
	"$XSSH" -F "$LAB/ssh_config" "$@" >"$T/bg.out" 2>"$T/bg.err" &
	BG=$!
	LAST_CMD="xssh $* (background)"
}
bg_stop() {
	kill -TERM "$BG" 2>/dev/null
	wait "$BG"
	BGRC=$?
	ERR=$(cat "$T/bg.err")
}

JUMPS=("" "-J alpha" "-J alpha,bravo")
NAMES=(direct jump1 jump2)

for k in 0 1 2; do
	J=${JUMPS[$k]}
	N=${NAMES[$k]}
	# shellcheck disable=SC2086 # $J is zero or two words

	# -L to a TCP port, and to the Unix socket of the echo server.
	LP=$(free_port)
	UP=$(free_port)
	bg_start -N $J -L "$LP:127.0.0.1:$WWW" -L "$UP:$T/echo.sock" \
	    -L "$T/l$k.sock:127.0.0.1:$WWW" charlie
	if wait_listen "$LP"; then
		got=$(curl -s --max-time 20 "http://127.0.0.1:$LP/")
		expect_eq "$N-L-curl" "$got" "$PAGE"
		got=$(curl -s --max-time 20 --unix-socket "$T/l$k.sock" \
		    "http://localhost/")
		expect_eq "$N-L-local-unix-socket" "$got" "$PAGE"
		got=$(python3 "$ECHO" clients 127.0.0.1 "$UP" 3 100000)
		expect_eq "$N-L-remote-unix-socket" "$got" "ok 3"
	else
		fail "$N-L-listens" "no listener on $LP"
	fi
	bg_stop
	expect_eq "$N-N-sigterm-exit-0" "$BGRC" 0
	expect_eq "$N-N-sigterm-silent" "$ERR" ""

	# -D: SOCKS 5 and 4a with the name resolved at the far end, 5 and 4
	# with an address.
	DP=$(free_port)
	bg_start -N $J -D "$DP" charlie
	if wait_listen "$DP"; then
		for how in socks5-hostname socks4a socks5 socks4; do
			got=$(curl -s --max-time 20 "--$how" "127.0.0.1:$DP" \
			    "http://localhost:$WWW/")
			[ $how = socks5 ] || [ $how = socks4 ] &&
			    got=$(curl -s --max-time 20 "--$how" \
			    "127.0.0.1:$DP" "http://127.0.0.1:$WWW/")
			expect_eq "$N-D-$how" "$got" "$PAGE"
		done
	else
		fail "$N-D-listens" "no listener on $DP"
	fi
	bg_stop

	# -R to the web server, and -R with a port only (reverse SOCKS):
	# curl runs on the destination.
	RP=$(free_port)
	SP=$(free_port)
	run_lab $J -R "$RP:127.0.0.1:$WWW" -R "$SP" charlie \
	    "curl -s --max-time 20 http://127.0.0.1:$RP/;
	     curl -s --max-time 20 --socks5-hostname 127.0.0.1:$SP http://localhost:$WWW/"
	expect_run "$N-R-and-reverse-socks" 0 "$PAGE"$'\n'"$PAGE"
done

# -R to a local Unix socket (the echo server's), through two jumps.
RP=$(free_port)
run_lab -J alpha,bravo -R "$RP:$T/echo.sock" charlie \
    "python3 $ECHO clients 127.0.0.1 $RP 3 100000"
expect_run R-to-local-unix-socket 0 "ok 3"

# -R 0: the server picks the port, printed as ssh prints it.
bg_start -N -J alpha -R "0:127.0.0.1:$EPORT" charlie
for i in $(seq 150); do
	grep -q "Allocated port" "$T/bg.err" && break
	sleep 0.1
done
AP=$(tr -d '\r' <"$T/bg.err" |
    sed -n 's/^Allocated port \([0-9]*\) for remote forward to 127.0.0.1:'"$EPORT"'$/\1/p')
if [ -n "$AP" ]; then
	ok R0-allocated-port-message
	got=$(python3 "$ECHO" clients 127.0.0.1 "$AP" 5 200000)
	expect_eq R0-echo "$got" "ok 5"
else
	fail R0-allocated-port-message "stderr: $(cat "$T/bg.err")"
fi
bg_stop
expect_eq R0-sigterm-exit-0 "$BGRC" 0

# PermitRemoteOpen limits where the reverse SOCKS proxy may go.
SP=$(free_port)
run_lab -o "PermitRemoteOpen 127.0.0.1:1" -R "$SP" charlie \
    "curl -s --max-time 20 --socks5-hostname 127.0.0.1:$SP http://localhost:$WWW/; echo rc=\$?"
expect_match permit-remote-open-denies "$OUT" '^rc=[1-9]'
SP=$(free_port)
run_lab -o "PermitRemoteOpen localhost:$WWW" -R "$SP" charlie \
    "curl -s --max-time 20 --socks5-hostname 127.0.0.1:$SP http://localhost:$WWW/"
expect_run permit-remote-open-allows 0 "$PAGE"

# ExitOnForwardFailure with a taken local port: 255 and ssh's words.
TAKEN=$(free_port)
# Every address, IPv4 and IPv6, so that sshd's "localhost" fails too.
python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_INET6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", int(sys.argv[1]))); s.listen(); time.sleep(600)' "$TAKEN" &
at_exit "kill $!"
wait_listen "$TAKEN"
run_lab -o ExitOnForwardFailure=yes -L "127.0.0.1:$TAKEN:127.0.0.1:$WWW" \
    -J alpha charlie echo no
expect_run eoff-local-255 255 ""
expect_match eoff-local-bind-message "$ERR" "bind \[127\.0\.0\.1\]:$TAKEN: Address already in use"
expect_match eoff-local-could-not "$ERR" "Could not request local forwarding\."
run_lab -o ExitOnForwardFailure=yes -D "127.0.0.1:$TAKEN" charlie echo no
expect_run eoff-dynamic-255 255 ""
# Without it: the same lines, and the session runs.
run_lab -L "127.0.0.1:$TAKEN:127.0.0.1:$WWW" charlie echo yes
expect_run no-eoff-goes-on 0 yes
expect_match no-eoff-says-so "$ERR" "Could not request local forwarding\."
# A taken remote port (the server is on this host): sshd refuses.
bg_start -N -o ExitOnForwardFailure=yes -R "$TAKEN:127.0.0.1:$WWW" charlie
for i in $(seq 150); do
	kill -0 "$BG" 2>/dev/null || break
	sleep 0.1
done
bg_stop
expect_eq eoff-remote-255 "$BGRC" 255
expect_match eoff-remote-message "$ERR" "Error: remote port forwarding failed for listen port $TAKEN"
run_lab -R "$TAKEN:127.0.0.1:$WWW" charlie "sleep 1; echo yes"
expect_run no-eoff-remote-goes-on 0 yes
expect_match no-eoff-remote-warns "$ERR" "Warning: remote port forwarding failed for listen port $TAKEN"

# ClearAllForwardings drops the command line's forwardings too.
LP=$(free_port)
run_lab -o ClearAllForwardings=yes -L "$LP:127.0.0.1:$WWW" charlie \
    "ss -Hltn 'sport = :$LP' | wc -l"
expect_run clear-all-forwardings 0 0

# LocalForward from the configuration, and GatewayPorts (-g): every
# address instead of loopback only.
LP=$(free_port)
GP=$(free_port)
bg_start -N -o "LocalForward $LP 127.0.0.1:$WWW" charlie
if wait_listen "$LP"; then
	got=$(curl -s --max-time 20 "http://127.0.0.1:$LP/")
	expect_eq localforward-keyword "$got" "$PAGE"
	expect_nomatch localforward-loopback-only \
	    "$(ss -Hltn "sport = :$LP" | awk '{ print $4 }')" '(0\.0\.0\.0|\*|\[::\]):'
else
	fail localforward-listens "no listener on $LP"
fi
bg_stop
bg_start -N -g -L "$GP:127.0.0.1:$WWW" charlie
if wait_listen "$GP"; then
	expect_match gatewayports-wildcard "$(ss -Hltn "sport = :$GP")" '(0\.0\.0\.0|\*|\[::\]):'
else
	fail gatewayports-listens "no listener on $GP"
fi
bg_stop

# The destination cannot open a connection: that one fails with ssh's
# message, the next one works; a server without TCP forwarding refuses.
DEAD=$(free_port)
LP=$(free_port)
OP=$(free_port)
bg_start -N -J alpha -L "$LP:127.0.0.1:$DEAD" -L "$OP:127.0.0.1:$WWW" charlie
if wait_listen "$LP" && wait_listen "$OP"; then
	got=$(curl -s --max-time 20 "http://127.0.0.1:$LP/"; echo "rc=$?")
	expect_match open-failure-closes "$got" '^rc=(52|56)$'
	got=$(curl -s --max-time 20 "http://127.0.0.1:$OP/")
	expect_eq open-failure-others-work "$got" "$PAGE"
	kill -0 "$BG" 2>/dev/null
	check open-failure-client-lives test $? = 0
else
	fail open-failure-listens "no listener"
fi
bg_stop
expect_match open-failure-message "$ERR" 'channel [0-9]+: open failed: connect failed: Connection refused'
LP=$(free_port)
bg_start -N -L "$LP:127.0.0.1:$WWW" nofwd
if wait_listen "$LP"; then
	curl -s --max-time 20 "http://127.0.0.1:$LP/" >/dev/null
fi
bg_stop
expect_match noforward-prohibited "$ERR" 'channel [0-9]+: open failed: administratively prohibited'

# As ssh, the client stays while a forwarded connection is open after
# the remote command ended, and the connection completes.
LP=$(free_port)
bg_start -L "$LP:127.0.0.1:$EPORT" charlie "sleep 2"
if wait_listen "$LP"; then
	got=$(python3 -c 'import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
time.sleep(4); s.sendall(b"late"); s.shutdown(socket.SHUT_WR)
print(s.recv(100).decode())' "$LP")
	expect_eq session-waits-for-forwarded "$got" late
fi
wait "$BG"
expect_eq session-waits-exit-0 "$?" 0

# -N and SIGHUP: 255, as ssh (SIGTERM above: 0).
bg_start -N charlie
sleep 1.5
kill -HUP "$BG"
wait "$BG"
expect_eq N-sighup-255 "$?" 255

# -N ends with 255 when the connection does (its sshd process killed).
bg_start -N charlie
sleep 1.5
for p in $(ps -o pid= --ppid "$(lab_pid charlie)"); do kill "$p"; done
for i in $(seq 100); do
	kill -0 "$BG" 2>/dev/null || break
	sleep 0.1
done
bg_stop
expect_eq N-connection-end-255 "$BGRC" 255

# A stale local socket file: refused, unless StreamLocalBindUnlink.
: >"$T/stale.sock"
run_lab -o ExitOnForwardFailure=yes -L "$T/stale.sock:127.0.0.1:$WWW" \
    charlie true
expect_run stale-socket-refused 255
bg_start -N -o StreamLocalBindUnlink=yes -L "$T/stale.sock:127.0.0.1:$WWW" \
    charlie
for i in $(seq 150); do
	[ -S "$T/stale.sock" ] && break
	sleep 0.1
done
got=$(curl -s --max-time 20 --unix-socket "$T/stale.sock" "http://localhost/")
expect_eq stream-local-bind-unlink "$got" "$PAGE"
expect_eq stream-local-bind-mask "$(stat -c %a "$T/stale.sock")" 600
bg_stop

# Bad specifications: ssh's message, 255.
run_lab -L 1234:onlyhost charlie true
expect_run bad-L-255 255 ""
expect_match bad-L-message "$ERR" "Bad local forwarding specification '1234:onlyhost'"
run_lab -D 0 charlie true
expect_match bad-D-message "$ERR" "Bad dynamic forwarding specification '0'"

# A Unix socket as the remote listen side: libssh (0.12 as 0.10)
# cannot; says so.
if xssh_only remote-unix-listen; then
	run_lab -o ExitOnForwardFailure=yes -R "$T/r.sock:127.0.0.1:$WWW" \
	    charlie true
	expect_run remote-unix-listen-255 255
	expect_match remote-unix-listen-says "$ERR" 'not supported \(libssh has no streamlocal-forward\)'
fi

# No background client reported a sanitizer finding or crashed.
cat "$T/bg.err" >>"$T/bg.all" 2>/dev/null
expect_eq no-sanitizer-reports \
    "$(cat "$T/bg.all" "$T"/run*.err 2>/dev/null | grep -cE 'Sanitizer|runtime error')" 0
