#!/bin/bash
# xssh -G against OpenSSH's ssh -G (the specification: 9.2, Debian 12):
# for every config file of tests/data/dump-g/*.conf and each of its
# "# args: ..." lines, run
#     ssh  -G -F FILE ARGS </dev/null
#     xssh -G -F FILE ARGS </dev/null
# and compare stdout byte for byte (diff -u on failure) and the exit
# status (0, or both non-zero).  Lines naming a keyword listed in a
# file's "# except: KEYWORD REASON" line are left out of both sides,
# and the reason shown; the exceptions are listed at the end.
#
# A file's lines:
#   # args: ARGS...        one run (words split by the shell, so quote)
#   # except: KEYWORD why  leave KEYWORD's lines out, for this reason
#   # env: NAME=VALUE      set for both runs of this file
#   # needs: hosts         the runs need the test's hosts file (below)
#   # refused: why         xssh refuses these runs (exit 255, "not
#                          supported by xssh yet") where ssh prints:
#                          the named difference of -G, for what xssh
#                          would refuse when connecting too
# Files under tests/data/dump-g/dot-ssh/ are copied to ~/.ssh first,
# for relative Includes and ~ paths.
#
# ssh takes "~" and %d from the password database, xssh from $HOME: as
# root, the test runs in a private mount namespace where a temporary
# directory is mounted over the account's home, so that both see the
# same (empty) home and the real ~/.ssh is never read, and /etc/hosts
# and /etc/nsswitch.conf are replaced, for the canonicalization tests
# (CanonicalizeHostname), by a hosts file of the test's and no DNS.
# Elsewhere it sets HOME to a temporary directory, rewrites the
# account's home to $HOME in ssh's output, and skips the runs that
# need the hosts file.
if [ -z "${XSSH_DUMPG_NS-}" ] && [ "$(id -u)" = 0 ] &&
    unshare -m --propagation private true 2>/dev/null; then
	XSSH_DUMPG_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/../lib.sh"

DATA=$TOP/tests/data/dump-g
SSH=${SSH_G:-ssh}
PWHOME=$(getent passwd "$(id -u)" | cut -d: -f6)
export USER=xssh-test LOGNAME=xssh-test
export XSSH_DUMPG_VAR=from-env
unset SSH_AUTH_SOCK

if ! command -v "$SSH" >/dev/null; then
	skip dump-g "no OpenSSH ssh to compare with"
	exit 0
fi
if ! "$SSH" -V 2>&1 | grep -q '^OpenSSH_9\.2'; then
	echo "# warning: $("$SSH" -V 2>&1) is not OpenSSH 9.2, the specification"
fi

REWRITE_HOME=
HOSTS_OK=0
if [ "${XSSH_DUMPG_NS-}" = 1 ] && [ -n "$PWHOME" ] && [ -d "$PWHOME" ] &&
    mount --bind "$T/home" "$PWHOME" 2>/dev/null; then
	export HOME=$PWHOME
	echo "# private mount namespace: $T/home mounted over $PWHOME"
	# No name service but a hosts file of our own, for the
	# canonicalization tests: no DNS query leaves.  The names are
	# also listed with a final dot, which is how ssh asks for them.
	cat >"$T/hosts" <<-'EOF'
	127.0.0.1	localhost
	::1	localhost
	192.0.2.10	web.xssh.test web.xssh.test.
	192.0.2.11	real.xssh.example alias.xssh.test alias.xssh.test. real.xssh.example.
	192.0.2.12	db.corp.xssh.test db.corp.xssh.test.
	2001:db8::6	v6.xssh.test v6.xssh.test.
	EOF
	sed 's/^hosts:.*/hosts: files/' /etc/nsswitch.conf >"$T/nsswitch.conf"
	if mount --bind "$T/hosts" /etc/hosts &&
	    mount --bind "$T/nsswitch.conf" /etc/nsswitch.conf; then
		HOSTS_OK=1
	else
		echo "# warning: could not replace /etc/hosts in the namespace"
	fi
else
	REWRITE_HOME=$PWHOME
	echo "# no mount namespace: ssh's $PWHOME rewritten to \$HOME"
fi
mkdir -p "$HOME/.ssh"
chmod 700 "$HOME/.ssh"
if [ -d "$DATA/dot-ssh" ]; then
	cp -R "$DATA/dot-ssh/." "$HOME/.ssh/"
	chmod -R go-w "$HOME/.ssh"
