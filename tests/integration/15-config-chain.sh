#!/bin/bash
# The hop chain from the configuration: ProxyJump from Host * and from
# Match, a bastion with its own user and key, ProxyJump declared on the
# jump host itself (nested), a three-hop chain used as "xssh db", loops
# and runaway chains found before any connection, ProxyCommand and -W.
. "$(dirname "$0")/../lib.sh"

lab_start cfg alpha bravo charlie delta
U=$(id -un)
SRVPORT='echo ${SSH_CONNECTION##* }'
PA=$(lab_port alpha)
PB=$(lab_port bravo)
PC=$(lab_port charlie)
PD=$(lab_port delta)

ALL="alpha bravo charlie delta"

# A second client key, authorized on every server, for the bastion only.
ssh-keygen -q -t ed25519 -N '' -f "$T/bastion_key"
cat "$T/bastion_key.pub" >>"$LAB/authorized_keys"

common() {
	cat <<EOF
Host *
    IdentitiesOnly yes
    UserKnownHostsFile $LAB/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
EOF
}

# ---- ProxyJump from Host *, with the bastion excepted; the bastion has
# its own user and key (the target's key is not authorized there).
cat >"$T/star.conf" <<EOF
Host bastion
    HostName 127.0.0.1
    Port $PA
    User $U
    IdentityFile $T/bastion_key
Host db
    HostName 127.0.0.1
    Port $PD
    IdentityFile $LAB/id_ed25519
Host * !bastion
    ProxyJump bastion
$(common)
EOF
snap
run_x -F "$T/star.conf" db "$SRVPORT"
expect_run host-star-proxyjump 0 "$PD"
logins_are host-star-logins alpha delta

# ---- ProxyJump from Match (originalhost), ProxyJump none for the bastion.
cat >"$T/match.conf" <<EOF
Host bastion
    HostName 127.0.0.1
    Port $PB
    ProxyJump none
    IdentityFile $T/bastion_key
Match originalhost db
    HostName 127.0.0.1
    Port $PD
    ProxyJump bastion
    IdentityFile $LAB/id_ed25519
$(common)
EOF
snap
run_x -F "$T/match.conf" db "$SRVPORT"
expect_run match-proxyjump 0 "$PD"
logins_are match-logins bravo delta

# ---- Nested: the jump host declares its own ProxyJump.  ssh reaches
# db via j2, and j2 via j1, because j2's own ssh reads j2's block.
cat >"$T/nested.conf" <<EOF
Host j1
    HostName 127.0.0.1
    Port $PA
Host j2
    HostName 127.0.0.1
    Port $PB
    ProxyJump j1
Host db
    HostName 127.0.0.1
    Port $PD
    ProxyJump j2
Host *
    IdentityFile $LAB/id_ed25519
$(common)
EOF
snap
run_x -F "$T/nested.conf" db "$SRVPORT"
expect_run nested-proxyjump 0 "$PD"
logins_are nested-logins alpha bravo delta

# ---- A three-hop chain defined only in the config, used as "xssh db".
cat >"$T/three.conf" <<EOF
Host db
    HostName 127.0.0.1
    Port $PD
    ProxyJump 127.0.0.1:$PA,127.0.0.1:$PB,127.0.0.1:$PC
Host *
    IdentityFile $LAB/id_ed25519
$(common)
EOF
snap
run_x -F "$T/three.conf" db "$SRVPORT"
expect_run three-hop-config 0 "$PD"
logins_are three-hop-logins alpha bravo charlie delta

# -J on the command line wins over the config's ProxyJump.
snap
run_x -F "$T/three.conf" -J "127.0.0.1:$PC" db "$SRVPORT"
expect_run cmdline-J-wins 0 "$PD"
logins_are cmdline-J-logins charlie delta

# ---- Loops are found before any connection, and printed.
cat >"$T/loop.conf" <<EOF
Host bastion
    HostName 127.0.0.1
    Port $PA
Host *
    ProxyJump bastion
$(common)
EOF
# (OpenSSH recurses here without end, so these run with xssh only.)
if xssh_only loop-host-star; then
	snap
	run_x -F "$T/loop.conf" db true
	expect_eq loop-host-star "$RC/$ERR" "255/xssh: ProxyJump loop: db -> bastion -> bastion"
	logins_are loop-no-connection
fi

cat >"$T/loop2.conf" <<EOF
Host a
    ProxyJump b
Host b
    ProxyJump a
$(common)
EOF
if xssh_only loop-two-aliases; then
	run_x -F "$T/loop2.conf" a true
	expect_eq loop-two-aliases "$RC/$ERR" "255/xssh: ProxyJump loop: a -> b -> a"
fi

