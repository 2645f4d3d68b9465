#!/bin/bash
# Key exchange, ciphers and MACs as ssh 9.2 offers them: the default
# list in ssh's order (post-quantum sntrup761x25519 first), "+", "-"
# and "^" applied to that default, and a server that accepts only the
# hybrid post-quantum kex (as an OpenSSH 10 server may be configured).
# -v names what each hop negotiated, in ssh's words.
. "$(dirname "$0")/../lib.sh"

lab_start alg jump target \
    pq:sshd=KexAlgorithms=sntrup761x25519-sha512@openssh.com \
    classic:sshd=KexAlgorithms=curve25519-sha256

# kex_of HOP: the algorithm -v named for hop HOP ("1/2") in $ERR.
kex_of() { printf '%s\n' "$ERR" | sed -n "s|^debug1: hop $1 [^:]*: kex: algorithm: ||p" | head -1; }
cipher_of() { printf '%s\n' "$ERR" | sed -n "s|^debug1: hop $1 [^:]*: kex: client->server cipher: ||p" | head -1; }

run_lab -v -J jump target true
expect_eq default-connects 0 "$RC"
if xssh_only default-kex-per-hop; then
	expect_eq default-kex-hop1 sntrup761x25519-sha512 "$(kex_of 1/2)"
	expect_eq default-kex-hop2 sntrup761x25519-sha512 "$(kex_of 2/2)"
	expect_eq default-cipher 'chacha20-poly1305@openssh.com MAC: <implicit> compression: none' "$(cipher_of 2/2)"
fi
# The same choice as ssh makes, read from ssh's own -v.
ssh_kex=$(timeout 60 ssh -v -F "$LAB/ssh_config" target true 2>&1 </dev/null |
    tr -d '\r' | sed -n 's/^debug1: kex: algorithm: //p' | head -1)
run_lab -v target true
xssh_only same-kex-as-ssh && expect_eq same-kex-as-ssh "$ssh_kex" "$(kex_of 1/1)"

# A server that takes only sntrup761x25519: through a jump, as ssh.
run_lab -J jump pq 'echo pq-ok'
expect_eq pq-only-server "0 pq-ok" "$RC $OUT"
# Without it in the list, no kex is left in common: refused, exit 255.
run_lab -o KexAlgorithms=curve25519-sha256 -J jump pq true
expect_eq pq-only-refuses-classic 255 "$RC"
expect_hop_error pq-only-refusal-names-hop 2 2 pq

# In ssh's words, as ssh 9.2 says it for the same server.
expect_match pq-only-refusal-says "$ERR" "no matching key exchange method found. Their offer: sntrup761x25519-sha512@openssh.com"
run_lab -o KexAlgorithms=curve25519-sha256 pq true
lone_err=$ERR
ssh_err=$(timeout 60 ssh -F "$LAB/ssh_config" -o KexAlgorithms=curve25519-sha256 pq true 2>&1 </dev/null | tr -d '\r')
xssh_only pq-only-refusal-as-ssh && expect_eq pq-only-refusal-as-ssh "xssh: $ssh_err" "$lone_err"

# "-" and "^" apply to ssh's default list.
run_lab -v -o 'KexAlgorithms=-sntrup*' target true
xssh_only kex-minus && expect_eq kex-minus curve25519-sha256 "$(kex_of 1/1)"
run_lab -v -o 'KexAlgorithms=^ecdh-sha2-nistp256' target true
xssh_only kex-caret && expect_eq kex-caret ecdh-sha2-nistp256 "$(kex_of 1/1)"
run_lab -v -o 'KexAlgorithms=+diffie-hellman-group14-sha256' classic true
xssh_only kex-plus-keeps-default && expect_eq kex-plus-keeps-default curve25519-sha256 "$(kex_of 1/1)"

