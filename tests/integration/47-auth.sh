#!/bin/bash
# Authentication against real sshd servers, each hop with its own
# options: identity files (several, the wrong one first, the default
# list), IdentitiesOnly with a real ssh-agent holding other keys,
# IdentityAgent, user certificates (a CA made here, sshd
# TrustedUserCAKeys), passphrases through SSH_ASKPASS and on a terminal
# (tmux), a private key readable by others, password and
# keyboard-interactive (a local account made here when root), BatchMode,
# PreferredAuthentications, and agent forwarding (-A, ForwardAgent) to
# the destination only.  In a chain, a hop's password goes to that hop
# only: the jump's sshd log shows no password attempt.
#
# Checks of prompts and messages use ssh's words; those naming a hop are
# xssh's (skipped when XSSH is OpenSSH's ssh).
. "$(dirname "$0")/../lib.sh"

for t in ssh-agent ssh-add ssh-keygen; do
	command -v $t >/dev/null || { skip auth "no $t"; exit 0; }
done
ME=$(id -un)

# ------------------------------------------------------------ keys, CA
key() { ssh-keygen -q -t "${3:-ed25519}" -N "${2-}" -C "$1" -f "$T/$1"; }
fp() { ssh-keygen -lf "$1" | awk '{ print $2 }'; }
re() { sed 's/[][\.*^$+?(){}|/]/\\&/g' <<<"$1"; }
key other				# never authorized
key agentkey				# authorized, lives in the agent
key agentother				# not authorized, in the agent too
key pp pp-secret			# authorized, passphrase "pp-secret"
key rsakey "" rsa			# authorized, RSA
key certkey				# not authorized: only its certificate
key ca
ssh-keygen -q -s "$T/ca" -I xssh-test -n "$ME" -V -5m:+1h "$T/certkey.pub"

PWUSER=
if [ "$(id -u)" = 0 ]; then
	PWUSER=xsshpw$$
	PW=pw-$RANDOM-secret
	mkdir -p "$T/pwhome"
	if useradd -M -N -d "$T/pwhome" -s /bin/sh -c "xssh test" "$PWUSER" &&
	    echo "$PWUSER:$PW" | chpasswd; then
		chown "$PWUSER" "$T/pwhome"
		at_exit "userdel $PWUSER"
	else
		echo "# could not make the account $PWUSER"
		PWUSER=
	fi
fi

# target: the CA, passwords and keyboard-interactive (PAM) when root.
# The jump logs at DEBUG1: each authentication request and channel
# request.  (Not the target: sshd -e at DEBUG1 writes to the sessions'
# stderr.)
TOPTS=target:sshd=TrustedUserCAKeys=$T/ca.pub
JOPTS=jump:sshd=LogLevel=DEBUG1
if [ -n "$PWUSER" ]; then
	TOPTS=$TOPTS:sshd=UsePAM=yes:sshd=PasswordAuthentication=yes
	TOPTS=$TOPTS:sshd=KbdInteractiveAuthentication=yes
	# The jump takes passwords too: none must ever be sent to it.
	JOPTS=$JOPTS:sshd=PasswordAuthentication=yes
fi
lab_start auth "$JOPTS" "$TOPTS"
for k in agentkey pp rsakey; do cat "$T/$k.pub" >>"$LAB/authorized_keys"; done
LABKEY=$LAB/id_ed25519

# A config without the lab's key: each run says which keys it has.
sed 's#^\( *IdentityFile\) .*#\1 none#' "$LAB/ssh_config" >"$T/nokey.conf"
NOKEY=$T/nokey.conf

# Log lines of server NAME since mark_log NAME.
mark_log() { eval "MARK_$1=$(wc -l <"$LAB/$1/log")"; }
new_log() { local m="MARK_$1"; tail -n +$((${!m} + 1)) "$LAB/$1/log" | tr -d '\r'; }
accepted_fp() { new_log target | sed -n 's/.*Accepted publickey for .* ssh2: [A-Z0-9-]* \(SHA256:[^ ]*\).*/\1/p' | tail -1; }

