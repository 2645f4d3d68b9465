#!/bin/bash
# A target reachable only through the jump: three network namespaces,
#   client 10.200.1.1 <-> 10.200.1.2 jump 10.200.2.1 <-> 10.200.2.2 target
# with IP forwarding off in the jump.  Needs root (skipped otherwise).
# Passes with XSSH=/usr/bin/ssh.
. "$(dirname "$0")/../lib.sh"

NC=xssh-c$$ NJ=xssh-j$$ NT=xssh-t$$
if [ "$(id -u)" != 0 ] || ! ip netns add "$NC" 2>"$T/netns.err"; then
	skip netns "cannot create network namespaces: $(head -1 "$T/netns.err" 2>/dev/null || echo not root)"
	exit 0
fi
at_exit "ip netns del $NC"
for ns in "$NJ" "$NT"; do
	ip netns add "$ns" || { fail netns-setup "ip netns add $ns"; exit 1; }
	at_exit "ip netns del $ns"
done

# Two veth pairs, created in the root namespace and moved at once.
setup() {
	set -e
	ip link add xc$$ type veth peer name xj$$
	ip link set xc$$ netns "$NC"
	ip link set xj$$ netns "$NJ"
	ip link add xk$$ type veth peer name xt$$
	ip link set xk$$ netns "$NJ"
	ip link set xt$$ netns "$NT"
	ip -n "$NC" addr add 10.200.1.1/24 dev xc$$
	ip -n "$NJ" addr add 10.200.1.2/24 dev xj$$
	ip -n "$NJ" addr add 10.200.2.1/24 dev xk$$
	ip -n "$NT" addr add 10.200.2.2/24 dev xt$$
	for ns in "$NC" "$NJ" "$NT"; do ip -n "$ns" link set lo up; done
	ip -n "$NC" link set xc$$ up
	ip -n "$NJ" link set xj$$ up
	ip -n "$NJ" link set xk$$ up
	ip -n "$NT" link set xt$$ up
	ip netns exec "$NJ" sysctl -qw net.ipv4.ip_forward=0
	set +e
}
# Deleting a namespace deletes the veths in it; these cover a veth left in
# the root namespace by a half-done setup.
at_exit "ip link del xc$$"
at_exit "ip link del xk$$"
if ! (setup) >"$T/setup.log" 2>&1; then
	fail netns-setup "$(tail -1 "$T/setup.log")"
	exit 1
fi

expect_eq setup-jump-does-not-forward \
    "$(ip netns exec "$NJ" cat /proc/sys/net/ipv4/ip_forward)" 0

lab_start net "jump:listen=10.200.1.2:netns=$NJ" \
    "target:listen=10.200.2.2:netns=$NT"
RUN_IN=(ip netns exec "$NC")
PT=$(lab_port target)

# Sanity of the topology: the client reaches the jump, not the target.
check setup-client-to-target-unreachable \
    bash -c "! ip netns exec $NC timeout 3 bash -c 'exec 3<>/dev/tcp/10.200.2.2/$PT' 2>/dev/null"

run_lab jump 'echo reached jump'
expect_run direct-jump 0 "reached jump"

X_TIMEOUT=20 run_lab target true
expect_run direct-target-fails 255 ""

run_lab -J jump target 'echo ${SSH_CONNECTION%% *}; ip -4 -o addr show | grep -o "10\.200\.[0-9.]*"'
expect_run via-jump 0 $'10.200.2.1\n10.200.2.2'
expect_eq via-jump-login-from-jump \
    "$(grep -c 'Accepted publickey for .* from 10\.200\.2\.1 ' "$LAB/target/log")" 1

# -J by address, the target by address and port.
run_lab -J "10.200.1.2:$(lab_port jump)" -p "$PT" 10.200.2.2 hostname
expect_run via-jump-by-address 0 "$(hostname)"

# Data and the exit status cross the namespaces.
head -c 3000000 /dev/urandom >"$T/blob"
run_lab -J jump target 'cat; exit 3' <"$T/blob"
expect_run via-jump-data-status 3
check via-jump-data-identical cmp -s "$OUTF" "$T/blob"
