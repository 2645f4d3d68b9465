#!/bin/bash
# Hostile host and user names (issue 10).  A name from the command line
# reaches a shell through %-tokens (ProxyCommand, LocalCommand, Match
# exec) or a command's arguments (KnownHostsCommand); OpenSSH 9.2 as
# Debian ships it (CVE-2023-51385, CVE-2026-35386 fixes) refuses such a
# name before it reads any configuration.  Data-driven: for every
# hostile name in the tables, every command-running keyword and every
# token that carries the name, the installed ssh and xssh run with the
# same arguments and the same throwaway config; xssh must refuse with
# ssh's words and exit 255, and no command may have run (a script on
# PATH, "pwn", creates $T/PWNED).  Harmless names must still work, and
# the commands must see them as ssh's commands see them.  Then -J,
# ProxyJump from a config file (each hop's own ssh would refuse it on
# its command line) and -G.
. "$(dirname "$0")/../lib.sh"

SSH=/usr/bin/ssh
if [ "$IS_OPENSSH" = 1 ] || [ ! -x "$SSH" ]; then
	skip hostile-names "needs xssh and the installed ssh to compare"
	exit 0
fi
# The oracle must have the checks, or every comparison is void.
if "$SSH" -F none -G 'x;y' >/dev/null 2>&1; then
	skip hostile-names "$SSH does not refuse hostile names"
	exit 0
fi

lab_start names alpha
P=$(lab_port alpha)
U=$(id -un)
M=$T/PWNED
SEEN=$T/seen
RELAY="$TOP/tests/helpers/tcp-relay.py $P"
export SHELL=/bin/sh

mkdir -p "$T/bin"
printf '#!/bin/sh\n: >%s\n' "$M" >"$T/bin/pwn"
# KnownHostsCommand: note the arguments, answer with the lab's key for
# the known_hosts name (%H, first), whatever the destination is called.
key=$(awk -v p="[127.0.0.1]:$P" '$1 == p { print $2, $3 }' "$LAB/known_hosts")
cat >"$T/bin/khrec" <<EOF
#!/bin/sh
h=\$1
shift
printf 'kh %s\\n' "\$*" >>$SEEN
echo "\$h $key"
EOF
cat >"$T/bin/pcrec" <<EOF
#!/bin/sh
printf 'pc %s\\n' "\$*" >>$SEEN
exec $RELAY
EOF
chmod +x "$T/bin/pwn" "$T/bin/khrec" "$T/bin/pcrec"
export PATH=$T/bin:$PATH

# ------------------------------------------------------------ the tables
# One shell-significant character each where possible, so that each
# character of ssh's lists is tried on its own.
HOSTS=('h;pwn' 'h|pwn' 'h&pwn' 'h$(pwn)' 'h`pwn`' "h>$M" 'h<pwn'
    '-oProxyCommand=pwn' 'h pwn' $'h\npwn' $'h\tpwn' 'h(pwn)' 'h{pwn}'
    "h'pwn" 'h"pwn' 'h\pwn' 'h,pwn' '$PWN' $'h\001' $'h\177')
USERS=('u;pwn' 'u|pwn' 'u&pwn' 'u`pwn`' 'u$(pwn)' "u>$M" 'u<pwn' '-u'
    'u -oProxyCommand=pwn' 'u\' $'u\npwn' $'u\tpwn' $'u\001' "u'pwn"
    'u"pwn' 'u(pwn)' 'u{pwn}')
# Allowed by ssh, and by xssh's checks: -G takes them as ssh does.
# libssh refuses some (h_x, DOM\u, u$x: see libssh-0.10 notes), so
# only the *_LIBSSH ones can also connect.
GOOD_HOSTS=('h%x' 'h_x.example' 'h/x' $'h\303\251' 'h*')
GOOD_USERS=('u$x' 'DOM\u' 'u,b' 'u*' 'u b\c')
GOOD_HOSTS_LIBSSH=('H.X' 'h-x.example' 'h.')
GOOD_USERS_LIBSSH=('u b' 'u%x' 'u.x-y' 'u@x')

