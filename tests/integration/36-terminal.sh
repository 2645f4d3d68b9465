#!/bin/bash
# Interactive sessions in a real terminal (tmux): the pty and TERM, the
# window size and its changes, the escapes (~? ~. ~^Z ~# ~v ~~ ~C ~B ~&,
# another escape character), and the local terminal's mode put back on
# every way out.  Passes with XSSH=/usr/bin/ssh but for xssh_only checks.
. "$(dirname "$0")/../lib.sh"

if ! command -v tmux >/dev/null; then
	skip terminal "no tmux"
	exit 0
fi

lab_start term jump target
tmux_setup term

# A local interactive shell of our own in a 100x30 terminal.
cat >"$T/rc" <<EOF
PS1='local\$ '
export HOME='$HOME' TERM=xterm-256color
EOF
tmux -L "$TMUX_SOCK" new-session -d -s term -x 100 -y 30 \
    "bash --rcfile '$T/rc' -i"
wait_pane '^local\$ ' || fail tmux-shell "no local prompt: $(pane | tail -3)"

keys() { tmux -L "$TMUX_SOCK" send-keys -t term -l -- "$1"; }
enter() { tmux -L "$TMUX_SOCK" send-keys -t term Enter; }
line() { keys "$1"; enter; }
clear_pane() { tmux -L "$TMUX_SOCK" clear-history -t term; line clear; sleep 0.3; }
# wait_for NAME REGEX: ok when the screen shows REGEX within 15 s.
wait_for() {
	if wait_pane "$2"; then ok "$1"; else fail "$1" "screen: $(pane | grep . | tail -6 | tr '\n' '|')"; fi
}

XS="'$XSSH' -F '$LAB/ssh_config'"
line "stty -g >'$T/stty.before'"
sleep 0.3

# ------------------------------------------------ a shell through a jump
clear_pane
line "$XS -J jump target"
line 'echo "remote-$((6 * 7)) $TERM"; tty'
wait_for shell-prompt-runs-command '^remote-42 xterm-256color'
wait_for shell-has-pty '^/dev/pts/[0-9]+'
line 'stty size'
wait_for window-size '^30 100$'
tmux -L "$TMUX_SOCK" resize-window -t term -x 120 -y 40
sleep 0.5
line 'stty size'
wait_for window-size-follows-resize '^40 120$'

# ~? lists the escapes (no ~C without EnableEscapeCommandline).
enter
keys '~?'
wait_for escape-help '^\(Note that escapes are only recognized immediately after newline\.\)'
expect_match escape-help-lists "$(pane)" ' ~\.   - terminate connection \(and any multiplexed sessions\)'
expect_nomatch escape-help-no-C "$(pane)" ' ~C   - open a command line'
# ~ not after a newline is sent as typed; ~~ sends one ~.
line 'echo "a~.b"'
wait_for escape-mid-line '^a~\.b$'
line 'cat'
sleep 0.3
keys '~~'
line 'abc'
wait_for escape-tilde-tilde '^~abc$'
tmux -L "$TMUX_SOCK" send-keys -t term C-d
enter
keys '~v'
wait_for escape-verbosity '~v \[LogLevel VERBOSE\]'
enter
keys '~C'
wait_for escape-cmdline-disabled 'commandline disabled'
enter
keys '~B'
line 'echo after-break'
wait_for escape-break '^after-break$'
if xssh_only escape-list; then
	enter
	keys '~#'
	wait_for escape-list 'hop 1/2 jump \(127\.0\.0\.1:[0-9]+\): direct-tcpip to target'
fi

# ~^Z suspends the client (the local shell's job control sees it), fg
# brings it back in raw mode.
enter
keys '~'
tmux -L "$TMUX_SOCK" send-keys -t term C-z
wait_for escape-suspend '~\^Z \[suspend ssh\]'
wait_for escape-suspend-stopped 'Stopped .*-J jump target'
line 'stty -g >'"'$T/stty.suspended'"
sleep 0.3
check escape-suspend-restores-tty cmp -s "$T/stty.before" "$T/stty.suspended"
line fg
sleep 0.5
line 'echo "back-$((40 + 2))"'
wait_for escape-suspend-fg '^back-42$'

# ~. ends the session at once: ssh's message, status 255, the terminal
# back in its old mode.
clear_pane
enter
keys '~.'
wait_for escape-quit '^Connection to 127\.0\.0\.1 closed\.'
line 'echo "status=$?"; stty -g >'"'$T/stty.after'"
wait_for escape-quit-status '^status=255$'
sleep 0.3
check escape-quit-restores-tty cmp -s "$T/stty.before" "$T/stty.after"

