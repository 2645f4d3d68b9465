#!/bin/bash
# Chains of 0 to 3 jumps, ssh:// URIs, and -l / -p / user@ on the
# destination and in -J.  All of it is OpenSSH's contract: every check
# here passes with XSSH=/usr/bin/ssh.
. "$(dirname "$0")/../lib.sh"

lab_start chain alpha bravo charlie delta
U=$(id -un)
PA=$(lab_port alpha)
PD=$(lab_port delta)
ALL="alpha bravo charlie delta"

# The server port the remote command saw (last field of SSH_CONNECTION).
SRVPORT='echo ${SSH_CONNECTION##* }'


# -------------------------------------------------------- 0 to 3 jumps
snap
run_lab delta echo hi
expect_run direct-echo 0 hi
logins_are direct-logins delta

snap
run_lab -J alpha delta echo hi
expect_run jump1-echo 0 hi
logins_are jump1-logins alpha delta

snap
run_lab -J alpha,bravo delta echo hi
expect_run jump2-echo 0 hi
logins_are jump2-logins alpha bravo delta

snap
run_lab -J alpha,bravo,charlie delta echo hi
expect_run jump3-echo 0 hi
logins_are jump3-logins alpha bravo charlie delta

# The first hop is told goodbye as ssh tells its jumps (RFC 4253 11.1,
# reason 11) rather than dropped, and its sshd logs it; so is a
# destination reached directly (ssh just closes).  (Later hops are
# told too, but the jump before each may exit on its own goodbye with
# the forwarded one still in its buffers: sshd does not drain a
# channel on disconnect, and waiting for it would cost a round trip
# per hop at every exit.)
byes() { grep -c ':11: disconnected by user' "$LAB/$1/log"; }
# told NAME HOST ARGS...: run xssh ARGS; HOST's sshd must log a goodbye.
told() {
	local name=$1 host=$2 n0 i
	shift 2
	n0=$(byes "$host")
	run_lab "$@"
	# sshd may log it a moment after xssh is gone.
	for i in $(seq 100); do
		[ "$(byes "$host")" -gt "$n0" ] && break
		sleep 0.1
	done
	expect_eq "$name" "$RC:$(byes "$host")" "0:$((n0 + 1))"
}
if xssh_only disconnect-direct; then
	told disconnect-direct delta delta true
	told disconnect-first-jump alpha -J alpha,bravo,charlie delta true
fi

# The last hop is the one next to the destination, whatever the order.
snap
run_lab -J charlie,alpha delta "$SRVPORT"
expect_run jump2-reversed-reaches-target 0 "$PD"
logins_are jump2-reversed-logins charlie alpha delta

# -------------------------------------------------------- ssh:// URIs
run_lab ssh://delta echo hi
expect_run uri-dest-alias 0 hi

run_lab "ssh://$U@127.0.0.1:$PD" "$SRVPORT"
expect_run uri-dest-user-port 0 "$PD"

run_lab "ssh://nosuchuser@127.0.0.1:$PD" true
expect_run uri-dest-user-used 255

snap
run_lab -J "ssh://$U@127.0.0.1:$PA" delta echo hi
expect_run uri-jump 0 hi
logins_are uri-jump-logins alpha delta

snap
run_lab -J "ssh://$U@127.0.0.1:$PA,ssh://bravo" "ssh://delta" echo hi
expect_run uri-jump2-uri-dest 0 hi
logins_are uri-jump2-logins alpha bravo delta

run_lab -J "ssh://nosuchuser@127.0.0.1:$PA" delta true
expect_run uri-jump-user-used 255

# -------------------------------------------------------- user@host:port in -J
snap
run_lab -J "$U@127.0.0.1:$PA" delta echo hi
expect_run jump-user-host-port 0 hi
logins_are jump-user-host-port-logins alpha delta

run_lab -J "nosuchuser@127.0.0.1:$PA" delta true
expect_run jump-user-used 255

# A -J hop by alias keeps the alias's HostName/Port/User from the config.
snap
run_lab -J bravo "$U@127.0.0.1" -p "$PD" "$SRVPORT"
expect_run jump-alias-dest-ip 0 "$PD"
logins_are jump-alias-dest-ip-logins bravo delta

# -------------------------------------------------------- -l, -p, user@
run_lab -l "$U" -p "$PD" 127.0.0.1 'id -un; '"$SRVPORT"
expect_run dest-l-p 0 "$U"$'\n'"$PD"

run_lab -l nosuchuser delta true
expect_run dest-l-used 255

run_lab "$U@127.0.0.1" -p "$PD" 'id -un'
expect_run dest-user-at 0 "$U"

run_lab nosuchuser@delta true
expect_run dest-user-at-used 255

# -p on the command line wins over the alias's Port.
run_lab -p "$PD" alpha "$SRVPORT"
expect_run dest-p-overrides-config 0 "$PD"

# -l / -p of the destination do not leak into the jumps.
snap
run_lab -J alpha -p "$PD" 127.0.0.1 "$SRVPORT"
expect_run jump-dest-p 0 "$PD"
logins_are jump-dest-p-not-on-jump alpha delta

snap
run_lab -J alpha,bravo -l nosuchuser delta true
expect_run jump-dest-l-not-on-jumps 255
logins_are jump-dest-l-jumps-logged-in alpha bravo

# A server named by HostName in a second config block (read by every hop).
{
	printf 'Host second\n    HostName 127.0.0.1\n    Port %s\n' "$PD"
	printf 'Host firstjump\n    HostName 127.0.0.1\n    Port %s\n' "$PA"
	cat "$LAB/ssh_config"
} >"$T/second.conf"
snap
run_x -F "$T/second.conf" -J firstjump,bravo second "$SRVPORT"
expect_run second-block-hostname 0 "$PD"
logins_are second-block-logins alpha bravo delta

run_x -F "$T/second.conf" -J firstjump -p "$PA" second "$SRVPORT"
expect_run second-block-p-wins 0 "$PA"
