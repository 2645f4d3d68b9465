#!/bin/bash
# Host keys, hop by hop: every StrictHostKeyChecking mode on the first hop
# of -J alpha bravo (alpha, set in its config block) and on the second
# (bravo, with -o); known_hosts files written or not, hashed when asked;
# prompts answered through SSH_ASKPASS (setsid: no terminal) and through a
# terminal (tmux); changed keys refused before any authentication reaches
# the server; @revoked, RevokedHostKeys, HostKeyAlias, several
# UserKnownHostsFile, GlobalKnownHostsFile, KnownHostsCommand, entries
# hashed by ssh-keygen -H; and, where the two can be run on the same input,
# stderr compared with OpenSSH's ssh line for line.
#
# Checks of xssh's own words (hop names, the revoked-with-"no" refusal)
# are skipped when XSSH is OpenSSH's ssh.
. "$(dirname "$0")/../lib.sh"

lab_start hk alpha bravo
PA=$(lab_port alpha)
PB=$(lab_port bravo)
NA="[127.0.0.1]:$PA"
NB="[127.0.0.1]:$PB"
KA=$(cut -d' ' -f1,2 "$LAB/alpha/host_key.pub")
KB=$(cut -d' ' -f1,2 "$LAB/bravo/host_key.pub")
FPA=$(ssh-keygen -l -f "$LAB/alpha/host_key.pub" | cut -d' ' -f2)
FPB=$(ssh-keygen -l -f "$LAB/bravo/host_key.pub" | cut -d' ' -f2)
ssh-keygen -q -t ed25519 -N '' -f "$T/other"
KO=$(cut -d' ' -f1,2 "$T/other.pub")
SSH=/usr/bin/ssh
HOPS=(alpha bravo)
NAMES=("$NA" "$NB")
KEYS=("$KA" "$KB")
FPS=("$FPA" "$FPB")

# The lab's known_hosts without NAME's line.
known_without() { grep -vF "$1 " "$LAB/known_hosts"; }

# ssh ends its stderr lines with CR LF: compare text without the CRs.
eval "_lib_$(declare -f run_x)"
run_x() { _lib_run_x "$@"; ERR=${ERR//$'\r'/}; }

# conf OUT HOST LINE...: the lab config with LINEs first in HOST's block.
conf() { lab_variant "$@" || fail "conf-$2" "no Host $2 block"; }

# A string as an ERE matching itself.
re() { printf '%s' "$1" | sed 's/[][\\.*^$|+?(){}]/\\&/g'; }

# Lines a server logged since mark_log: no authentication may show there.
mark_log() { MARK=$(wc -l <"$LAB/$1/log"); }
auth_lines() {
	tail -n +"$((MARK + 1))" "$LAB/$1/log" |
	    grep -Ec 'Accepted|Postponed|Failed|publickey|password' || true
}

# run_hop I ARGS...: the chain with the settings of hop I (1: alpha, the
# first hop, in $T/c.conf; 2: bravo, the destination, -o options in ARGS).
run_chain() { run_x -F "$T/c.conf" "$@" -J alpha bravo 'echo through'; }

# ------------------------------------------------ modes, hop 1 and hop 2
for i in 1 2; do
	h=${HOPS[$((i - 1))]} n=${NAMES[$((i - 1))]}
	for mode in yes accept-new no off ask; do
		for hash in no yes; do
			[ "$mode" = yes ] || [ "$mode" = ask ] || [ "$mode" = accept-new ] ||
			    [ "$hash" = no ] || continue
			name=mode-$mode-hash-$hash-hop$i
			kh=$T/kh-$name
			rm -f "$kh"
			if [ "$i" = 1 ]; then
				conf "$T/c.conf" alpha "UserKnownHostsFile $kh" \
				    "StrictHostKeyChecking $mode" \
				    "HashKnownHosts $hash"
				run_chain
			else
				cp "$LAB/ssh_config" "$T/c.conf"
				run_chain -o "UserKnownHostsFile $kh" \
				    -o "StrictHostKeyChecking $mode" \
				    -o "HashKnownHosts $hash"
			fi
			case $mode in
			yes)
				expect_run "$name" 255 ""
				expect_match "$name-says" "$ERR" "No ED25519 host key is known for \\[127\\.0\\.0\\.1\\]:[0-9]+ and you have requested strict checking"
				check "$name-no-file" test ! -s "$kh"
				expect_hop_error "$name-names-hop" "$i" 2 "$h"
				;;
			ask)
				# BatchMode yes (the lab's): nobody to ask.
				expect_run "$name" 255 ""
				expect_match "$name-says" "$ERR" "Host key verification failed\\."
				expect_nomatch "$name-no-strict-line" "$ERR" "No ED25519 host key is known"
				check "$name-no-file" test ! -s "$kh"
				;;
			*)
				expect_run "$name" 0 through
				expect_match "$name-warns" "$ERR" "Warning: Permanently added '\\[127\\.0\\.0\\.1\\]:[0-9]+' \\(ED25519\\) to the list of known hosts\\."
				check "$name-found-by-ssh-keygen" bash -c "ssh-keygen -F '$n' -f '$kh' | grep -q ssh-ed25519"
				if [ "$hash" = yes ]; then
					expect_match "$name-hashed" "$(cat "$kh")" '^\|1\|[^ ]+ ssh-ed25519 '
					expect_nomatch "$name-no-plain-name" "$(cat "$kh")" '127\.0\.0\.1'
				else
					expect_eq "$name-line" "$(cat "$kh")" "$n ${KEYS[$((i - 1))]}"
				fi
				;;
			esac
		done
	done