# The same name as jump and destination is no loop: the destination's
# ssh has the command line's -J, the jump's has not (ssh connects too).
cat >"$T/same.conf" <<EOF
Host 127.0.0.1
    Port $PA
    User $(id -un)
    IdentityFile $LAB/id_ed25519
$(common)
EOF
snap
run_x -F "$T/same.conf" -J 127.0.0.1 127.0.0.1 echo same-name
expect_run same-name-jump-and-destination 0 same-name
expect_eq same-name-logins 2 $(($(lab_logins alpha) - ${_logins_before[alpha]}))
# ... but a jump given as the destination itself (host, port and user)
# is ssh's "jumphost loop", refused before any connection.
snap
run_x -F "$T/same.conf" -J "$(id -un)@127.0.0.1:$PA" 127.0.0.1 true
expect_eq jumphost-loop "$RC/${ERR%$'\r'}" "255/jumphost loop via 127.0.0.1"
logins_are jumphost-loop-no-connection

# A chain that never repeats but never ends: h0 -> h1 -> h2 ...
{
	for i in $(seq 0 40); do
		printf 'Host h%d\n    ProxyJump h%d\n' "$i" $((i + 1))
	done
	common
} >"$T/runaway.conf"
if xssh_only runaway-chain; then
	run_x -F "$T/runaway.conf" h0 true
	expect_run runaway-chain-exit 255
	expect_match runaway-chain-message "$ERR" "^xssh: ProxyJump chain longer than [0-9]+ hops: h0 -> h1 -> "
fi

# ---- ProxyCommand: run by the shell, tokens expanded, stderr shown.
snap
run_lab -o "ProxyCommand=$XSSH -F $LAB/ssh_config -W %h:%p alpha" delta "$SRVPORT"
expect_run proxycommand-xssh-W 0 "$PD"
logins_are proxycommand-logins alpha delta

run_lab -o "ProxyCommand=sh -c 'echo proxy-says-no >&2; exit 3'" delta true
expect_run proxycommand-fails 255
expect_match proxycommand-stderr-shown "$ERR" "proxy-says-no"

# First of ProxyJump and ProxyCommand wins.
snap
run_lab -o ProxyJump=alpha -o ProxyCommand=false delta "$SRVPORT"
expect_run proxyjump-first-wins 0 "$PD"
logins_are proxyjump-first-logins alpha delta
run_lab -o ProxyCommand=none -J alpha delta "$SRVPORT"
expect_run proxycommand-none-then-J 255
expect_match proxycommand-none-then-J-message "$ERR" "Cannot specify -J with ProxyCommand"
snap
run_lab -J alpha -o ProxyCommand=false delta "$SRVPORT"
expect_run J-then-proxycommand 0 "$PD"
logins_are J-then-proxycommand-logins alpha delta

# ---- -W host:port alone, through a chain, and as OpenSSH's proxy.
run_lab -W "127.0.0.1:$PD" alpha </dev/null
expect_match stdio-forward-banner "$OUT" "^SSH-2.0-OpenSSH"
run_lab -J alpha -W "127.0.0.1:$PD" bravo </dev/null
expect_match stdio-forward-chain-banner "$OUT" "^SSH-2.0-OpenSSH"
snap
out=$(timeout 30 ssh -F "$LAB/ssh_config" \
    -o "ProxyCommand=$XSSH -F $LAB/ssh_config -J alpha -W %h:%p bravo" \
    delta "$SRVPORT" 2>&1)
expect_eq openssh-over-xssh-W "$out" "$PD"
logins_are openssh-over-xssh-W-logins alpha bravo delta

run_lab -W "127.0.0.1:$(free_port)" alpha </dev/null
expect_run stdio-forward-refused 255
if xssh_only stdio-forward-refused-message; then
	expect_match stdio-forward-refused-message "$ERR" "stdio forwarding to 127.0.0.1:[0-9]+ failed"
fi
run_lab -W 127.0.0.1 alpha </dev/null
expect_run stdio-forward-bad-spec 255
expect_match stdio-forward-bad-spec-message "$ERR" "Bad stdio forwarding specification '127.0.0.1'"

# ---- ProxyUseFdpass: the proxy passes back a connected socket.
cat >"$T/fdpass.py" <<'PY'
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
socket.send_fds(socket.socket(fileno=1), [b"x"], [s.fileno()])
PY
snap
run_lab -o ProxyUseFdpass=yes -o "ProxyCommand=python3 $T/fdpass.py %h %p" delta "$SRVPORT"
expect_run proxyusefdpass 0 "$PD"
logins_are proxyusefdpass-logins delta
run_lab -o ProxyUseFdpass=yes -o ProxyCommand=true delta true
expect_run proxyusefdpass-nothing-passed 255