# ------------------------------------------------------------ identity files
mark_log target
run_x -F "$NOKEY" -i "$T/other" -i "$LABKEY" target echo ok
expect_run ids-wrong-first 0 ok
expect_eq ids-wrong-first-used "$(accepted_fp)" "$(fp "$LABKEY")"
expect_match ids-wrong-first-offered-first "$(new_log target)" "Failed publickey for $ME .* $(re "$(fp "$T/other")")"

# IdentityFile lines, several, in order, "none" skipped.
lab_variant "$T/ids.conf" target "IdentityFile none" "IdentityFile $T/other" \
    "IdentityFile $T/rsakey"
sed -i 's#^\( *IdentityFile\) '"$LAB"'/id_ed25519#\1 none#' "$T/ids.conf"
mark_log target
run_x -F "$T/ids.conf" target echo ok
expect_run ids-config-list 0 ok
expect_eq ids-config-list-rsa "$(accepted_fp)" "$(fp "$T/rsakey")"

# No IdentityFile at all: ssh's default list in ~/.ssh, where ~ is the
# test's HOME for xssh (ssh takes the password database's: not tried).
if xssh_only ids-default-list; then
	grep -v 'IdentityFile' "$LAB/ssh_config" >"$T/default.conf"
	cp "$T/rsakey" "$HOME/.ssh/id_rsa"
	cp "$LABKEY" "$HOME/.ssh/id_ed25519"
	mark_log target
	run_x -F "$T/default.conf" target echo ok
	expect_run ids-default-list 0 ok
	expect_eq ids-default-list-id_rsa-first "$(accepted_fp)" "$(fp "$T/rsakey")"
	rm -f "$HOME/.ssh/id_rsa" "$HOME/.ssh/id_ed25519"
fi

# A missing file named by the user: ssh's note, and the next key.
run_x -F "$NOKEY" -o "IdentityFile $T/missing" -i "$LABKEY" target echo ok
expect_run ids-missing 0 ok
expect_match ids-missing-note "$ERR" "no such identity: $T/missing: No such file or directory"

# A key in a file that needs no passphrase goes signed in the first
# request: no "none" probe and no query before it (each a round trip
# on every hop).  ssh sends both.
if xssh_only first-request-signed; then
	mark_log jump
	run_x -F "$NOKEY" -i "$LABKEY" jump echo ok
	expect_run first-request-signed 0 ok
	expect_match first-request-signed-accepted "$(new_log jump)" "Accepted publickey for $ME "
	expect_nomatch first-request-signed-no-none "$(new_log jump)" "method none"
	expect_nomatch first-request-signed-no-query "$(new_log jump)" "Postponed publickey"
fi

# The ssh-userauth service request and the first authentication request
# go back to back (xssh's patch to libssh), once the server's EXT_INFO
# has told which RSA signature it takes: an RSA key still gets in.
if xssh_only service-request-pipelined; then
	mark_log target
	run_x -F "$NOKEY" -i "$T/rsakey" -vvv target echo ok
	expect_run service-request-pipelined 0 ok
	expect_match service-request-pipelined-sent "$ERR" "SERVICE_REQUEST \\(service ssh-userauth\\), the first request follows without waiting"
	expect_match service-request-pipelined-rsa-sha2 "$(new_log target)" "Accepted publickey for $ME .* RSA "
fi

# PubkeyAcceptedAlgorithms: an RSA key is not offered without rsa-sha2.
run_x -F "$NOKEY" -i "$T/rsakey" -o PubkeyAcceptedAlgorithms=ssh-ed25519 target echo ok
expect_run pubkey-algos-skip 255 ""
expect_match pubkey-algos-skip-says "$ERR" "^$ME@127\\.0\\.0\\.1: Permission denied \\(publickey"
run_x -F "$NOKEY" -i "$T/rsakey" -o PubkeyAcceptedAlgorithms=rsa-sha2-512,rsa-sha2-256 target echo ok
expect_run pubkey-algos-rsa-sha2 0 ok
run_x -F "$NOKEY" -i "$T/rsakey" -o PubkeyAuthentication=no target echo ok
expect_run pubkey-authentication-no 255 ""