done

# ------------------------------------------------ asking through SSH_ASKPASS
# askpass answers the lines of $T/answers in turn and logs its prompts.
cat >"$T/askpass" <<EOF
#!/bin/sh
n=\$(cat "$T/ask.n" 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >"$T/ask.n"
printf '%s\n--\n' "\$1" >>"$T/ask.log"
echo "SSH_ASKPASS_PROMPT=\${SSH_ASKPASS_PROMPT-unset}" >>"$T/ask.env"
sed -n "\${n}p" "$T/answers"
EOF
chmod +x "$T/askpass"

# ask_run NAME ANSWERS KH-ALPHA KH-BRAVO [ARGS...]: -J alpha bravo, every
# prompt answered from ANSWERS (one a line), no terminal (setsid).
ask_run() {
	local name=$1 answers=$2 kha=$3 khb=$4
	shift 4
	printf '%s\n' "$answers" >"$T/answers"
	rm -f "$T/ask.n" "$T/ask.log" "$T/ask.env"
	conf "$T/ask.conf" alpha "UserKnownHostsFile $kha" \
	    "StrictHostKeyChecking ask" "BatchMode no"
	SSH_ASKPASS=$T/askpass SSH_ASKPASS_REQUIRE=force \
	    run_x -F "$T/ask.conf" -o "UserKnownHostsFile $khb" \
	    -o StrictHostKeyChecking=ask -o BatchMode=no "$@" \
	    -J alpha bravo 'echo through' </dev/null
	ASKED=$(cat "$T/ask.log" 2>/dev/null)
}
# setsid: the client without a controlling terminal, for askpass.
RUN_IN=(setsid -w)

known_without "$NB" >"$T/kh-b-missing"
known_without "$NA" >"$T/kh-a-missing"

PROMPT_B="The authenticity of host '$NB (<no hostip for proxy command>)' can't be established.
ED25519 key fingerprint is $FPB.
This key is not known by any other names.
Are you sure you want to continue connecting (yes/no/[fingerprint])? "
PROMPT_A="The authenticity of host '$NA ($NA)' can't be established.
ED25519 key fingerprint is $FPA.
This key is not known by any other names.
Are you sure you want to continue connecting (yes/no/[fingerprint])? "

cp "$T/kh-b-missing" "$T/kb"
ask_run askpass-yes-hop2 yes "$LAB/known_hosts" "$T/kb"
expect_run askpass-yes-hop2 0 through
if xssh_only askpass-yes-hop2-prompt; then
	expect_eq askpass-yes-hop2-prompt "$ASKED" "(hop 2/2 bravo) $PROMPT_B"$'\n--'
fi
expect_eq askpass-yes-hop2-written "$(tail -1 "$T/kb")" "$NB $KB"
expect_eq askpass-not-confirm-kind "$(cat "$T/ask.env")" "SSH_ASKPASS_PROMPT=unset"

cp "$T/kh-a-missing" "$T/ka"
ask_run askpass-yes-hop1 yes "$T/ka" "$LAB/known_hosts"
expect_run askpass-yes-hop1 0 through
if xssh_only askpass-yes-hop1-prompt; then
	expect_eq askpass-yes-hop1-prompt "$ASKED" "(hop 1/2 alpha) $PROMPT_A"$'\n--'
fi
expect_eq askpass-yes-hop1-written "$(tail -1 "$T/ka")" "$NA $KA"

cp "$T/kh-b-missing" "$T/kb"
ask_run askpass-no-hop2 no "$LAB/known_hosts" "$T/kb"
expect_run askpass-no-hop2 255 ""
expect_match askpass-no-hop2-says "$ERR" "Host key verification failed\\."
check askpass-no-hop2-not-written cmp -s "$T/kb" "$T/kh-b-missing"
expect_hop_error askpass-no-hop2-names-hop 2 2 bravo

cp "$T/kh-a-missing" "$T/ka"
ask_run askpass-no-hop1 no "$T/ka" "$LAB/known_hosts"
expect_run askpass-no-hop1 255 ""
check askpass-no-hop1-not-written cmp -s "$T/ka" "$T/kh-a-missing"
expect_hop_error askpass-no-hop1-names-hop 1 2 alpha

cp "$T/kh-b-missing" "$T/kb"
ask_run askpass-fingerprint-hop2 "$FPB" "$LAB/known_hosts" "$T/kb"
expect_run askpass-fingerprint-hop2 0 through
expect_eq askpass-fingerprint-hop2-written "$(tail -1 "$T/kb")" "$NB $KB"

# Another answer: asked again, as ssh does.
cp "$T/kh-b-missing" "$T/kb"
ask_run askpass-again-hop2 $'maybe\nyes' "$LAB/known_hosts" "$T/kb"
expect_run askpass-again-hop2 0 through
expect_match askpass-again-hop2-reprompt "$ASKED" $'\n--\n'"(\\(hop 2/2 bravo\\) )?Please type 'yes', 'no' or the fingerprint: "$'\n--$'

# A wrong fingerprint is no answer either: asked again, then "no".
cp "$T/kh-b-missing" "$T/kb"
ask_run askpass-wrong-fp-hop2 $'SHA256:AAAA\nno' "$LAB/known_hosts" "$T/kb"
expect_run askpass-wrong-fp-hop2 255 ""
expect_eq askpass-wrong-fp-asked-twice "$(cat "$T/ask.n")" 2

# Both hops unknown: two prompts, hop 1 first, both keys written.
cp "$T/kh-a-missing" "$T/ka"
cp "$T/kh-b-missing" "$T/kb"
ask_run askpass-both $'yes\nyes' "$T/ka" "$T/kb"
expect_run askpass-both 0 through
expect_eq askpass-both-two-prompts "$(cat "$T/ask.n")" 2
expect_match askpass-both-order "$ASKED" "^(\\(hop 1/2 alpha\\) )?The authenticity of host '\\[127\\.0\\.0\\.1\\]:$PA .*--"$'\n'"(\\(hop 2/2 bravo\\) )?The authenticity of host '\\[127\\.0\\.0\\.1\\]:$PB "

# The key known under other names, VisualHostKey and FingerprintHash md5
# in the prompt: the same text as ssh's for a lone destination.
printf 'bravo-old,10.9.9.9 %s\n@revoked x %s\n' "$KB" "$KB" >"$T/kb-other"
{ cat "$T/kb-other"; echo "n1 $KB"; } >"$T/kb-global"
for v in "" "-o VisualHostKey=yes -o FingerprintHash=md5"; do
	name=askpass-prompt-text${v:+-visual-md5}
	cp "$T/kb-other" "$T/kb"
	printf 'yes\n' >"$T/answers"
	rm -f "$T/ask.n" "$T/ask.log"
	# shellcheck disable=SC2086
	SSH_ASKPASS=$T/askpass SSH_ASKPASS_REQUIRE=force run_lab \
	    -o "UserKnownHostsFile $T/kb" -o "GlobalKnownHostsFile $T/kb-global" \
	    -o StrictHostKeyChecking=ask -o BatchMode=no $v bravo true </dev/null
	expect_run "$name" 0 ""
	X=$(cat "$T/ask.log")
	expect_match "$name-other-names" "$X" "This host key is known by the following other names/addresses:
    $T/kb:1: bravo-old,10\\.9\\.9\\.9
    $T/kb-global:1: bravo-old,10\\.9\\.9\\.9
    $T/kb-global:3: n1
Are you sure"
	if [ -n "$v" ]; then
		expect_match "$name-md5" "$X" "ED25519 key fingerprint is MD5:([0-9a-f]{2}:){15}[0-9a-f]{2}\\."
		ra=$(ssh-keygen -lv -E md5 -f "$LAB/bravo/host_key.pub" | tail -n +2)
		expect_match "$name-randomart" "$X" "$(re "$ra")"
	fi
	if [ "$IS_OPENSSH" = 0 ]; then
		cp "$T/kb-other" "$T/kb"
		rm -f "$T/ask.n" "$T/ask.log"
		# shellcheck disable=SC2086
		SSH_ASKPASS=$T/askpass SSH_ASKPASS_REQUIRE=force setsid -w \
		    "$SSH" -F "$LAB/ssh_config" -o "UserKnownHostsFile $T/kb" \
		    -o "GlobalKnownHostsFile $T/kb-global" \
		    -o StrictHostKeyChecking=ask -o BatchMode=no $v bravo true \
		    </dev/null >/dev/null 2>&1
		expect_eq "$name-as-ssh" "$X" "$(cat "$T/ask.log")"
	fi
done

# ------------------------------------------------ asking on a terminal
# tmux: xssh in a pane, the prompt read off the screen, keys typed in.
if ! command -v tmux >/dev/null; then
	skip tty-prompts "no tmux"
else
	tmux_setup hk
	# tty_case NAME KEYS... : -J alpha bravo in a terminal, bravo unknown.
	# -n: the prompt is read from /dev/tty, stdin has nothing to do
	# with it (and xssh 0.1 stalls reading a terminal stdin when no
	# pty is requested).
	tty_case() {
		local name=$1 k
		shift
		cp "$T/kh-b-missing" "$T/kb"
		cat >"$T/tty.sh" <<EOF
#!/bin/sh
export HOME='$HOME'
'$XSSH' -n -F '$LAB/ssh_config' -o 'UserKnownHostsFile $T/kb' -o StrictHostKeyChecking=ask -o BatchMode=no -J alpha bravo 'echo through'
echo "EXIT=\$?"
sleep 60
EOF
		chmod +x "$T/tty.sh"
		tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
		tmux -L "$TMUX_SOCK" new-session -d -s hk -x 220 -y 50 "$T/tty.sh"
		if ! wait_pane 'continue connecting \(yes/no/\[fingerprint\]\)\? *$'; then
			fail "$name" "no prompt on the terminal: $(pane | tail -5)"
			return
		fi
		for k in "$@"; do
			tmux -L "$TMUX_SOCK" send-keys -t hk -l "$k"
			tmux -L "$TMUX_SOCK" send-keys -t hk Enter
			sleep 0.3
		done
		wait_pane '^EXIT=' || true
		SCREEN=$(pane)
		tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	}

	tty_case tty-yes yes
	expect_match tty-yes-exit "$SCREEN" $'\nEXIT=0'
	expect_match tty-yes-prompt "$SCREEN" "The authenticity of host '\\[127\\.0\\.0\\.1\\]:$PB \\(<no hostip for proxy command>\\)' can't be established\\."
	expect_match tty-yes-echoed "$SCREEN" "\\(yes/no/\\[fingerprint\\]\\)\\? yes"
	expect_match tty-yes-added "$SCREEN" "Warning: Permanently added '\\[127\\.0\\.0\\.1\\]:$PB' \\(ED25519\\) to the list of known hosts\\."
	expect_match tty-yes-output "$SCREEN" $'\nthrough'
	expect_eq tty-yes-written "$(tail -1 "$T/kb")" "$NB $KB"
	if xssh_only tty-yes-names-hop; then
		expect_match tty-yes-names-hop "$SCREEN" "\\(hop 2/2 bravo\\) The authenticity"
	fi

	tty_case tty-no no
	expect_match tty-no-exit "$SCREEN" $'\nEXIT=255'
	expect_match tty-no-says "$SCREEN" "Host key verification failed\\."
	check tty-no-not-written cmp -s "$T/kb" "$T/kh-b-missing"

	tty_case tty-fingerprint "$FPB"
	expect_match tty-fingerprint-exit "$SCREEN" $'\nEXIT=0'
	expect_eq tty-fingerprint-written "$(tail -1 "$T/kb")" "$NB $KB"

	tty_case tty-again maybe yes
	expect_match tty-again-reprompt "$SCREEN" "Please type 'yes', 'no' or the fingerprint: yes"
	expect_match tty-again-exit "$SCREEN" $'\nEXIT=0'
fi
RUN_IN=()

# ------------------------------------------------ a changed key
# Refused before any authentication: the server logs no auth attempt.
for i in 1 2; do
	h=${HOPS[$((i - 1))]} n=${NAMES[$((i - 1))]}
	{ known_without "$n"; echo "# another key"; echo "$n $KO"; } >"$T/kh-changed"
	conf "$T/c.conf" "$h" "UserKnownHostsFile $T/kh-changed"
	mark_log "$h"
	run_x -F "$T/c.conf" -J alpha bravo 'echo through'
	name=changed-hop$i
	expect_run "$name" 255 ""
	expect_match "$name-banner" "$ERR" "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @"
	expect_match "$name-fingerprint" "$ERR" "The fingerprint for the ED25519 key sent by the remote host is
$(re "${FPS[$((i - 1))]}")\\."
	expect_match "$name-offending" "$ERR" "Offending ED25519 key in $T/kh-changed:3
  remove with:
  ssh-keygen -f \"$T/kh-changed\" -R \"\\[127\\.0\\.0\\.1\\]:[0-9]+\""
	expect_match "$name-strict" "$ERR" "Host key for \\[127\\.0\\.0\\.1\\]:[0-9]+ has changed and you have requested strict checking"
	expect_hop_error "$name-names-hop" "$i" 2 "$h"
	for _ in $(seq 30); do
		tail -n +"$((MARK + 1))" "$LAB/$h/log" | grep -q 'preauth' && break
		sleep 0.1
	done
	expect_eq "$name-no-auth-on-server" "$(auth_lines "$h")" 0
	expect_match "$name-server-saw-preauth-close" \
	    "$(tail -n +"$((MARK + 1))" "$LAB/$h/log")" "Connection (closed|reset) by 127\\.0\\.0\\.1 port [0-9]+ \\[preauth\\]"
done

# A known key of another type is a changed key too, as in ssh.
ssh-keygen -q -t rsa -b 2048 -N '' -f "$T/other-rsa"
{ known_without "$NB"; echo "$NB $(cut -d' ' -f1,2 "$T/other-rsa.pub")"; } >"$T/kh-rsa"
run_lab -o "UserKnownHostsFile $T/kh-rsa" bravo true
expect_run changed-type 255 ""
expect_match changed-type-offending "$ERR" "Offending RSA key in $T/kh-rsa:2"

# ... and the RSA entry moves RSA algorithms first in the offer.
if xssh_only hostkey-algorithms-order; then
	run_lab -vvv -o "UserKnownHostsFile $T/kh-rsa" bravo true
	expect_match hostkey-algorithms-order "$ERR" "host key algorithms: rsa-sha2-512,rsa-sha2-256,ssh-ed25519,"
	run_lab -vvv bravo true
	expect_match hostkey-algorithms-known-first "$ERR" "host key algorithms: ssh-ed25519,ecdsa-sha2-nistp256,"
	run_lab -vvv -o HostKeyAlgorithms=-ssh-ed25519 -o "UserKnownHostsFile $T/kh-rsa" bravo true
	expect_nomatch hostkey-algorithms-minus "$ERR" "host key algorithms: ([^[:space:]]*,)?ssh-ed25519([,[:space:]]|$)"
fi

# StrictHostKeyChecking no: on, without what a man in the middle could use.
{ known_without "$NB"; echo "$NB $KO"; } >"$T/kh-changed"
run_lab -o "UserKnownHostsFile $T/kh-changed" -o StrictHostKeyChecking=no \
    -J alpha bravo 'echo through'
expect_run changed-no 0 through
expect_match changed-no-banner "$ERR" "REMOTE HOST IDENTIFICATION HAS CHANGED"
expect_match changed-no-restrictions "$ERR" "Password authentication is disabled to avoid man-in-the-middle attacks\\.
Keyboard-interactive authentication is disabled to avoid man-in-the-middle attacks\\."
expect_nomatch changed-no-strict "$ERR" "requested strict checking"
check changed-no-not-rewritten grep -qF "$NB $KO" "$T/kh-changed"

# ------------------------------------------------ revoked keys
{ cat "$LAB/known_hosts"; echo "@revoked * $KB"; } >"$T/kh-revoked"
for mode in yes no; do
	[ "$mode" = no ] && ! xssh_only revoked-no && continue
	run_lab -o "UserKnownHostsFile $T/kh-revoked" \
	    -o "StrictHostKeyChecking $mode" -J alpha bravo 'echo through'
	expect_run "revoked-$mode" 255 ""
	expect_match "revoked-$mode-banner" "$ERR" "@       WARNING: REVOKED HOST KEY DETECTED!               @
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
The ED25519 host key for \\[127\\.0\\.0\\.1\\]:$PB is marked as revoked\\.
This could mean that a stolen key is being used to
impersonate this host\\."
done
expect_hop_error revoked-no-names-hop 2 2 bravo
if xssh_only revoked-no-refused; then
	expect_match revoked-no-refused "$ERR" "revoked: refused even with StrictHostKeyChecking off"
fi

# RevokedHostKeys: a KRL made by ssh-keygen -k, and a plain list.
ssh-keygen -q -k -f "$T/krl" "$LAB/bravo/host_key.pub"
run_lab -o "RevokedHostKeys $T/krl" -J alpha bravo 'echo through'
expect_run revokedhostkeys-krl 255 ""
expect_match revokedhostkeys-krl-says "$ERR" "Host key ED25519 $(re "$FPB") revoked by file $T/krl"
run_lab -o "RevokedHostKeys $T/krl" -J bravo alpha 'echo through'
expect_run revokedhostkeys-krl-other-hop 0 through
cp "$LAB/bravo/host_key.pub" "$T/revoked.pub"
run_lab -o "RevokedHostKeys $T/revoked.pub" bravo true
expect_run revokedhostkeys-list 255 ""
run_lab -o "RevokedHostKeys $T/nonexistent" bravo true
expect_run revokedhostkeys-missing 255 ""
expect_match revokedhostkeys-missing-says "$ERR" "Error checking host key ED25519 $(re "$FPB") in revoked keys file $T/nonexistent: No such file or directory"

# ------------------------------------------------ names and files
# HostKeyAlias: the lookup name, with no [ ]:port.
echo "bravo-alias $KB" >"$T/kh-alias"
run_lab -o "UserKnownHostsFile $T/kh-alias" -o HostKeyAlias=Bravo-Alias \
    -J alpha bravo 'echo through'
expect_run hostkeyalias-known 0 through
rm -f "$T/kh-alias2"
run_lab -o "UserKnownHostsFile $T/kh-alias2" -o HostKeyAlias=bravo-alias \
    -o StrictHostKeyChecking=accept-new bravo true
expect_run hostkeyalias-new 0 ""
expect_eq hostkeyalias-written "$(cat "$T/kh-alias2")" "bravo-alias $KB"
echo "$NB $KB" >"$T/kh-port-only"
run_lab -o "UserKnownHostsFile $T/kh-port-only" -o HostKeyAlias=bravo-alias bravo true
expect_run hostkeyalias-ignores-port-entry 255 ""

# A bare "127.0.0.1" entry serves any port ("checking without port
# identifier"), and is not rewritten.
echo "127.0.0.1 $KB" >"$T/kh-bare"
run_lab -o "UserKnownHostsFile $T/kh-bare" bravo true
expect_run bare-entry-any-port 0 ""
expect_eq bare-entry-unchanged "$(cat "$T/kh-bare")" "127.0.0.1 $KB"

# Several UserKnownHostsFile: read in turn, new keys into the first.
: >"$T/kh-first"
run_lab -o "UserKnownHostsFile $T/kh-first $LAB/known_hosts" bravo true
expect_run several-known-in-second 0 ""
check several-first-untouched test ! -s "$T/kh-first"
known_without "$NB" >"$T/kh-second"
run_lab -o "UserKnownHostsFile $T/kh-first $T/kh-second" \
    -o StrictHostKeyChecking=accept-new bravo true
expect_run several-new 0 ""
expect_eq several-new-in-first "$(cat "$T/kh-first")" "$NB $KB"
check several-second-untouched cmp -s "$T/kh-second" <(known_without "$NB")
: >"$T/kh-first"
{ known_without "$NB"; echo "$NB $KO"; } >"$T/kh-second"
run_lab -o "UserKnownHostsFile $T/kh-first $T/kh-second" bravo true
expect_run several-changed 255 ""
expect_match several-changed-add-in-first "$ERR" "Add correct host key in $T/kh-first to get rid of this message\\."
expect_match several-changed-offending-second "$ERR" "Offending ED25519 key in $T/kh-second:2"

# GlobalKnownHostsFile: read, never written.
cp "$LAB/known_hosts" "$T/kh-global"
: >"$T/kh-user"
run_lab -o "UserKnownHostsFile $T/kh-user" -o "GlobalKnownHostsFile $T/kh-global" \
    -J alpha bravo 'echo through'
expect_run global-known 0 through
check global-user-untouched test ! -s "$T/kh-user"
known_without "$NB" >"$T/kh-global"
run_lab -o "UserKnownHostsFile $T/kh-user" -o "GlobalKnownHostsFile $T/kh-global" \
    -o StrictHostKeyChecking=accept-new bravo true
expect_run global-new 0 ""
expect_eq global-new-in-user "$(cat "$T/kh-user")" "$NB $KB"
check global-not-written cmp -s "$T/kh-global" <(known_without "$NB")

# UserKnownHostsFile none: nowhere to record, so a new key always fails.
run_lab -o "UserKnownHostsFile none" -o StrictHostKeyChecking=no bravo true
expect_run userknownhostsfile-none 255 ""
expect_match userknownhostsfile-none-says "$ERR" "Host key verification failed\\."

# Entries hashed by ssh-keygen -H read fine, at both hops.
cp "$LAB/known_hosts" "$T/kh-hashed"
ssh-keygen -q -H -f "$T/kh-hashed" >/dev/null 2>&1
expect_nomatch hashed-by-keygen "$(cat "$T/kh-hashed")" "127\\.0\\.0\\.1"
conf "$T/c.conf" alpha "UserKnownHostsFile $T/kh-hashed"
run_x -F "$T/c.conf" -o "UserKnownHostsFile $T/kh-hashed" -J alpha bravo 'echo through'
expect_run hashed-by-keygen-read 0 through

# A new home: ~/.ssh (0700) and ~/.ssh/known_hosts made as ssh makes them
# (xssh's ~ is $HOME; ssh's is the passwd entry's, so not with ssh).
if xssh_only new-home; then
mkdir -p "$T/newhome"
sed -e '/UserKnownHostsFile/d' \
    -e 's/StrictHostKeyChecking yes/StrictHostKeyChecking accept-new/' \
    "$LAB/ssh_config" >"$T/nohome.conf"
HOME=$T/newhome run_x -F "$T/nohome.conf" -J alpha bravo 'echo through'
expect_run new-home 0 through
expect_eq new-home-ssh-dir "$(stat -c %a "$T/newhome/.ssh" 2>/dev/null)" 700
expect_eq new-home-known-hosts "$(cat "$T/newhome/.ssh/known_hosts" 2>/dev/null)" "$NA $KA
$NB $KB"
fi

# ------------------------------------------------ KnownHostsCommand
cat >"$T/khcmd" <<EOF
#!/bin/sh
echo "\$*" >>"$T/khcmd.log"
cat "$LAB/known_hosts"
EOF
chmod +x "$T/khcmd"
rm -f "$T/khcmd.log"
: >"$T/kh-empty"
conf "$T/c.conf" alpha "UserKnownHostsFile $T/kh-empty" \
    "KnownHostsCommand $T/khcmd %I %H %t %f %h %p %%"
run_x -F "$T/c.conf" -o "UserKnownHostsFile $T/kh-empty" \
    -o "KnownHostsCommand $T/khcmd %I %H %t %f %h %p %%" \
    -J alpha bravo 'echo through'
expect_run knownhostscommand 0 through
expect_eq knownhostscommand-calls "$(cat "$T/khcmd.log")" "ORDER 127.0.0.1 NONE NONE 127.0.0.1 $PA %
HOSTNAME $NA ssh-ed25519 $FPA 127.0.0.1 $PA %
ORDER 127.0.0.1 NONE NONE 127.0.0.1 $PB %
HOSTNAME $NB ssh-ed25519 $FPB 127.0.0.1 $PB %"
check knownhostscommand-nothing-written test ! -s "$T/kh-empty"
run_lab -o "UserKnownHostsFile $T/kh-empty" -o "KnownHostsCommand /bin/false" bravo true
expect_run knownhostscommand-fails 255 ""
expect_match knownhostscommand-fails-says "$ERR" "KnownHostsCommand-ORDER /bin/false failed, status 1"
run_lab -o "UserKnownHostsFile $T/kh-empty" -o "KnownHostsCommand khcmd" bravo true
expect_run knownhostscommand-relative 255 ""
expect_match knownhostscommand-relative-says "$ERR" "KnownHostsCommand-HOSTNAME path is not absolute"

# ------------------------------------------------ VisualHostKey
run_lab -o VisualHostKey=yes bravo true
expect_run visualhostkey 0 ""
expect_eq visualhostkey-box "$ERR" "Host key fingerprint is $FPB
$(ssh-keygen -lv -f "$LAB/bravo/host_key.pub" | tail -n +2)"

# ------------------------------------------------ the same words as ssh
# A lone destination, the same inputs: stderr line for line (ssh ends
# its lines with CR LF).
same_as_ssh() {
	local name=$1 setup=$2 a b
	shift 2
	[ "$IS_OPENSSH" = 0 ] || { skip "$name" "XSSH is ssh"; return; }
	eval "$setup"
	run_lab "$@"
	a=$ERR
	eval "$setup"
	timeout 30 ${RUN_IN[@]+"${RUN_IN[@]}"} "$SSH" -F "$LAB/ssh_config" "$@" \
	    </dev/null >/dev/null 2>"$T/ssh.err"
	b=$(tr -d '\r' <"$T/ssh.err")
	expect_eq "$name" "$a" "$b"
}
{ known_without "$NB"; echo "$NB $KO"; } >"$T/kh-changed"
same_as_ssh same-changed "" -o "UserKnownHostsFile $T/kh-changed" bravo true
same_as_ssh same-changed-no "" -o "UserKnownHostsFile $T/kh-changed" \
    -o StrictHostKeyChecking=no bravo true
same_as_ssh same-unknown "" -o "UserKnownHostsFile $T/kh-b-missing" bravo true
same_as_ssh same-accept-new "rm -f $T/kh-new" -o "UserKnownHostsFile $T/kh-new" \
    -o StrictHostKeyChecking=accept-new bravo true
same_as_ssh same-revoked "" -o "UserKnownHostsFile $T/kh-revoked" bravo true
same_as_ssh same-krl "" -o "RevokedHostKeys $T/krl" bravo true
same_as_ssh same-visual-md5 "" -o VisualHostKey=yes -o FingerprintHash=md5 bravo true
same_as_ssh same-several-changed ": >$T/kh-first" \
    -o "UserKnownHostsFile $T/kh-first $T/kh-changed" bravo true
same_as_ssh same-khcmd-fails "" -o "UserKnownHostsFile $T/kh-empty" \
    -o "KnownHostsCommand /bin/false %H" bravo true

# ------------------------------------------------ CheckHostIP
# Hop 1 by TCP only, and never for a loopback address: a server on
# 10.201.0.1 in a network namespace of our own (root only).
NS=xssh-hk$$
if [ "$(id -u)" != 0 ] || ! ip netns add "$NS" 2>/dev/null; then
	skip checkhostip "cannot create a network namespace (not root?)"
	exit 0
fi
at_exit "ip netns del $NS"
if ! { ip -n "$NS" link add v0 type veth peer name v1 &&
    ip -n "$NS" addr add 10.201.0.1/24 dev v0 &&
    ip -n "$NS" addr add 10.201.0.2/24 dev v1 &&
    ip -n "$NS" link set v0 up && ip -n "$NS" link set v1 up &&
    ip -n "$NS" link set lo up; } 2>"$T/ns.err"; then
	fail checkhostip-setup "$(head -1 "$T/ns.err")"
	exit 1
fi
lab_start ip "charlie:listen=10.201.0.1:netns=$NS"
RUN_IN=(ip netns exec "$NS")
PC=$(lab_port charlie)
NIP="[10.201.0.1]:$PC"
KC=$(cut -d' ' -f1,2 "$LAB/charlie/host_key.pub")
IPOPT=(-o CheckHostIP=yes -o HostKeyAlias=calias)

rm -f "$T/kc"
run_lab "${IPOPT[@]}" -o "UserKnownHostsFile $T/kc" \
    -o StrictHostKeyChecking=accept-new charlie true
expect_run checkhostip-new 0 ""
expect_eq checkhostip-new-line "$(cat "$T/kc")" "calias,$NIP $KC"
expect_match checkhostip-new-says "$ERR" "Permanently added 'calias,\\[10\\.201\\.0\\.1\\]:$PC' \\(ED25519\\)"

echo "calias $KC" >"$T/kc"
run_lab "${IPOPT[@]}" -o "UserKnownHostsFile $T/kc" charlie true
expect_run checkhostip-ip-added 0 ""
expect_match checkhostip-ip-added-says "$ERR" "Warning: Permanently added the ED25519 host key for IP address '\\[10\\.201\\.0\\.1\\]:$PC' to the list of known hosts\\."
expect_eq checkhostip-ip-added-line "$(tail -1 "$T/kc")" "$NIP $KC"

printf 'calias %s\n%s %s\n' "$KC" "$NIP" "$KO" >"$T/kc"
run_lab "${IPOPT[@]}" -o "UserKnownHostsFile $T/kc" charlie true
expect_run checkhostip-ip-differs 255 ""
expect_match checkhostip-ip-differs-says "$ERR" "Warning: the ED25519 host key for 'calias' differs from the key for the IP address '\\[10\\.201\\.0\\.1\\]:$PC'
Offending key for IP in $T/kc:2
Matching host key in $T/kc:1"
expect_match checkhostip-ip-differs-exits "$ERR" "Exiting, you have requested strict checking\\."

# Through a jump the hop has no address: the name alone is recorded.
# The jump is the same server, named so that ssh does not take it for
# a "jumphost loop" (it compares the jump as written with the
# destination's HostName, port and user; 15-config-chain tests that).
if xssh_only checkhostip-via-jump; then
	rm -f "$T/kc"
	run_lab "${IPOPT[@]}" -o "UserKnownHostsFile $T/kc" \
	    -o StrictHostKeyChecking=accept-new -J charlie charlie true
	expect_run checkhostip-via-jump 0 ""
	expect_eq checkhostip-via-jump-line "$(cat "$T/kc")" "calias $KC"
fi

# A numeric HostName off port 22: ssh ends up not recording the address.
rm -f "$T/kc"
run_lab -o CheckHostIP=yes -o "UserKnownHostsFile $T/kc" \
    -o StrictHostKeyChecking=accept-new charlie true
expect_eq checkhostip-numeric-line "$(cat "$T/kc")" "$NIP $KC"

rm -f "$T/kc"
same_as_ssh same-checkhostip-new "rm -f $T/kc" "${IPOPT[@]}" \
    -o "UserKnownHostsFile $T/kc" -o StrictHostKeyChecking=accept-new charlie true
same_as_ssh same-checkhostip-differs \
    "printf 'calias %s\\n%s %s\\n' '$KC' '$NIP' '$KO' >$T/kc" \
    "${IPOPT[@]}" -o "UserKnownHostsFile $T/kc" charlie true
same_as_ssh same-checkhostip-dns-spoofing \
    "printf 'calias %s\\n%s %s\\n' '$KO' '$NIP' '$KC' >$T/kc" \
    "${IPOPT[@]}" -o "UserKnownHostsFile $T/kc" charlie true