# ------------------------------------------------ the remote ends
clear_pane
line "$XS target"
line 'echo "in-$((1 + 1))"'
wait_for remote-exit-ready '^in-2$'
line 'exit 5'
wait_for remote-exit-message '^Connection to 127\.0\.0\.1 closed\.'
line 'echo "status=$?"; stty -g >'"'$T/stty.after2'"
wait_for remote-exit-status '^status=5$'
sleep 0.3
check remote-exit-restores-tty cmp -s "$T/stty.before" "$T/stty.after2"

# ------------------------------------------------ killed by a signal
clear_pane
line "$XS -J jump target"
line 'echo "sig-$((3 * 3))"'
wait_for signal-ready '^sig-9$'
pkill -TERM -f -- "-F $LAB/ssh_config -J jump target\$" || echo "# pkill found nothing"
wait_for signal-local-prompt 'local\$ ?$'
line 'echo "status=$?"; stty -g >'"'$T/stty.after3'"
wait_for signal-status '^status=255$'
sleep 0.3
check signal-restores-tty cmp -s "$T/stty.before" "$T/stty.after3"

# ------------------------------------------------ another escape character, -tt, ~C
clear_pane
line "$XS -e '#' -o EnableEscapeCommandline=yes -o ServerAliveInterval=1 -J jump target"
line 'echo "esc-$((2 * 5))"'
wait_for escape-char-ready '^esc-10$'
enter
keys '~.'
enter
line 'echo "still-$((5 + 5))"'
wait_for escape-char-tilde-is-plain '^still-10$'
enter
keys '#C'
wait_for escape-cmdline-prompt 'ssh> $'
line '-h'
wait_for escape-cmdline-help '-KD\[bind_address:\]port +Cancel dynamic forward'
# ~C -L, -R and their -K, while keepalives run: a banner read through the
# forwarded port, the remote listener seen, both gone once cancelled.
LP=$(free_port)
RP=$(free_port)
TP=$(lab_port target)
banner() { timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && head -c 7 <&3" 2>/dev/null; }
enter
keys '#C'
wait_for cmdline-L-prompt 'ssh> $'
line "-L $LP:127.0.0.1:$TP"
wait_for cmdline-L 'Forwarding port\.'
expect_eq cmdline-L-carries "$(banner "$LP")" SSH-2.0
enter
keys '#C'
line "-R $RP:127.0.0.1:$TP"
# The server binds the port after our request reaches it: wait for it
# (a fixed second was too short under the sanitizers).
for _ in $(seq 100); do
	[ "$(banner "$RP")" = SSH-2.0 ] && break
	sleep 0.1
done
expect_eq cmdline-R-carries "$(banner "$RP")" SSH-2.0
clear_pane
enter
keys '#C'
line "-KL $LP"
wait_for cmdline-KL 'Canceled forwarding\.'
expect_eq cmdline-KL-closed "$(banner "$LP")" ""
clear_pane
enter
keys '#C'
line "-KR $RP"
wait_for cmdline-KR 'Canceled forwarding\.'
sleep 0.5
expect_eq cmdline-KR-closed "$(banner "$RP")" ""
clear_pane
enter
keys '#C'
line "-KL $LP"
wait_for cmdline-unknown 'Unknown port forwarding\.'
line 'echo "alive-$((3 + 4))"'
wait_for cmdline-session-goes-on '^alive-7$'
enter
keys '#.'
wait_for escape-char-quits '^Connection to 127\.0\.0\.1 closed\.'

# -t with a command and no terminal on stdin: ssh's message, no pty;
# -tt forces one.
run_lab -t target 'tty' </dev/null
expect_match t-no-tty-message "$ERR" 'Pseudo-terminal will not be allocated because stdin is not a terminal\.'
expect_run t-no-tty 1 "not a tty"
run_lab -tt target 'tty' </dev/null
expect_match tt-forces-pty "${OUT%$'\r'}" '^/dev/pts/[0-9]+$'
run_lab -T target 'tty' </dev/null
expect_run T-no-pty 1 "not a tty"

# ~& backgrounds the client (no jump: see xssh(1)); the parent exits 0.
clear_pane
line "$XS target"
line 'echo "bg-$((4 * 4))"'
wait_for background-ready '^bg-16$'
enter
keys '~&'
wait_for background-message '~& \[backgrounded\]'
line 'echo "status=$?"'
wait_for background-status '^status=0$'