common() {
	cat <<EOF
Host *
    UserKnownHostsFile $LAB/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    IdentitiesOnly yes
    IdentityFile $LAB/id_ed25519
    ConnectTimeout 10
EOF
}

# conf KEYWORD TOKEN: a config in which KEYWORD runs a command with
# TOKEN in it, written so that a name with a metacharacter would run
# pwn; LocalCommand and KnownHostsCommand need the connection to the
# lab to get that far, so only %n, %k and %r carry a name there.
conf() {
	local f=$T/$1.conf
	case $1 in
	proxycommand)
		printf 'Host *\n    ProxyCommand sh -c "true %s"\n' "$2" ;;
	localcommand)
		printf 'Host *\n    HostName 127.0.0.1\n    Port %s\n    User %s\n    PermitLocalCommand yes\n    LocalCommand true %s\n' \
		    "$P" "$U" "$2" ;;
	matchexec)
		printf 'Match exec "true %s"\n' "$2" ;;
	knownhostscommand)
		printf 'Host *\n    HostName 127.0.0.1\n    Port %s\n    UserKnownHostsFile /dev/null\n    KnownHostsCommand %s/bin/khrec %%H %s\n' \
		    "$P" "$T" "$2" ;;
	esac >"$f"
	common >>"$f"
	echo "$f"
}

# run_ssh ARGS...: the installed ssh; S_RC, S_OUT, S_ERR (no CRs).
run_ssh() {
	timeout -k 5 60 "$SSH" "$@" </dev/null >"$T/ssh.out" 2>"$T/ssh.err"
	S_RC=$?
	S_OUT=$(cat "$T/ssh.out")
	S_ERR=$(tr -d '\r' <"$T/ssh.err")
}

# q STRING: the string on one line, for messages.
q() { printf '%q' "$1"; }

# refused ARGS...: ssh refuses ARGS, and xssh too, with the same words,
# exit 255, and pwn ran for neither.  Adds what went wrong to BAD.
BAD=
refused() {
	rm -f "$M"
	run_ssh "$@"
	if [ -e "$M" ] || [ "$S_RC" != 255 ]; then
		BAD="$BAD; the oracle: ssh $(q "$*") exit $S_RC, $(q "$S_ERR")"
		return
	fi
	run_x "$@" </dev/null
	if [ -e "$M" ]; then
		BAD="$BAD; xssh $(q "$*") ran pwn"
	elif [ "$RC" != 255 ]; then
		BAD="$BAD; xssh $(q "$*") exit $RC"
	elif [ "$ERR" != "$S_ERR" ]; then
		BAD="$BAD; xssh $(q "$*") said $(q "$ERR"), ssh $(q "$S_ERR")"
	fi
}

# verdict NAME: ok when BAD is empty, else its first few entries.
verdict() {
	if [ -z "$BAD" ]; then
		ok "$1"
	else
		LAST_CMD=
		fail "$1" "$(printf '%s' "${BAD#; }" | cut -c1-600)"
	fi
	BAD=
}

# urlenc STRING: %XX for every byte but [A-Za-z0-9._-].
urlenc() {
	local s=$1 i c out=
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s' "$out"
}

# ------------------------------------------------------------ host names
for kw in proxycommand localcommand matchexec knownhostscommand; do
	case $kw in
	proxycommand | matchexec) toks='%h %n %k' ;;
	*) toks='%n %k' ;;
	esac
	for tok in $toks; do
		f=$(conf $kw "$tok")
		for h in "${HOSTS[@]}"; do
			refused -F "$f" -- "$h" true
		done
		verdict "host-$kw-${tok#%}"
	done
done

# ------------------------------------------------------------ user names
for kw in proxycommand localcommand matchexec knownhostscommand; do
	f=$(conf $kw %r)
	for u in "${USERS[@]}"; do
		refused -F "$f" -l "$u" h true
	done
	verdict "user-$kw-r"
