#!/bin/bash
# xssh's own --show-chain and --test-chain, on the lab and on each
# failure of the failure matrix.  OpenSSH has neither.
. "$(dirname "$0")/../lib.sh"

if ! xssh_only chain-report; then
	exit 0
fi
lab_start rep alpha bravo:noforward charlie delta
PA=$(lab_port alpha)
PC=$(lab_port charlie)
DEAD=$(free_port)

# ---- --show-chain: every hop in order, no connection made.
lab_variant "$T/show.conf" alpha "User showuser" "IdentityFile $T/alpha_key"
before=$(lab_logins alpha)
run_x -F "$T/show.conf" --show-chain -J alpha,charlie delta
expect_run show-chain-exit 0
expect_match show-chain-hop1 "$OUT" $'hop 1/3 alpha\n    user showuser\n    hostname 127.0.0.1\n    port '"$PA"$'\n    via tcp\n    identityfile '"$T/alpha_key"
expect_match show-chain-hop2 "$OUT" $'hop 2/3 charlie\n    user [^\n]+\n    hostname 127.0.0.1\n    port '"$PC"$'\n    via alpha \\(direct-tcpip channel\\)'
expect_match show-chain-hop3 "$OUT" $'hop 3/3 delta\n    user [^\n]+\n    hostname [^\n]+\n    port [0-9]+\n    via charlie '
expect_match show-chain-known-hosts "$OUT" "userknownhostsfile $LAB/known_hosts"
expect_eq show-chain-no-login "$(lab_logins alpha)" "$before"

# ---- --test-chain on a working chain: one line a hop, then a summary.
run_lab --test-chain -J alpha,charlie delta
expect_run test-chain-ok-exit 0
expect_match test-chain-ok-hop1 "$OUT" "hop 1/3 alpha \\(127.0.0.1:$PA\\): tcp [0-9.]+ ms, kex [0-9.]+ ms, host key known, auth publickey [0-9.]+ ms"
expect_match test-chain-ok-hop2 "$OUT" "hop 2/3 charlie \\(127.0.0.1:$PC\\): channel [0-9.]+ ms, kex [0-9.]+ ms, host key known, auth publickey"
expect_match test-chain-ok-summary "$OUT" $'\nchain ok: 3 hops in [0-9.]+ ms$'

# failure_case NAME I N HOP HINT-ERE ARGS...: --test-chain stops at hop I
# of N with a hint, exit 255, and reports the hops before it as up.
failure_case() {
	local name=$1 i=$2 n=$3 hop=$4 hint=$5 k
	shift 5
	run_x "$@"
	expect_run "$name-exit" 255
	expect_match "$name-failed-line" "$OUT" "(^|"$'\n'")hop $i/$n $hop: FAILED: "
	expect_match "$name-hint" "$OUT" $'\nhint: '"$hint"
	for k in $(seq 1 $((i - 1))); do
		expect_match "$name-hop$k-up" "$OUT" "(^|"$'\n'")hop $k/$n [^ ]+ \\(.*auth publickey"
	done
}

# Refused port at hop 1, at hop 2 (the jump cannot reach it), target.
lab_variant "$T/dead.conf" alpha "Port $DEAD"
failure_case refused-hop1 1 3 alpha "alpha is unreachable from here" \
    -F "$T/dead.conf" --test-chain -J alpha,charlie delta
failure_case refused-hop2 2 3 alpha "charlie cannot reach 127.0.0.1:$DEAD" \
    -F "$T/dead.conf" --test-chain -J charlie,alpha delta
failure_case refused-target 3 3 alpha "charlie cannot reach 127.0.0.1:$DEAD" \
    -F "$T/dead.conf" --test-chain -J delta,charlie alpha

# Host key changed at hop 2.
kh_variant "$T/kh-charlie" charlie
lab_variant "$T/kh.conf" charlie "UserKnownHostsFile $T/kh-charlie"
failure_case hostkey-hop2 2 3 charlie "the host key of charlie is unknown or has changed" \
    -F "$T/kh.conf" --test-chain -J alpha,charlie delta

# Authentication refused at the target.
lab_variant "$T/auth.conf" delta "User nosuchuser"
failure_case auth-target 3 3 delta "delta refused the credentials" \
    -F "$T/auth.conf" --test-chain -J alpha,charlie delta

# A jump that does not forward (AllowTcpForwarding no on bravo).
failure_case noforward-hop3 3 3 charlie "bravo refuses to forward connections" \
    -F "$LAB/ssh_config" --test-chain -J alpha,bravo charlie

# A silent hop: its sshd is stopped, so TCP connects but nothing answers.
lab_variant "$T/silent.conf" charlie "ConnectTimeout 2"
kill -STOP "$(lab_pid charlie)"
failure_case silent-hop2 2 3 charlie "charlie did not answer within ConnectTimeout" \
    -F "$T/silent.conf" --test-chain -J alpha,charlie delta
kill -CONT "$(lab_pid charlie)"
