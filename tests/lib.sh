# tests/lib.sh: sourced by tests/integration/*.sh.
#
# Each test prints "ok NAME", "not ok NAME - detail" or "skip NAME reason"
# (tests/run counts them) and "# ..." diagnostics.  The client under test
# is $XSSH (default: ./xssh at the top of the tree).  Every file gets a
# private temp dir ($T), a lab of servers through lab_start, and an EXIT
# trap that stops the lab and removes $T (XSSH_TEST_KEEP=1 keeps $T).
#
#   lab_start NAME SPEC...   start contrib/xssh-lab servers in $T/NAME;
#                            exports LAB, HOME=$LAB/home
#   run_x ARGS...            run $XSSH ARGS (stdin inherited) under a
#                            timeout ($X_TIMEOUT, default 60 s); sets
#                            RC, OUT, ERR (text), OUTF, ERRF (files),
#                            ELAPSED (seconds, 2 decimals)
#   run_lab ARGS...          run_x -F $LAB/ssh_config ARGS...
#   ok / fail / skip / check / expect_eq / expect_match / expect_run
#   at_exit CMD              run CMD (eval'd) at exit, after the labs stop

set -u
export LC_ALL=C
unset SSH_AUTH_SOCK SSH_AGENT_PID DISPLAY SSH_ASKPASS

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$TESTS_DIR/.." && pwd)
LABTOOL=$TOP/contrib/xssh-lab
XSSH=${XSSH:-$TOP/xssh}
XTIMEOUT=${X_TIMEOUT:-60}
TEST_NAME=$(basename "$0" .sh)

T_PASS=0
T_FAIL=0
T_SKIP=0
LABS=()
AT_EXIT=()
LAST_CMD=
RC=
OUT=
ERR=
OUTF=
ERRF=
ELAPSED=
_RUNS=0

T=$(mktemp -d "/tmp/xssh-test-$TEST_NAME.XXXXXX")
chmod 711 "$T"		# a Dropbear throwaway user must reach its HOME
# Never the real ~/.ssh: an empty HOME until lab_start gives the lab's.
mkdir -m 700 -p "$T/home/.ssh"
export HOME=$T/home