# Ciphers and MACs: ssh's order; the MAC is the first of ssh's that
# libssh has (it has no umac).
run_lab -v -c aes128-gcm@openssh.com target true
xssh_only cipher-c && expect_eq cipher-c 'aes128-gcm@openssh.com MAC: <implicit> compression: none' "$(cipher_of 1/1)"
run_lab -v -o 'Ciphers=^aes256-ctr' target true
xssh_only cipher-caret-mac && expect_eq cipher-caret-mac 'aes256-ctr MAC: hmac-sha2-256-etm@openssh.com compression: none' "$(cipher_of 1/1)"
run_lab -v -o 'Ciphers=aes128-ctr' -o 'MACs=hmac-sha2-512' target true
xssh_only mac-explicit && expect_eq mac-explicit 'aes128-ctr MAC: hmac-sha2-512 compression: none' "$(cipher_of 1/1)"

# OpenSSH 10 (sshd 10.0 from bookworm-backports, unpacked by
# contrib/fetch-openssh10): its default list has ML-KEM first, ours
# (ssh 9.2's) does not, so both clients settle on sntrup761x25519; asked
# for, mlkem768x25519-sha256 is what xssh gets, and with a server that
# offers nothing else, the default list is refused as ssh 9.2 is.
if [ ! -x "$TOP/deps/openssh10/root/usr/sbin/sshd" ]; then
	fail openssh10 "no deps/openssh10: run contrib/install-deps (contrib/fetch-openssh10)"
else
	lab_start alg10 jump o10:openssh10 \
	    o10ml:openssh10:sshd=KexAlgorithms=mlkem768x25519-sha256
	run_lab -v -J jump o10 'echo o10-ok'
	expect_eq openssh10-connects "0 o10-ok" "$RC $OUT"
	xssh_only openssh10-default-kex && expect_eq openssh10-default-kex sntrup761x25519-sha512 "$(kex_of 2/2)"
	run_lab -v -o KexAlgorithms=mlkem768x25519-sha256 o10 true
	expect_eq openssh10-mlkem-connects 0 "$RC"
	xssh_only openssh10-mlkem && expect_eq openssh10-mlkem mlkem768x25519-sha256 "$(kex_of 1/1)"
	# "+" adds it to the destination's list only (as -o does).
	run_lab -v -o KexAlgorithms=+mlkem768x25519-sha256 -J jump o10ml 'echo ml-ok'
	expect_eq openssh10-mlkem-only-plus "0 ml-ok" "$RC $OUT"
	if xssh_only openssh10-mlkem-only-per-hop; then
		expect_eq openssh10-mlkem-only-per-hop "sntrup761x25519-sha512 mlkem768x25519-sha256" "$(kex_of 1/2) $(kex_of 2/2)"
	fi
	run_lab -J jump o10ml true
	expect_eq openssh10-mlkem-only-refuses-default 255 "$RC"
	expect_hop_error openssh10-mlkem-only-names-hop 2 2 o10ml
	expect_match openssh10-mlkem-only-says "$ERR" "no matching key exchange method found. Their offer: mlkem768x25519-sha256"
	# sftp through xssh to sshd 10's internal-sftp, a file both ways.
	head -c 100000 /dev/urandom >"$T/f10"
	printf 'put %s %s\nget %s %s\n' "$T/f10" "$T/f10.remote" "$T/f10.remote" "$T/f10.back" >"$T/batch"
	HOME=$LAB/home timeout 60 sftp -q -S "$XSSH" -F "$LAB/ssh_config" -b "$T/batch" o10 \
	    >"$T/sftp.out" 2>&1 </dev/null
	expect_eq openssh10-sftp "$?" 0
	expect_eq openssh10-sftp-bytes "$(sha256sum <"$T/f10")" "$(sha256sum <"$T/f10.back" 2>/dev/null)"
fi

# Dropbear too, whatever it negotiates: the session runs.
if [ "$(id -u)" = 0 ]; then
	lab_start albd jump db:dropbear
	run_lab -v -J jump db 'echo db-ok'
	expect_eq dropbear-connects "0 db-ok" "$RC $OUT"
	xssh_only dropbear-kex-named && expect_match dropbear-kex-named "$(kex_of 2/2)" '^(sntrup761|curve25519|ecdh|diffie)'
else
	skip dropbear-connects "needs root (Dropbear's throwaway user)"
fi