fi
# For -i: identity files that exist (ssh drops the others with a warning).
: >"$HOME/.ssh/id_test"
: >"$T/id_abs"
export XSSH_DUMPG_ABS=$T/id_abs

EXCEPTIONS=()

# filter KEYWORDS...: stdin less the lines of those keywords.
filter() {
	local re
	if [ $# -eq 0 ]; then
		cat
		return
	fi
	re="^($(IFS='|'; echo "$*")) "
	grep -Ev "$re" || true
}

# compare NAME FILE ARGS...: one ssh/xssh pair.
compare() {
	local name=$1 file=$2
	shift 2
	local so=$T/ssh.out xo=$T/xssh.out src xrc
	(cd "$T" && "$SSH" -G -F "$file" "$@" </dev/null >"$so" 2>"$T/ssh.err")
	src=$?
	run_x -G -F "$file" "$@" </dev/null
	xrc=$RC
	if [ -n "$REWRITE_HOME" ]; then
		sed -i "s#$REWRITE_HOME/#$HOME/#g" "$so"
	fi
	filter ${EXCEPT[@]+"${EXCEPT[@]}"} <"$so" >"$so.f"
	filter ${EXCEPT[@]+"${EXCEPT[@]}"} <"$OUTF" >"$xo.f"
	if [ -n "$REFUSED" ]; then
		if [ $src != 0 ]; then
			fail "$name" "ssh exits $src: not a refusal test"
		elif [ $xrc != 255 ] || [ -s "$OUTF" ] ||
		    ! grep -q "not supported by xssh yet" "$ERRF"; then
			fail "$name" "xssh should refuse (exit 255, nothing on stdout)"
		else
			ok "$name"
		fi
		return
	fi
	if [ $src = 0 ] && [ $xrc != 0 ]; then
		fail "$name" "ssh exits 0, xssh $xrc"
	elif [ $src != 0 ] && [ $xrc = 0 ]; then
		fail "$name" "ssh exits $src ($(head -1 "$T/ssh.err")), xssh 0"
	elif ! cmp -s "$so.f" "$xo.f"; then
		fail "$name" "stdout differs (- ssh, + xssh)"
		diff -u "$so.f" "$xo.f" | head -40 | sed 's/^/#   /'
	else
		ok "$name"
	fi
}

nfiles=0
nruns=0
for conf in "$DATA"/*.conf; do
	[ -e "$conf" ] || continue
	nfiles=$((nfiles + 1))
	base=$(basename "$conf" .conf)
	EXCEPT=()
	while read -r kw why; do
		EXCEPT+=("$kw")
		EXCEPTIONS+=("$base: $kw: $why")
		echo "# $base: '$kw' lines not compared: $why"
	done < <(sed -n 's/^# except: //p' "$conf")
	envs=()
	while read -r kv; do
		envs+=("$kv")
	done < <(sed -n 's/^# env: //p' "$conf")
	REFUSED=$(sed -n 's/^# refused: //p' "$conf")
	if [ -n "$REFUSED" ]; then
		EXCEPTIONS+=("$base: refused by xssh: $REFUSED")
		echo "# $base: xssh refuses, ssh prints: $REFUSED"
	fi
	needs_hosts=0
	grep -q '^# needs: hosts' "$conf" && needs_hosts=1
	n=0
	while IFS= read -r args; do
		n=$((n + 1))
		nruns=$((nruns + 1))
		if [ $needs_hosts = 1 ] && [ $HOSTS_OK = 0 ]; then
			skip "$base-$n" "needs the test's own /etc/hosts (root and unshare -m)"
			continue
		fi
		eval "set -- $args"
		for kv in ${envs[@]+"${envs[@]}"}; do export "$kv"; done
		compare "$base-$n" "$conf" "$@"
		for kv in ${envs[@]+"${envs[@]}"}; do unset "${kv%%=*}"; done
	done < <(sed -n 's/^# args: //p' "$conf")
	[ $n -gt 0 ] || fail "$base-args" "$conf has no '# args:' line"
done

if [ $nfiles -lt 40 ]; then
	fail dump-g-corpus "$nfiles config files in $DATA, want at least 40"
else
	ok dump-g-corpus
fi
echo "# $nfiles config files, $nruns runs; exceptions: ${#EXCEPTIONS[@]}"
for e in ${EXCEPTIONS[@]+"${EXCEPTIONS[@]}"}; do
	echo "#   $e"
done
