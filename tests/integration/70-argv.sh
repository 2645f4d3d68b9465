#!/bin/bash
# The command line: -V, unknown options, bad -J strings, options after the
# destination, attached and bundled options, "--", and how the remote
# command is put together.  Passes with XSSH=/usr/bin/ssh, except the
# *-one-line checks (xssh prints one error line; OpenSSH often two).
. "$(dirname "$0")/../lib.sh"

lab_start argv alpha tgt
U=$(id -un)
PT=$(lab_port tgt)
F=$LAB/ssh_config
SRVPORT='echo ${SSH_CONNECTION##* }'

# ------------------------------------------------------------ -V, usage
run_x -V
expect_run version-exit 0 ""
expect_match version-on-stderr "$ERR" '[0-9]+\.[0-9]+'

run_x -H -F "$F" tgt true
expect_run unknown-option 255 ""
expect_match unknown-option-message "$ERR" '.'

run_x --no-such-long-option -F "$F" tgt true
expect_run unknown-long-option 255 ""
expect_match unknown-long-option-message "$ERR" '.'

run_x -F "$F"
expect_run no-destination 255 ""
expect_match no-destination-message "$ERR" '[Uu]sage'

run_x -F "$F" -p
expect_run missing-argument 255 ""
expect_match missing-argument-message "$ERR" '.'

# ------------------------------------------------------------ bad -J
# The destination is reachable directly: a client that ignored the bad -J
# would run "true" and exit 0.  (OpenSSH takes "-J 'alpha tgt'" as alpha:
# not an error, so not here.)
while read -r -u 3 name j; do
	[ "$j" = "''" ] && j=
	X_TIMEOUT=15 run_x -F "$F" -J "$j" tgt true
	expect_run "bad-J-$name" 255 ""
	if [ -z "$ERR" ]; then
		fail "bad-J-$name-message" "no message for -J '$j'"
	else
		ok "bad-J-$name-message"
	fi
	# A refused name is told in ssh's two lines, as the other refused
	# names are (12-hostile-names.sh compares them with ssh).
	case $name in
	semicolon | leading-dash)
		expect_eq "bad-J-$name-words" "${ERR//$'\r'/}" "parse_jump: invalid hostname \"${j##*,}\"
Invalid -J argument" ;;
	*)	expect_one_line "bad-J-$name-one-line" ;;
	esac
done 3<<'EOF'
empty-hop alpha,,tgt
port-too-big alpha:99999
port-zero alpha:0
port-not-number alpha:port
open-bracket [::1
uri-with-path ssh://alpha/path
semicolon alpha;tgt
leading-dash -oProxyCommand=x
empty ''
only-comma ,
trailing-comma alpha,
EOF

run_x -F "$F" -J alpha -J alpha tgt true
expect_run two-J-options 255 ""

# -J none: no jump at all.
b=$(lab_logins alpha)
run_x -F "$F" -J none tgt echo hi
expect_run J-none 0 hi
expect_eq J-none-no-jump "$(lab_logins alpha)" "$b"

# ------------------------------------------------------------ option placement
# Options after the destination (before the command) are options.
run_x 127.0.0.1 -F "$F" -p "$PT" -l "$U" "$SRVPORT"
expect_run options-after-destination 0 "$PT"

run_x -F "$F" tgt -J alpha "$SRVPORT"
expect_run J-after-destination 0 "$PT"

# After the first word of the command, everything is the command's.
run_x -F "$F" tgt echo -p 1 -l x
expect_run command-args-not-options 0 "-p 1 -l x"

run_x -F "$F" tgt -- echo -p 1
expect_run dashdash-after-destination 0 "-p 1"

run_x -F "$F" -- tgt echo hi
expect_run dashdash-before-destination 0 hi

# ------------------------------------------------------------ -o, attached, bundled
run_x -F "$F" -oPort="$PT" 127.0.0.1 "$SRVPORT"
expect_run o-attached-equals 0 "$PT"

run_x -F "$F" -o "Port $PT" 127.0.0.1 "$SRVPORT"
expect_run o-separate-space 0 "$PT"

run_x -F "$F" -o "Port=$PT" 127.0.0.1 "$SRVPORT"
expect_run o-separate-equals 0 "$PT"

run_x -F "$F" -oUser=nosuchuser tgt true
expect_run o-user-used 255 ""

run_x -F "$F" -oNoSuchKeyword=yes tgt true
expect_run o-bad-keyword 255 ""

run_x -F"$F" tgt echo hi
expect_run F-attached 0 hi

run_x -qF "$F" tgt echo hi
expect_run qF-bundled 0 hi

run_x -nTqF "$F" tgt echo hi
expect_run nTqF-bundled 0 hi

run_x -F "$F" -p"$PT" -l"$U" 127.0.0.1 "$SRVPORT"
expect_run p-l-attached 0 "$PT"

run_x -F "$F" -Jalpha tgt echo hi
expect_run J-attached 0 hi

run_x -F "$F" -p 0x10 127.0.0.1 true
expect_run p-not-a-number 255 ""

run_x -F "$LAB/no-such-file" tgt true
expect_run F-missing-file 255 ""

# ------------------------------------------------------------ the remote command
# Arguments are joined with single spaces and run by the remote shell.
run_x -F "$F" tgt echo a '  b' c
expect_run command-joined 0 "a b c"

run_x -F "$F" tgt 'echo "a  b"; echo $((6 * 7))'
expect_run command-shell 0 $'a  b\n42'

run_x -F "$F" -J alpha tgt printf '%s-' x y
expect_run command-through-jump 0 "x-y-"

# ------------------------------------------------------------ -E and -q
# As ssh: errors go to the -E file, and -q silences even fatal ones.
DEAD=$(free_port)
run_x -F "$F" -E "$T/err.log" -p "$DEAD" 127.0.0.1 true
expect_run E-error-exit 255 ""
expect_eq E-error-not-on-stderr "$ERR" ""
expect_match E-error-in-file "$(cat "$T/err.log" 2>/dev/null)" "port $DEAD: Connection refused"
run_x -F "$F" -q -p "$DEAD" 127.0.0.1 true
expect_run q-error-exit 255 ""
expect_eq q-error-silent "$ERR" ""
# (ssh's hop processes do not get -q; in xssh it covers the chain.)
if xssh_only q-chain-error-silent; then
	run_x -F "$F" -q -J alpha -p "$DEAD" 127.0.0.1 true
	expect_eq q-chain-error-silent "$RC/$ERR" "255/"
fi
run_x -F "$F" -v -E "$T/debug.log" tgt echo hi
expect_run v-E-runs 0 hi
expect_eq v-E-nothing-on-stderr "$ERR" ""
expect_match v-E-debug-in-file "$(cat "$T/debug.log" 2>/dev/null)" "debug1: "