done
# Every other way the command line names the user: user@, -o User and
# an ssh:// URI (decoded before it is checked, as ssh decodes it).
f=$(conf matchexec %r)
for u in "${USERS[@]}"; do
	refused -F "$f" -- "$u@h" true
	refused -F "$f" -o "User=$u" h true
	refused -F "$f" "ssh://$(urlenc "$u")@h" true
done
verdict user-forms

# Both bad: ssh names the user.
f=$(conf matchexec '%h %r')
refused -F "$f" -l 'u;pwn' 'h;pwn' true
refused -F "$f" 'u;pwn@h;pwn' true
verdict user-before-host

# The user that counts is the first one given, as ssh takes it.
rm -f "$M"
run_x -F "$(conf matchexec %r)" -o User=nobody -l 'u;pwn' -G h </dev/null
run_ssh -F "$(conf matchexec %r)" -o User=nobody -l 'u;pwn' -G h
expect_eq user-first-wins "$RC:$(grep '^user ' <<<"$OUT")" "$S_RC:$(grep '^user ' <<<"$S_OUT")"

# ------------------------------------------------------------ -G
for tok in %h %n %k %r; do
	f=$(conf matchexec "$tok")
	for h in "${HOSTS[@]}"; do
		refused -F "$f" -G -- "$h"
	done
	for u in "${USERS[@]}"; do
		refused -F "$f" -G -l "$u" h
	done
	verdict "print-config-matchexec-${tok#%}"
done

# ------------------------------------------------------------ -J
f=$(conf matchexec '%h %n %r')
for h in "${HOSTS[@]}"; do
	# Not a list, not cut at a blank, no "/" (ssh's host/port).
	case $h in *,* | *' '* | *$'\t'* | *$'\n'* | */*) continue ;; esac
	refused -F "$f" -J "$h" target true
	refused -F "$f" -J "good,$h,127.0.0.1" target true
done
for u in "${USERS[@]}"; do
	case $u in *,* | *' '* | *$'\t'* | *$'\n'* | */*) continue ;; esac
	refused -F "$f" -J "$u@127.0.0.1" target true
	refused -F "$f" -J "ssh://$(urlenc "$u")@127.0.0.1" target true
done
verdict jump-command-line

# ------------------------------------------------------------ ProxyJump
# From a config file the list is the user's own, but each hop's name,
# user and rest of the list would be the command line of that hop's ssh,
# which refuses them before it reads its config.  xssh resolves the hop
# in-process: the same refusal, before the hop's Match exec runs.  ssh
# itself hands such a list to "sh -c" (so it can run pwn); it is the
# oracle only where the shell leaves the name alone ({} and control
# characters), and only for its first line (the rest is its outer
# process seeing the proxy close).
# pj LIST: a config whose "target" jumps via LIST, Match exec with the
# hop's names in it.
pj() {
	{
		printf 'Match exec "true %%h %%n %%r"\nHost target\n    ProxyJump %s\n' "$1"
		common
	} >"$T/pj.conf"
	echo "$T/pj.conf"
}
# hop_refused NAME LIST WANT: xssh refuses with WANT and runs nothing.
hop_refused() {
	rm -f "$M"
	run_x -F "$(pj "$2")" target true </dev/null
	if [ -e "$M" ]; then
		fail "$1" "pwn ran"
	else
		expect_run "$1-exit" 255
		expect_eq "$1-says" "$ERR" "$3"
	fi
}
H='hostname contains invalid characters'
R='remote username contains invalid characters'
hop_refused pj-host-semicolon 'h;pwn' "$H"
hop_refused pj-host-subst 'h$(pwn)' "$H"
hop_refused pj-host-backquote 'h`pwn`' "$H"
hop_refused pj-host-pipe 'h|pwn' "$H"
hop_refused pj-host-dash '-oProxyCommand=pwn' "$H"
hop_refused pj-user-semicolon 'u;pwn@127.0.0.1' "$R"
hop_refused pj-user-dash '-u@127.0.0.1' "$R"
hop_refused pj-rest-of-list "h;pwn,127.0.0.1:$P" \
    $'parse_jump: invalid hostname "h;pwn"\nInvalid -J argument'
