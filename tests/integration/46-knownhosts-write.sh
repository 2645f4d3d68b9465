#!/bin/bash
# Writing known_hosts: the modes of what is created, whatever the umask,
# as the installed ssh makes them (it runs umask(022 | umask(077))): a
# new known_hosts 0644 under umask 000 (0600 under 077), a new ~/.ssh
# 0700; and 20 clients adding the keys of four servers to one file at
# the same time (plain and hashed) leave one whole, parseable entry per
# server key.
. "$(dirname "$0")/../lib.sh"

lab_start khw alpha bravo charlie delta
SERVERS=(alpha bravo charlie delta)
SSH=/usr/bin/ssh

# The lab's config without its known_hosts file: accept-new, defaults.
sed -e '/UserKnownHostsFile/d' \
    -e 's/StrictHostKeyChecking yes/StrictHostKeyChecking accept-new/' \
    "$LAB/ssh_config" >"$T/new.conf"

# ------------------------------------------------ modes
for mask in 000 077; do
	want=644
	[ $mask = 077 ] && want=600
	# A file named by UserKnownHostsFile: the same mode as ssh's.
	rm -rf "$T/m-x" "$T/m-ssh"
	mkdir "$T/m-x" "$T/m-ssh"
	(umask $mask && run_x -F "$T/new.conf" \
	    -o "UserKnownHostsFile $T/m-x/known_hosts" alpha true
	    echo "$RC" >"$T/m.rc")
	expect_eq "umask-$mask-accepted" "$(cat "$T/m.rc")" 0
	expect_eq "umask-$mask-known-hosts-mode" \
	    "$(stat -c %a "$T/m-x/known_hosts" 2>/dev/null)" $want
	if [ "$IS_OPENSSH" = 0 ]; then
		(umask $mask && timeout 30 "$SSH" -F "$T/new.conf" \
		    -o "UserKnownHostsFile $T/m-ssh/known_hosts" alpha true \
		    </dev/null >/dev/null 2>&1)
		expect_eq "umask-$mask-mode-as-ssh" \
		    "$(stat -c %a "$T/m-x/known_hosts" 2>/dev/null)" \
		    "$(stat -c %a "$T/m-ssh/known_hosts" 2>/dev/null)"
	fi
done

# ~/.ssh and ~/.ssh/known_hosts in a new home (ssh's ~ is the passwd
# entry's, so this one is xssh's alone).
if xssh_only new-home-umask-000; then
	rm -rf "$T/newhome"
	mkdir "$T/newhome"
	(umask 000 && HOME=$T/newhome run_x -F "$T/new.conf" alpha true &&
	    echo "$RC" >"$T/h.rc")
	expect_eq new-home-umask-000 "$(cat "$T/h.rc")" 0
	expect_eq new-home-ssh-dir-0700 \
	    "$(stat -c %a "$T/newhome/.ssh" 2>/dev/null)" 700
	expect_eq new-home-known-hosts-0644 \
	    "$(stat -c %a "$T/newhome/.ssh/known_hosts" 2>/dev/null)" 644
fi

# ------------------------------------------------ concurrent writers
# 20 clients at once, five to each server, every other one hashing.
KH=$T/kh-concurrent
rm -f "$KH"
pids=()
for i in $(seq 0 19); do
	s=${SERVERS[$((i % 4))]}
	hash=no
	[ $((i % 2)) = 1 ] && hash=yes
	timeout -k 5 60 "$XSSH" -F "$T/new.conf" -o "UserKnownHostsFile $KH" \
	    -o "HashKnownHosts $hash" "$s" true \
	    </dev/null >"$T/c$i.out" 2>"$T/c$i.err" &
	pids+=($!)
done
bad=
for i in $(seq 0 19); do
	wait "${pids[$i]}" || bad="$bad $i:$?"
done
expect_eq concurrent-all-connect "$bad" ""

# Every line whole: a name field then the ed25519 key, nothing torn.
total=$(wc -l <"$KH")
whole=$(grep -cE '^(\|1\|[A-Za-z0-9+/=]{28}\|[A-Za-z0-9+/=]{28}|\[127\.0\.0\.1\]:[0-9]+) ssh-ed25519 AAAA[A-Za-z0-9+/]{64}$' "$KH")
expect_eq concurrent-lines-whole "$whole" "$total"
expect_eq concurrent-one-line-per-server-key "$total" 4
for s in "${SERVERS[@]}"; do
	name="[127.0.0.1]:$(lab_port "$s")"
	key=$(cut -d' ' -f1,2 "$LAB/$s/host_key.pub")
	got=$(ssh-keygen -F "$name" -f "$KH" | grep -v '^#' | cut -d' ' -f2,3)
	expect_eq "concurrent-$s-key-found-once" "$got" "$key"
done
# And read back by a client that insists on known keys.
ok_all=
for s in "${SERVERS[@]}"; do
	run_lab -o "UserKnownHostsFile $KH" -o StrictHostKeyChecking=yes \
	    "$s" true
	[ "$RC" = 0 ] || ok_all="$ok_all $s:$RC"
done
expect_eq concurrent-file-usable "$ok_all" ""

expect_eq no-sanitizer-reports "$(cat "$T"/c*.err "$T"/run*.err 2>/dev/null |
    grep -cE 'Sanitizer|runtime error')" 0
