#!/bin/bash
# CanonicalizeHostname when connecting: a short name becomes its
# canonical name (CanonicalDomains) before the connection, the second
# pass of the configuration picks up its blocks, the host key is looked
# up under that name, and "yes" leaves a proxied destination alone where
# "always" does not.  OpenSSH's contract: every check passes with
# XSSH=/usr/bin/ssh.
#
# The names live in a hosts file of the test's, which needs a private
# mount namespace (root and unshare -m): /etc/hosts and
# /etc/nsswitch.conf are replaced there only, and no DNS is asked.
if [ -z "${XSSH_CANON_NS-}" ] && [ "$(id -u)" = 0 ] &&
    unshare -m --propagation private true 2>/dev/null; then
	XSSH_CANON_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/../lib.sh"

if [ "${XSSH_CANON_NS-}" != 1 ]; then
	skip canonical-connect "needs root and unshare -m for a private /etc/hosts"
	exit 0
fi
cat >"$T/hosts" <<'EOF'
127.0.0.1	localhost
127.0.0.1	target.xssh.test target.xssh.test.
127.0.0.1	jump.xssh.test jump.xssh.test.
127.0.0.1	real.xssh.example alias.xssh.test alias.xssh.test. real.xssh.example.
EOF
sed 's/^hosts:.*/hosts: files/' /etc/nsswitch.conf >"$T/nsswitch.conf"
if ! mount --bind "$T/hosts" /etc/hosts ||
    ! mount --bind "$T/nsswitch.conf" /etc/nsswitch.conf; then
	skip canonical-connect "could not replace /etc/hosts in the namespace"
	exit 0
fi

lab_start canon alpha delta
U=$(id -un)
PA=$(lab_port alpha)
PD=$(lab_port delta)
ALL="alpha delta"
SRVPORT='echo ${SSH_CONNECTION##* }'

# The lab's host keys under the canonical names, and under no other.
key_of() { awk -v p="[127.0.0.1]:$1" '$1 == p { print $2, $3 }' "$LAB/known_hosts"; }
KA=$(key_of "$PA")
KD=$(key_of "$PD")
{
	printf '[jump.xssh.test]:%s %s\n' "$PA" "$KA"
	printf '[target.xssh.test]:%s %s\n' "$PD" "$KD"
	printf '[real.xssh.example]:%s %s\n' "$PD" "$KD"
} >"$T/known_hosts"

# conf NAME MODE EXTRA...: $T/NAME.conf, canonicalizing with MODE.
conf() {
	local name=$1 mode=$2
	shift 2
	{
		printf 'CanonicalizeHostname %s\n' "$mode"
		printf 'CanonicalDomains nothere.test xssh.test\n'
		printf '%s\n' "$@"
		printf 'Match canonical host target.xssh.test,real.xssh.example\n'
		printf '    Port %s\n' "$PD"
		printf 'Match canonical host jump.xssh.test\n'
		printf '    Port %s\n' "$PA"
		printf 'Host *\n'
		printf '    User %s\n' "$U"
		printf '    IdentityFile %s/id_ed25519\n' "$LAB"
		printf '    IdentitiesOnly yes\n'
		printf '    UserKnownHostsFile %s/known_hosts\n' "$T"
		printf '    GlobalKnownHostsFile none\n'
		printf '    StrictHostKeyChecking yes\n'
		printf '    BatchMode yes\n'
		printf '    CheckHostIP no\n'
	} >"$T/$name.conf"
	echo "$T/$name.conf"
}

YES=$(conf yes yes)
ALWAYS=$(conf always always)
CNAME=$(conf cname yes 'CanonicalizePermittedCNAMEs *.xssh.test:*.xssh.example')
NOFALLBACK=$(conf nofallback yes 'CanonicalizeFallbackLocal no')

# A direct name: canonicalized, then the second pass gives its port,
# and its key is found under the canonical name.
snap
run_x -F "$YES" target "$SRVPORT"
expect_run yes-direct 0 "$PD"
logins_are yes-direct-logins delta

# Upper case and a name that is already qualified.
run_x -F "$YES" TARGET "$SRVPORT"
expect_run yes-upper 0 "$PD"

# A CNAME is followed where a rule allows it (the key is known under
# real.xssh.example too).
run_x -F "$CNAME" alias "$SRVPORT"
expect_run cname-followed 0 "$PD"

# The jump host is canonicalized (it is reached directly), the proxied
# destination is not with "yes": the jump cannot resolve "target".
snap
run_x -F "$YES" -J jump target "$SRVPORT"
expect_run yes-proxied-not-canonicalized 255
logins_are yes-proxied-jump-logged-in alpha

# With "always" it is: the jump opens the channel to target.xssh.test.
snap
run_x -F "$ALWAYS" -J jump target "$SRVPORT"
expect_run always-proxied 0 "$PD"
logins_are always-proxied-logins alpha delta

# A name in no domain: kept (then unknown), or an error at once.
run_x -F "$YES" nope true
expect_run fallback-local 255
expect_match fallback-local-resolves-nope "$ERR" "nope"
run_x -F "$NOFALLBACK" nope true
expect_run no-fallback 255
expect_match no-fallback-message "$ERR" 'Could not resolve host "nope"'