hop_refused pj-middle "127.0.0.1:$P,h|pwn,127.0.0.1:$P" \
    $'parse_jump: invalid hostname "h|pwn"\nInvalid -J argument'

# Where the shell leaves the name alone, ssh's hop says the same.
for spec in 'h{x}' 'u{x}@127.0.0.1' "h{x},127.0.0.1:$P" $'h\001'; do
	run_ssh -F "$(pj "$spec")" target true
	run_x -F "$(pj "$spec")" target true </dev/null
	want=$(grep -v -e '^kex_exchange_identification: ' \
	    -e '^Connection closed by UNKNOWN port 65535$' <<<"$S_ERR")
	if [ "$RC:$ERR" != "$S_RC:$want" ]; then
		BAD="$BAD; $(q "$spec"): xssh $RC $(q "$ERR"), ssh $S_RC $(q "$want")"
	fi
done
verdict pj-same-as-ssh

# ------------------------------------------------------------ harmless
# One config with all four keywords, each noting the names it was given
# ($SEEN); the connection goes to the lab whatever the name.  Same exit
# as ssh, and the commands saw the same words.
cat >"$T/good.conf" <<EOF
Match exec "echo me %h %n %k %r >>$SEEN"
Host *
    User $U
    ProxyCommand pcrec %h %n %k %r
    KnownHostsCommand $T/bin/khrec %H %h %n %k %r
    UserKnownHostsFile /dev/null
    PermitLocalCommand yes
    LocalCommand echo lc %h %n %k %r >>$SEEN
$(common | grep -v UserKnownHostsFile)
EOF
# same ARGS...: ssh and xssh take ARGS alike.  The lines are sorted:
# xssh asks KnownHostsCommand for the key order before it connects,
# ssh after, which is not what this test is about.
same() {
	rm -f "$M" "$SEEN"
	run_ssh "$@"
	s_seen=$(sort "$SEEN" 2>/dev/null)
	rm -f "$SEEN"
	run_x "$@" </dev/null
	x_seen=$(sort "$SEEN" 2>/dev/null)
	if [ -e "$M" ]; then
		BAD="$BAD; $(q "$*"): pwn ran"
	elif [ "$RC" != "$S_RC" ] || [ "$x_seen" != "$s_seen" ]; then
		BAD="$BAD; $(q "$*"): xssh $RC $(q "$x_seen"), ssh $S_RC $(q "$s_seen")"
	elif [ -z "$s_seen" ]; then
		BAD="$BAD; $(q "$*"): no command ran"
	elif [ "$1" = -G ] && [ "$(grep -E '^(host|hostname|user) ' <<<"$OUT")" != \
	    "$(grep -E '^(host|hostname|user) ' <<<"$S_OUT")" ]; then
		BAD="$BAD; $(q "$*"): -G printed other names"
	fi
}
for h in "${GOOD_HOSTS[@]}" "${GOOD_HOSTS_LIBSSH[@]}"; do
	same -G -F "$T/good.conf" -- "$h"
done
for u in "${GOOD_USERS[@]}" "${GOOD_USERS_LIBSSH[@]}"; do
	same -G -F "$T/good.conf" -l "$u" h
	same -G -F "$T/good.conf" "ssh://$(urlenc "$u")@h"
done
verdict good-names-print-config
for h in "${GOOD_HOSTS_LIBSSH[@]}"; do
	same -F "$T/good.conf" -- "$h" true
done
verdict good-hosts-connect
# They log in, and LocalCommand ran with the name.
rm -f "$SEEN"
run_x -F "$T/good.conf" H.X true </dev/null
expect_run good-host-logs-in 0
check good-host-localcommand grep -qx "lc h.x H.X H.X $U" "$SEEN"
# A user that does not exist: refused by the server, not by the client.
for u in "${GOOD_USERS_LIBSSH[@]}"; do
	same -F "$T/good.conf" -l "$u" h true
done
verdict good-users-connect