# ------------------------------------------------------------ unprotected key
cp "$LABKEY" "$T/open_key"
cp "$LABKEY.pub" "$T/open_key.pub"
chmod 644 "$T/open_key"
run_x -F "$NOKEY" -i "$T/open_key" target echo never
expect_run open-key-refused 255 ""
# (ssh ends its lines with \r\n on stderr: compared without \r.)
expect_eq open-key-warning "$(grep -v 'Permission denied' <<<"${ERR//$'\r'/}")" "\
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
Permissions 0644 for '$T/open_key' are too open.
It is required that your private key files are NOT accessible by others.
This private key will be ignored.
Load key \"$T/open_key\": bad permissions"
chmod 600 "$T/open_key"
run_x -F "$NOKEY" -i "$T/open_key" target echo ok
expect_run open-key-fixed 0 ok

# ------------------------------------------------------------ the agent
# A real ssh-agent, stopped by its PID at the end.
AGENT_SOCK=$T/agent.sock
# start_agent SOCKET: an ssh-agent there; its PID is killed at exit.
start_agent() {
	local pid
	pid=$(ssh-agent -s -a "$1" | sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p')
	[ -n "$pid" ] || { fail "agent-$1" "ssh-agent did not start"; exit 1; }
	at_exit "kill $pid"
}
start_agent "$AGENT_SOCK"
SSH_AUTH_SOCK=$AGENT_SOCK ssh-add -q "$T/agentother" "$T/agentkey" 2>/dev/null
mkdir "$T/pub"
cp "$T/agentkey.pub" "$T/pub/agentkey.pub"	# no private key beside it

agent_run() { SSH_AUTH_SOCK=$AGENT_SOCK run_x "$@"; }

mark_log target
agent_run -F "$NOKEY" -o IdentitiesOnly=no target echo ok
expect_run agent-keys 0 ok
expect_eq agent-keys-used "$(accepted_fp)" "$(fp "$T/agentkey")"

agent_run -F "$NOKEY" -o IdentitiesOnly=yes target echo never
expect_run identities-only-ignores-agent 255 ""
expect_match identities-only-ignores-agent-says "$ERR" "Permission denied \\(publickey"

# IdentitiesOnly: an agent key that is an identity file (its .pub only
# here) is used, through the agent.
mark_log target
agent_run -F "$NOKEY" -o IdentitiesOnly=yes -i "$T/pub/agentkey.pub" target echo ok
expect_run identities-only-agent-match 0 ok
expect_eq identities-only-agent-match-key "$(accepted_fp)" "$(fp "$T/agentkey")"
expect_nomatch identities-only-other-not-offered "$(new_log target)" "$(re "$(fp "$T/agentother")")"

agent_run -F "$NOKEY" -o IdentitiesOnly=no -o IdentityAgent=none target echo never
expect_run identity-agent-none 255 ""
run_x -F "$NOKEY" -o IdentitiesOnly=no -o "IdentityAgent $AGENT_SOCK" target echo ok
expect_run identity-agent-path 0 ok
MYSOCK=$AGENT_SOCK run_x -F "$NOKEY" -o IdentitiesOnly=no -o 'IdentityAgent $MYSOCK' target echo ok
expect_run identity-agent-var 0 ok

# ------------------------------------------------------------ certificates
mark_log target
run_x -F "$NOKEY" -i "$T/certkey" target echo ok
expect_run cert-beside-key 0 ok
expect_match cert-beside-key-used "$(new_log target)" "Accepted publickey for $ME .*ED25519-CERT .*ID xssh-test"

mkdir "$T/certs"
mv "$T/certkey-cert.pub" "$T/certs/c.pub"
run_x -F "$NOKEY" -i "$T/certkey" target echo never
expect_run cert-key-alone-refused 255 ""
run_x -F "$NOKEY" -i "$T/certkey" -o "CertificateFile $T/certs/c.pub" target echo ok
expect_run certificate-file 0 ok

# The certificate's private key in the agent only.
SSH_AUTH_SOCK=$AGENT_SOCK ssh-add -q "$T/certkey" 2>/dev/null
cp "$T/certkey.pub" "$T/pub/certkey.pub"
mark_log target
agent_run -F "$NOKEY" -o IdentitiesOnly=yes -i "$T/pub/certkey.pub" \
    -o "CertificateFile $T/certs/c.pub" target echo ok
expect_run cert-agent-key 0 ok
expect_match cert-agent-key-used "$(new_log target)" "Accepted publickey for $ME .*ED25519-CERT"
SSH_AUTH_SOCK=$AGENT_SOCK ssh-add -q -d "$T/certkey.pub" 2>/dev/null

# ------------------------------------------------------------ askpass
# askpass answers the lines of $T/answers in turn and logs its prompts.
cat >"$T/askpass" <<EOF
#!/bin/sh
n=\$(cat "$T/ask.n" 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >"$T/ask.n"
printf '%s\n' "\$1" >>"$T/ask.log"
sed -n "\${n}p" "$T/answers"
EOF
chmod +x "$T/askpass"
# ask NAME ANSWERS ARGS...: run_x without a terminal (setsid), prompts
# answered by askpass; ASKED: the prompts, one a line.
ask() {
	local answers=$2
	shift 2
	printf '%s\n' "$answers" >"$T/answers"
	rm -f "$T/ask.n" "$T/ask.log"
	SSH_ASKPASS=$T/askpass SSH_ASKPASS_REQUIRE=force run_x "$@" </dev/null
	ASKED=$(cat "$T/ask.log" 2>/dev/null)
}
run_x_orig=$(declare -f run_x)
eval "${run_x_orig/timeout -k 5/setsid -w timeout -k 5}"

PPROMPT="Enter passphrase for key '$T/pp': "
ask pp-right pp-secret -F "$NOKEY" -o BatchMode=no -i "$T/pp" target echo ok
expect_run passphrase-askpass 0 ok
expect_eq passphrase-askpass-prompt "$ASKED" "$PPROMPT"

ask pp-wrong $'no\nnope' -F "$NOKEY" -o BatchMode=no -o NumberOfPasswordPrompts=2 \
    -o PreferredAuthentications=publickey -i "$T/pp" target echo never
expect_run passphrase-wrong 255 ""
expect_eq passphrase-wrong-tries "$ASKED" "$PPROMPT"$'\n'"$PPROMPT"

ask pp-empty '' -F "$NOKEY" -o BatchMode=no -i "$T/pp" -i "$LABKEY" target echo ok
expect_run passphrase-empty-next-key 0 ok
expect_eq passphrase-empty-asked-once "$ASKED" "$PPROMPT"

ask pp-batch pp-secret -F "$NOKEY" -o BatchMode=yes -i "$T/pp" target echo never
expect_run passphrase-batchmode 255 ""
expect_eq passphrase-batchmode-no-prompt "$ASKED" ""

# In a chain the prompt names its hop (the jump has the lab's key).
awk -v k="$LABKEY" '{ print } $1 == "Host" && $2 == "jump" { print "    IdentityFile " k }' \
    "$NOKEY" >"$T/chain.conf"
ask pp-chain pp-secret -F "$T/chain.conf" -o BatchMode=no -i "$T/pp" -J jump target echo ok
expect_run passphrase-chain 0 ok
if xssh_only passphrase-chain-names-hop; then
	expect_eq passphrase-chain-names-hop "$ASKED" "(hop 2/2 target) $PPROMPT"
fi

# AddKeysToAgent: a key read from its file goes to the agent (a third
# one here), after a question with "ask"; with a time, for that long.
AGENT3_SOCK=$T/agent3.sock
start_agent "$AGENT3_SOCK"
in_agent3() { SSH_AUTH_SOCK=$AGENT3_SOCK ssh-add -l 2>/dev/null | grep -cF "$(fp "$1")"; }
key ecpp pp-secret ecdsa
cat "$T/ecpp.pub" >>"$LAB/authorized_keys"
A3=(-F "$NOKEY" -o BatchMode=no -o IdentitiesOnly=yes)

SSH_AUTH_SOCK=$AGENT3_SOCK ask addkeys-no pp-secret "${A3[@]}" -i "$T/pp" target echo ok
expect_run addkeys-default 0 ok
expect_eq addkeys-default-not-added "$(in_agent3 "$T/pp")" 0

SSH_AUTH_SOCK=$AGENT3_SOCK ask addkeys-yes pp-secret "${A3[@]}" -o AddKeysToAgent=yes -i "$T/pp" target echo ok
expect_run addkeys-yes 0 ok
expect_eq addkeys-yes-added "$(in_agent3 "$T/pp")" 1
SSH_AUTH_SOCK=$AGENT3_SOCK ask addkeys-again pp-secret "${A3[@]}" -i "$T/pp" target echo ok
expect_run addkeys-then-agent 0 ok
expect_eq addkeys-then-no-passphrase "$ASKED" ""

SSH_AUTH_SOCK=$AGENT3_SOCK ask addkeys-ecdsa pp-secret "${A3[@]}" -o AddKeysToAgent=yes -i "$T/ecpp" target echo ok
expect_run addkeys-ecdsa 0 ok
expect_eq addkeys-ecdsa-added "$(in_agent3 "$T/ecpp")" 1

# RSA from an OpenSSH-format file (ssh-keygen's default): libssh 0.10
# could not export it for the agent; 0.12 can.
key rsapp pp-secret rsa
cat "$T/rsapp.pub" >>"$LAB/authorized_keys"
SSH_AUTH_SOCK=$AGENT3_SOCK ask addkeys-rsa pp-secret "${A3[@]}" -o AddKeysToAgent=yes -i "$T/rsapp" target echo ok
expect_run addkeys-rsa 0 ok
expect_eq addkeys-rsa-added "$(in_agent3 "$T/rsapp")" 1

SSH_AUTH_SOCK=$AGENT3_SOCK ssh-add -q -D 2>/dev/null
SSH_AUTH_SOCK=$AGENT3_SOCK ask addkeys-ask-no $'pp-secret\nno' "${A3[@]}" -o AddKeysToAgent=ask -i "$T/pp" target echo ok
expect_run addkeys-ask-no 0 ok
expect_match addkeys-ask-question "$ASKED" "^$(re "$PPROMPT")"$'\n'"Add key $(re "$T/pp") \\(.*\\) to agent\\?\$"
expect_eq addkeys-ask-no-not-added "$(in_agent3 "$T/pp")" 0
SSH_AUTH_SOCK=$AGENT3_SOCK ask addkeys-ask-yes $'pp-secret\nyes' "${A3[@]}" -o AddKeysToAgent=ask -i "$T/pp" target echo ok
expect_eq addkeys-ask-yes-added "$(in_agent3 "$T/pp")" 1

SSH_AUTH_SOCK=$AGENT3_SOCK ssh-add -q -D 2>/dev/null
# A lifetime of 8 s: the login takes well under that even on a loaded
# machine (2 s did not: the key was gone before we looked); then the
# agent must drop it, looked for every half second for 20 s.
SSH_AUTH_SOCK=$AGENT3_SOCK ask addkeys-time pp-secret "${A3[@]}" -o "AddKeysToAgent 8" -i "$T/pp" target echo ok
expect_eq addkeys-lifetime-added "$(in_agent3 "$T/pp")" 1
for _ in $(seq 40); do
	[ "$(in_agent3 "$T/pp")" = 0 ] && break
	sleep 0.5
done
expect_eq addkeys-lifetime-expired "$(in_agent3 "$T/pp")" 0

# ------------------------------------------------------------ passwords
if [ -z "$PWUSER" ]; then
	skip passwords "needs root (a local account with a password)"
else
	PWP="$PWUSER@127.0.0.1's password: "
	KBP="($PWUSER@127.0.0.1) Password: "
	DENIED="$PWUSER@127.0.0.1: Permission denied (publickey,password,keyboard-interactive)."
	P=(-F "$NOKEY" -o BatchMode=no -l "$PWUSER")

	ask pw-right "$PW" "${P[@]}" -o PreferredAuthentications=password target 'id -un'
	expect_run password 0 "$PWUSER"
	expect_eq password-prompt "$ASKED" "$PWP"

	ask pw-wrong $'a\nb\nc' "${P[@]}" -o PreferredAuthentications=password target true
	expect_run password-wrong 255 ""
	expect_eq password-wrong-three-prompts "$ASKED" "$PWP"$'\n'"$PWP"$'\n'"$PWP"
	expect_eq password-wrong-messages "${ERR//$'\r'/}" "Permission denied, please try again.
Permission denied, please try again.
$DENIED"

	ask pw-wrong-then-right $'a\n'"$PW" "${P[@]}" -o PreferredAuthentications=password target 'id -un'
	expect_run password-second-try 0 "$PWUSER"

	ask pw-one a "${P[@]}" -o NumberOfPasswordPrompts=1 -o PreferredAuthentications=password target true
	expect_run password-prompts-1 255 ""
	expect_eq password-prompts-1-once "$ASKED" "$PWP"

	ask kbd-right "$PW" "${P[@]}" -o PreferredAuthentications=keyboard-interactive target 'id -un'
	expect_run kbdint 0 "$PWUSER"
	expect_eq kbdint-prompt "$ASKED" "$KBP"

	# ssh's default order: keyboard-interactive before password.
	ask order-default $'a\nb\nc\nd\ne\nf' "${P[@]}" target true
	expect_run order-default 255 ""
	expect_eq order-default-prompts "$ASKED" "$KBP"$'\n'"$KBP"$'\n'"$KBP"$'\n'"$PWP"$'\n'"$PWP"$'\n'"$PWP"
	ask order-pref "$PW" "${P[@]}" \
	    -o PreferredAuthentications=password,keyboard-interactive target 'id -un'
	expect_run order-password-first 0 "$PWUSER"
	expect_eq order-password-first-prompt "$ASKED" "$PWP"
	# (A failed password then keyboard-interactive makes this sshd's PAM
	# fail after authentication, with ssh too: the other way round.)
	ask order-pref2 $'a\n'"$PW" "${P[@]}" -o NumberOfPasswordPrompts=1 \
	    -o PreferredAuthentications=keyboard-interactive,password target 'id -un'
	expect_run order-preferred-next 0 "$PWUSER"
	expect_eq order-preferred-next-prompts "$ASKED" "$KBP"$'\n'"$PWP"

	ask pw-off "$PW" "${P[@]}" -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no target true
	expect_run password-kbd-off 255 ""
	expect_eq password-kbd-off-no-prompt "$ASKED" ""

	ask pw-batch "$PW" -F "$NOKEY" -l "$PWUSER" target true
	expect_run batchmode 255 ""
	expect_eq batchmode-no-prompt "$ASKED" ""
	expect_eq batchmode-message "${ERR//$'\r'/}" "$DENIED"
	expect_match batchmode-fast "$ELAPSED" '^[0-4]\.'

	# A chain: the jump by key, the target by password.  The prompt
	# names the target, and the jump's sshd never sees a password.
	mark_log jump
	mark_log target
	ask pw-chain "$PW" -F "$LAB/ssh_config" -o BatchMode=no -l "$PWUSER" \
	    -o PubkeyAuthentication=no -o PreferredAuthentications=password \
	    -J jump target 'id -un'
	expect_run chain-password 0 "$PWUSER"
	if xssh_only chain-password-prompt-names-hop; then
		expect_eq chain-password-prompt-names-hop "$ASKED" "(hop 2/2 target) $PWP"
	fi
	expect_match chain-password-target-accepted "$(new_log target)" "Accepted password for $PWUSER "
	expect_match chain-password-jump-by-key "$(new_log jump)" "Accepted publickey for $ME "
	expect_nomatch chain-password-never-to-jump "$(new_log jump)" "method (password|keyboard-interactive)|[Pp]assword for"

	ask pw-chain-wrong $'a\nb\nc' -F "$LAB/ssh_config" -o BatchMode=no -l "$PWUSER" \
	    -o PubkeyAuthentication=no -J jump target true
	expect_run chain-password-wrong 255 ""
	expect_hop_error chain-password-wrong-names-hop 2 2 target
	expect_match chain-password-wrong-says "$ERR" "Permission denied \\(publickey,password,keyboard-interactive\\)"
fi

# ------------------------------------------------------------ several prompts
# keyboard-interactive with two prompts per round, two rounds: a libssh
# server (sshd asks one question a round through PAM), built against the
# libssh xssh links (tests/deps.sh, from ./configure).
kbd_built=0
if [ -r "$TOP/tests/deps.sh" ]; then
	. "$TOP/tests/deps.sh"
	# shellcheck disable=SC2086
	cc $DEP_CFLAGS -o "$T/kbdsrv" "$TOP/tests/helpers/kbdint-server.c" $DEP_LIBS 2>"$T/cc.err" && kbd_built=1
else
	echo "no tests/deps.sh: run ./configure first" >"$T/cc.err"
fi
if [ "$kbd_built" = 0 ]; then
	fail kbdint-rounds "cannot build tests/helpers/kbdint-server.c: $(head -1 "$T/cc.err" 2>/dev/null)"
else
	ssh-keygen -q -t ed25519 -N '' -f "$T/kbdhost"
	KP=$(free_port)
	"$T/kbdsrv" "$KP" "$T/kbdhost" "$T/kbd.log" </dev/null >/dev/null 2>&1 &
	KBD_PID=$!
	at_exit "kill $KBD_PID"
	for _ in $(seq 50); do grep -q ready "$T/kbd.log" 2>/dev/null && break; sleep 0.1; done
	echo "[127.0.0.1]:$KP $(cut -d' ' -f1,2 "$T/kbdhost.pub")" >"$T/kbd_kh"
	ask kbd-rounds $'one\ntwo\nthree\nfour' -F none -o "UserKnownHostsFile $T/kbd_kh" \
	    -o IdentityFile=none -p "$KP" -l tester 127.0.0.1 true
	expect_run kbdint-rounds 0 kbdint-ok
	expect_eq kbdint-rounds-prompts "$ASKED" "(tester@127.0.0.1) First: 
(tester@127.0.0.1) Second: 
(tester@127.0.0.1) Third: 
(tester@127.0.0.1) Fourth: "
	expect_eq kbdint-rounds-server "$(cat "$T/kbd.log")" "ready
round answers: one,two
round answers: three,four
authenticated"
	expect_eq kbdint-rounds-name-instruction "${ERR//$'\r'/}" "xssh test
Two questions, twice."
fi
eval "$run_x_orig"

# ------------------------------------------------------------ a terminal
# tmux: the passphrase typed on a terminal, not echoed; a keyboard-
# interactive prompt with echo shows what is typed.
if ! command -v tmux >/dev/null; then
	skip tty-passphrase "no tmux"
else
	tmux_setup auth
	# tty_case NAME COMMAND [PROMPT-REGEX KEYS]...: COMMAND in a
	# terminal; each KEYS typed once the screen shows its prompt.
	tty_case() {
		local name=$1 cmd=$2 k r
		shift 2
		printf '#!/bin/sh\nexport HOME=%q\n%s\necho "EXIT=$?"\nsleep 60\n' \
		    "$HOME" "$cmd" >"$T/tty.sh"
		chmod +x "$T/tty.sh"
		tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
		tmux -L "$TMUX_SOCK" new-session -d -s auth -x 220 -y 50 "$T/tty.sh"
		SCREEN=
		while [ $# -ge 2 ]; do
			r=$1 k=$2
			shift 2
			if ! wait_pane "$r"; then
				fail "$name" "no prompt on the terminal: $(pane | tail -3)"
				tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
				return
			fi
			tmux -L "$TMUX_SOCK" send-keys -t auth -l "$k"
			tmux -L "$TMUX_SOCK" send-keys -t auth Enter
			sleep 0.3
		done
		wait_pane '^EXIT=' || true
		SCREEN=$(pane)
		printf '%s\n' "$SCREEN" | sed "s/^/# $name screen: /"
		tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	}
	tty_case tty-passphrase \
	    "'$XSSH' -F '$NOKEY' -o BatchMode=no -i '$T/pp' target echo typed-ok" \
	    "Enter passphrase for key '.*': *\$" pp-secret
	expect_match tty-passphrase-exit "$SCREEN" $'\nEXIT=0'
	expect_match tty-passphrase-output "$SCREEN" $'\ntyped-ok'
	expect_nomatch tty-passphrase-not-echoed "$SCREEN" "pp-secret"
	if [ -n "${KBD_PID-}" ]; then
		tty_case tty-kbdint-echo \
		    "'$XSSH' -F none -o 'UserKnownHostsFile $T/kbd_kh' -o IdentityFile=none -p $KP -l tester 127.0.0.1 true" \
		    'First: *$' one 'Second: *$' two 'Third: *$' three 'Fourth: *$' four
		expect_match tty-kbdint-exit "$SCREEN" $'\nEXIT=0'
		expect_match tty-kbdint-echoed "$SCREEN" "\\(tester@127\\.0\\.0\\.1\\) Second: two"
		expect_nomatch tty-kbdint-hidden "$SCREEN" "First: one"
	fi
fi

# ------------------------------------------------------------ forwarding
# A second agent with another key, for ForwardAgent PATH.
AGENT2_SOCK=$T/agent2.sock
start_agent "$AGENT2_SOCK"
SSH_AUTH_SOCK=$AGENT2_SOCK ssh-add -q "$T/other" 2>/dev/null
FP_AGENT=$(fp "$T/agentkey")
FP_OTHER=$(fp "$T/other")

agent_run -F "$LAB/ssh_config" -A target 'ssh-add -l'
expect_run forward-A 0
expect_match forward-A-lists-key "$OUT" "$(re "$FP_AGENT")"

agent_run -F "$LAB/ssh_config" target 'ssh-add -l; echo rc=$?'
expect_match no-A-no-agent "$OUT" "rc=2"
agent_run -F "$LAB/ssh_config" -A -a target 'ssh-add -l; echo rc=$?'
expect_match A-then-a-no-agent "$OUT" "rc=2"
agent_run -F "$LAB/ssh_config" -o ForwardAgent=yes -o IdentityAgent=none target 'ssh-add -l; echo rc=$?'
expect_match forward-without-agent-none "$OUT" "rc=2"

# Through a jump whose own block asks for forwarding: only the
# destination gets the agent; the jump sees no request, opens no channel.
lab_variant "$T/fwd.conf" jump "ForwardAgent yes"
mark_log jump
agent_run -F "$T/fwd.conf" -A -J jump target 'ssh-add -l; ssh-add -l'
expect_run forward-chain 0
expect_eq forward-chain-twice "$(grep -cF "$FP_AGENT" <<<"$OUT")" 2
expect_nomatch forward-chain-jump-not-asked "$(new_log jump)" "auth-agent"

agent_run -F "$LAB/ssh_config" -J jump target 'ssh-add -l; echo rc=$?'
expect_match forward-chain-off "$OUT" "rc=2"

# ForwardAgent PATH and $VAR: that socket, not SSH_AUTH_SOCK's.
agent_run -F "$LAB/ssh_config" -o "ForwardAgent $AGENT2_SOCK" target 'ssh-add -l'
expect_run forward-path 0
expect_match forward-path-other-agent "$OUT" "$(re "$FP_OTHER")"
expect_nomatch forward-path-not-default "$OUT" "$(re "$FP_AGENT")"
A2=$AGENT2_SOCK agent_run -F "$LAB/ssh_config" -o 'ForwardAgent $A2' target 'ssh-add -l'
expect_match forward-var "$OUT" "$(re "$FP_OTHER")"
agent_run -F "$LAB/ssh_config" -o "ForwardAgent $T/no-such.sock" target 'ssh-add -l; echo rc=$?'
expect_match forward-path-missing-says "$ERR" "Cannot forward agent socket path \"$T/no-such.sock\": No such file or directory"

# Many agent requests in one session, with output flowing.
agent_run -F "$LAB/ssh_config" -A -J jump target 'for i in 1 2 3 4 5 6 7 8 9 10; do ssh-add -l >/dev/null || exit 9; done; seq 1 50000 | md5sum'
expect_run forward-many 0 "$(seq 1 50000 | md5sum)"

