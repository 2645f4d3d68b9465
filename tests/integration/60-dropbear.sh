#!/bin/bash
# Dropbear servers in the chain: as first hop, middle hop, target, and
# Dropbear to Dropbear.  Needs root (xssh-lab gives each Dropbear server a
# throwaway user).  Passes with XSSH=/usr/bin/ssh, except the *-names-hop
# check, which needs xssh.
. "$(dirname "$0")/../lib.sh"

if ! command -v dropbear >/dev/null; then
	skip dropbear "dropbear not installed (apt-get install dropbear-bin)"
	exit 0
fi
need_root dropbear || exit 0

lab_start db alpha drop:dropbear charlie drop2:dropbear dnf:dropbear:noforward
DU2=$(lab_user drop2)

SRVPORT='echo ${SSH_CONNECTION##* }'

# Dropbear as the middle hop.
b=$(lab_logins drop)
run_lab -J alpha,drop charlie echo hi
expect_run dropbear-middle 0 hi
expect_eq dropbear-middle-login "$(($(lab_logins drop) - b))" 1

# Dropbear as the first hop.
run_lab -J drop,alpha charlie "$SRVPORT"
expect_run dropbear-first 0 "$(lab_port charlie)"

# Dropbear as the target: the command runs as its throwaway user.
run_lab -J alpha drop2 'id -un'
expect_run dropbear-target 0 "$DU2"

run_lab -J alpha,charlie drop2 'echo out; echo err >&2; exit 7'
expect_run dropbear-target-status 7 out
expect_eq dropbear-target-stderr "$ERR" err

run_lab -J alpha drop2 'kill -9 $$'
expect_run dropbear-target-killed 255 ""

# Dropbear to Dropbear, data both ways.
head -c 5000000 /dev/urandom >"$T/blob"
run_lab -J drop drop2 'cat' <"$T/blob"
expect_run dropbear-to-dropbear-exit 0
check dropbear-to-dropbear-data cmp -s "$OUTF" "$T/blob"

run_lab -J alpha,drop drop2 'wc -c' <"$T/blob"
expect_run dropbear-stdin-eof 0 5000000

# A Dropbear jump with -j -k refuses the channel to the next hop.
run_lab -J alpha,dnf charlie true
expect_run dropbear-noforward 255 ""
expect_match dropbear-noforward-says-why "$ERR" '[Pp]rohibited|[Rr]efused|[Dd]enied|[Ff]orward'
expect_hop_error dropbear-noforward-names-hop 3 3 charlie

# Authentication refused by a Dropbear hop.
lab_variant "$T/baduser.conf" drop "User nosuchuser"
run_x -F "$T/baduser.conf" -J alpha,drop charlie true
expect_run dropbear-auth-refused 255 ""
expect_hop_error dropbear-auth-refused-names-hop 2 3 drop