_lib_exit() {
	local rc=$? i
	trap - EXIT TERM INT HUP
	for i in ${LABS[@]+"${LABS[@]}"}; do
		"$LABTOOL" stop "$i" >/dev/null 2>&1 ||
		    echo "# warning: xssh-lab stop $i failed"
	done
	for ((i = ${#AT_EXIT[@]} - 1; i >= 0; i--)); do
		eval "${AT_EXIT[$i]}" >/dev/null 2>&1 || true
	done
	_sweep_strays
	if [ "${XSSH_TEST_KEEP:-0}" = 1 ]; then
		echo "# kept $T"
	else
		rm -rf "$T"
	fi
	echo "# $TEST_NAME: $T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	[ $rc = 0 ] && [ $T_FAIL -gt 0 ] && rc=1
	exit $rc
}
trap _lib_exit EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

at_exit() { AT_EXIT+=("$*"); }

# PIDs of processes whose command line mentions $T, other than the lab
# servers: clients (or OpenSSH's per-hop ssh processes) this test started
# and that outlived their run.
strays() {
	local f pid l servers=" "
	for l in ${LABS[@]+"${LABS[@]}"}; do
		servers="$servers$(cat "$l"/*/pid 2>/dev/null | tr '\n' ' ')"
	done
	for f in /proc/[0-9]*/cmdline; do
		pid=${f#/proc/}
		pid=${pid%/cmdline}
		[ "$pid" = $$ ] && continue
		case $servers in *" $pid "*) continue ;; esac
		tr '\0' ' ' 2>/dev/null <"$f" | grep -qF "$T/" && echo "$pid"
	done
	return 0
}

_sweep_strays() {
	local p
	p=$(strays)
	[ -n "$p" ] || return 0
	echo "# killing stray processes: $(echo $p)"
	kill $p 2>/dev/null || true
}

# ------------------------------------------------------------ reporting

ok() {
	T_PASS=$((T_PASS + 1))
	echo "ok $1"
}

# fail NAME DETAIL...: also shows the last client run.
fail() {
	local name=$1
	shift
	T_FAIL=$((T_FAIL + 1))
	echo "not ok $name${*:+ - $*}"
	if [ -n "$LAST_CMD" ]; then
		echo "#   last run: $LAST_CMD"
		echo "#   exit $RC after ${ELAPSED}s; stdout: $(_short "$OUT")"
		[ -n "$ERR" ] && printf '%s\n' "$ERR" | head -15 | sed 's/^/#   stderr: /'
	fi
	return 0
}

skip() {
	T_SKIP=$((T_SKIP + 1))
	echo "skip $1 ${2-}"
}

_short() {
	local s=${1//$'\n'/\\n}
	[ ${#s} -gt 200 ] && s="${s:0:200}..."
	printf "'%s'" "$s"
}

# check NAME CMD...: ok when CMD succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name" "failed: $*"; fi
}

expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1" "got $(_short "$2"), want $(_short "$3")"
	fi
}

# expect_match NAME TEXT ERE
expect_match() {
	if [[ $2 =~ $3 ]]; then
		ok "$1"
	else
		fail "$1" "$(_short "$2") does not match /$3/"
	fi
}

expect_nomatch() {
	if [[ $2 =~ $3 ]]; then
		fail "$1" "$(_short "$2") matches /$3/"
	else
		ok "$1"
	fi
}

# expect_run NAME RC [STDOUT]: the last run_x exited RC (and printed STDOUT).
expect_run() {
	if [ "$RC" != "$2" ]; then
		fail "$1" "exit $RC, want $2"
	elif [ $# -ge 3 ] && [ "$OUT" != "$3" ]; then
		fail "$1" "stdout $(_short "$OUT"), want $(_short "$3")"
	else
		ok "$1"
	fi
}

# xssh_only NAME: false (and a skip) when the client under test is OpenSSH's
# ssh, for checks of xssh's own messages.
xssh_only() {
	[ "$IS_OPENSSH" = 1 ] || return 0
	skip "$1" "needs xssh (OpenSSH does not do this)"
	return 1
}

# expect_hop_error NAME I N HOP: exit 255 and a stderr line naming the hop
# as "hop I/N" and HOP (xssh's message; OpenSSH does not name hops).
expect_hop_error() {
	local name=$1 i=$2 n=$3 hop=$4
	xssh_only "$name" || return 0
	if [ "$RC" != 255 ]; then
		fail "$name" "exit $RC, want 255"
	elif ! grep -E "hop $i/$n([^0-9]|\$)" <<<"$ERR" |
	    grep -Eq "(^|[^[:alnum:]_.-])$hop([^[:alnum:]_.-]|\$)"; then
		fail "$name" "stderr does not name 'hop $i/$n' and '$hop' on one line"
	else
		ok "$name"
	fi
}

# expect_one_line NAME: exit 255 and exactly one non-empty stderr line
# (xssh's error style; OpenSSH often prints two).
expect_one_line() {
	xssh_only "$1" || return 0
	local n
	n=$(grep -c . <<<"$ERR")
	if [ "$RC" != 255 ]; then
		fail "$1" "exit $RC, want 255"
	elif [ "$n" != 1 ]; then
		fail "$1" "$n stderr lines, want 1"
	else
		ok "$1"
	fi
}

# ------------------------------------------------------------ the client

# RUN_IN: a command prefix for the client, e.g. (ip netns exec NS).
RUN_IN=()

run_x() {
	local to=${X_TIMEOUT:-$XTIMEOUT} t0 t1
	_RUNS=$((_RUNS + 1))
	OUTF=$T/run$_RUNS.out
	ERRF=$T/run$_RUNS.err
	LAST_CMD="xssh $*"
	t0=$(date +%s%N)
	timeout -k 5 "$to" ${RUN_IN[@]+"${RUN_IN[@]}"} "$XSSH" "$@" \
	    >"$OUTF" 2>"$ERRF"
	RC=$?
	t1=$(date +%s%N)
	ELAPSED=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	OUT=$(head -c 65536 "$OUTF" | tr -d '\0')
	ERR=$(head -c 65536 "$ERRF" | tr -d '\0')
	[ $RC = 124 ] && ERR="$ERR"$'\n'"(killed by timeout after ${to}s)"
	return 0
}

run_lab() { run_x -F "$LAB/ssh_config" "$@"; }

if [ ! -x "$XSSH" ]; then
	echo "not ok $TEST_NAME-setup - XSSH=$XSSH is not an executable (build it with make, or set XSSH)"
	T_FAIL=1
	exit 1
fi
IS_OPENSSH=0
timeout 5 "$XSSH" -V 2>&1 | grep -q '^OpenSSH' && IS_OPENSSH=1

# ------------------------------------------------------------ the lab

# lab_start NAME SPEC...: a lab in $T/NAME; LAB and HOME point at it.
lab_start() {
	local name=$1
	shift
	LAB=$T/$name
	LABS+=("$LAB")
	if ! "$LABTOOL" start "$LAB" "$@" >"$T/$name.start" 2>&1; then
		echo "not ok $TEST_NAME-lab-$name - xssh-lab start $* failed"
		sed 's/^/#   /' "$T/$name.start"
		T_FAIL=$((T_FAIL + 1))
		exit 1
	fi
	export LAB HOME=$LAB/home
}

lab_port() { cat "$LAB/$1/port"; }
lab_pid() { cat "$LAB/$1/pid"; }
lab_user() { sed -n "/^Host $1\$/,/^Host /s/^ *User //p" "$LAB/ssh_config" | head -1; }

# Successful logins so far on server NAME (sshd or Dropbear log).
lab_logins() {
	grep -Ec 'Accepted publickey for|Pubkey auth succeeded for' \
	    "$LAB/$1/log" || true
}

# snap: remember the login counts of the servers in $ALL (names), so
# that logins_are NAME HOST... can check that exactly one new login
# happened on each HOST and none on the others.
declare -A _logins_before
snap() {
	local s
	for s in $ALL; do _logins_before[$s]=$(lab_logins "$s"); done
}
logins_are() {
	local name=$1 s want got bad=
	shift
	for s in $ALL; do
		want=0
		case " $* " in *" $s "*) want=1 ;; esac
		got=$(($(lab_logins "$s") - ${_logins_before[$s]}))
		[ "$got" = "$want" ] || bad="$bad $s:$got(want $want)"
	done
	if [ -z "$bad" ]; then ok "$name"; else fail "$name" "new logins:$bad"; fi
}

# Terminal tests through tmux.  tmux_setup NAME: a tmux server of this
# test's own (killed at exit), whose session NAME the test creates;
# pane prints that session's screen; wait_pane REGEX waits up to 15 s
# for the screen to show it.
tmux_setup() {
	TMUX_SOCK=xssh-$1-$$
	TMUX_SESSION=$1
	at_exit "tmux -L $TMUX_SOCK kill-server"
}
pane() {
	tmux -L "$TMUX_SOCK" capture-pane -p -J -t "$TMUX_SESSION" -S -50 \
	    2>/dev/null
}
wait_pane() {
	local i
	for i in $(seq 150); do
		pane | grep -Eq -e "$1" && return 0
		sleep 0.1
	done
	return 1
}

# lab_variant OUT HOST LINE...: a copy of the lab's ssh_config with LINEs
# first in HOST's block, so that they win over the block's own lines.
lab_variant() {
	local out=$1 host=$2
	shift 2
	local lines
	lines=$(printf '    %s\n' "$@")
	awk -v h="$host" -v l="$lines" '
	    { print }
	    $1 == "Host" && $2 == h { print l; n++ }
	    END { if (n != 1) exit 1 }' "$LAB/ssh_config" >"$out" ||
		{ echo "# lab_variant: no Host $host block"; return 1; }
}

# kh_variant OUT NAME: the lab's known_hosts with another key for NAME.
kh_variant() {
	local out=$1 name=$2 key
	rm -f "$T/other_key" "$T/other_key.pub"
	ssh-keygen -q -t ed25519 -N '' -f "$T/other_key"
	key=$(cut -d' ' -f1,2 "$T/other_key.pub")
	awk -v p="[127.0.0.1]:$(lab_port "$name")" -v k="$key" \
	    '$1 == p { print p, k; next } { print }' "$LAB/known_hosts" >"$out"
}

# proc_tree PID: PID and every process below it, the deepest first (a
# server's listener and the processes that serve its connections).
proc_tree() {
	local c
	for c in $(pgrep -P "$1"); do
		proc_tree "$c"
	done
	echo "$1"
}

# A TCP port on 127.0.0.1 with nothing listening.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 12000))
		ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
}

need_root() {
	[ "$(id -u)" = 0 ] || { skip "$1" "needs root"; return 1; }
}
