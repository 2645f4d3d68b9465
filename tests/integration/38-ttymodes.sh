#!/bin/bash
# Terminal modes in the pty request: the remote pty starts with the
# local terminal's characters and flags, as with ssh.  In a real
# terminal (tmux) with unusual settings (erase ^H, kill ^G, intr ^B,
# no ixon, a disabled quit character), "stty -a" on the target through
# a jump must print exactly what it prints through ssh; the same through
# a mux master (which must send its client's terminal, not its own);
# and with -tt and no terminal at all, where ssh sends no modes and
# sshd's defaults apply.
. "$(dirname "$0")/../lib.sh"

if ! command -v tmux >/dev/null; then
	skip ttymodes "no tmux"
	exit 0
fi

lab_start ttym jump target
tmux_setup ttym

printf '%s\n' "PS1='local\$ '" "export HOME='$HOME' TERM=xterm" \
    "stty erase '^H' kill '^G' intr '^B' quit undef -ixon" >"$T/rc"
tmux -L "$TMUX_SOCK" new-session -d -s ttym -x 90 -y 25 \
    "bash --rcfile '$T/rc' -i"
wait_pane '^local\$ ' || fail tmux-shell "no local prompt: $(pane | tail -3)"

line() {
	tmux -L "$TMUX_SOCK" send-keys -t ttym -l -- "$1"
	tmux -L "$TMUX_SOCK" send-keys -t ttym Enter
}
# in_pane NAME CMD: run CMD in the terminal, its output into $T/NAME.
in_pane() {
	line "$2 >'$T/$1.raw' 2>'$T/$1.err'; echo \"done-$1=\$?\""
	if wait_pane "^done-$1=0"; then
		tr -d '\r' <"$T/$1.raw" >"$T/$1"
	else
		echo "# $1: $(pane | grep . | tail -4 | tr '\n' '|')"
		: >"$T/$1"
	fi
}
same_as() {
	if [ -s "$T/$2" ] && cmp -s "$T/$2" "$T/$3"; then
		ok "$1"
	else
		fail "$1" "$(diff "$T/$3" "$T/$2" | head -8 | tr '\n' '|')"
	fi
}

CFG="-F '$LAB/ssh_config'"
in_pane local "stty -a"
in_pane xssh "'$XSSH' $CFG -t -J jump target 'stty -a'"
in_pane ssh "ssh $CFG -t -J jump target 'stty -a'"

expect_match local-terminal-set "$(cat "$T/local")" 'erase = \^H'
for m in 'intr = \^B' 'quit = <undef>' 'erase = \^H' 'kill = \^G' ' -ixon'; do
	expect_match "remote-has-${m// /}" "$(cat "$T/xssh")" "$m"
done
same_as stty-same-as-ssh xssh ssh

# Through a mux master started outside the terminal: the modes are
# the client's.
run_lab -S "$T/ctl" -M -N -f -J jump target
if [ "$RC" = 0 ]; then
	at_exit "'$XSSH' -S '$T/ctl' -O exit target >/dev/null 2>&1"
	in_pane mux "'$XSSH' $CFG -S '$T/ctl' -t target 'stty -a'"
	same_as mux-stty-same-as-ssh mux ssh
else
	fail mux-master "rc=$RC $ERR"
fi

# -tt without a terminal: no modes at all, as ssh sends.
run_lab -tt -J jump target 'stty -a' </dev/null
tr -d '\r' <"$OUTF" >"$T/notty.xssh"
timeout 60 ssh -F "$LAB/ssh_config" -tt -J jump target 'stty -a' \
    </dev/null 2>/dev/null | tr -d '\r' >"$T/notty.ssh"
expect_match notty-has-modes "$(cat "$T/notty.xssh")" 'erase = '
same_as notty-stty-same-as-ssh notty.xssh notty.ssh
