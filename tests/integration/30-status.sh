#!/bin/bash
# Exit statuses, stdout/stderr separation and stdin handling through a
# jump.  Passes with XSSH=/usr/bin/ssh.
. "$(dirname "$0")/../lib.sh"

lab_start status jump target

# ------------------------------------------------------------ exit status
run_lab -J jump target 'exit 0'
expect_run status-0 0 ""
run_lab -J jump target 'exit 7'
expect_run status-7 7 ""
run_lab -J jump target 'exit 300'
expect_run status-300-is-44 44 ""
run_lab -J jump target 'exit 255'
expect_run status-255 255 ""
run_lab -J jump target 'kill -9 $$'
expect_run status-killed-9 255 ""
run_lab -J jump target 'kill -TERM $$'
expect_run status-killed-term 255 ""
run_lab target 'exit 42'
expect_run status-42-direct 42 ""
run_lab -J jump,jump target 'exit 42'
expect_run status-42-2jumps 42 ""

# The status arrives even when the remote closes its output first.
run_lab -J jump target 'echo early; exec >&- 2>&-; sleep 1; exit 3'
expect_run status-after-close 3 early

# ------------------------------------------------------------ stdout vs stderr
run_lab -J jump target 'echo out; echo err >&2'
expect_run streams-exit 0 out
expect_eq streams-stderr "$ERR" err

# Many lines on both at once: every line arrives, on the right stream.
run_lab -J jump target 'seq 1 100000 & seq 100001 200000 >&2; wait'
expect_run streams-bulk-exit 0
expect_eq streams-bulk-stdout "$(md5sum <"$OUTF")" "$(seq 1 100000 | md5sum)"
expect_eq streams-bulk-stderr "$(md5sum <"$ERRF")" "$(seq 100001 200000 | md5sum)"

# stderr written after stdout is closed still arrives.
run_lab -J jump target 'exec 1>&-; sleep 0.5; echo late >&2'
expect_run stderr-after-stdout-eof 0 ""
expect_eq stderr-after-stdout-eof-text "$ERR" late

# ------------------------------------------------------------ stdin
# echo x | xssh -J jump target cat
run_lab -J jump target cat < <(echo x)
expect_run stdin-pipe-cat 0 x

# A stdin that never ends: a FIFO held open for writing by ourselves.
mkfifo "$T/never"
exec {NEVER}<>"$T/never"
at_exit "exec $NEVER>&-"

# -n: the remote command reads an empty stdin, so cat ends at once.
X_TIMEOUT=20 run_lab -n -J jump target cat <&"$NEVER"
expect_run stdin-n-cat-ends 0 ""
echo "# -n cat with an endless local stdin ended in ${ELAPSED}s"

# Without -n, the session still ends when the remote command exits.
X_TIMEOUT=20 run_lab -J jump target 'echo done' <&"$NEVER"
expect_run stdin-open-remote-exits 0 done

# ... and its exit status is still passed on.
X_TIMEOUT=20 run_lab -J jump target 'exit 5' <&"$NEVER"
expect_run stdin-open-status 5 ""

# The remote sees our stdin's EOF: read ends, then the command goes on.
run_lab -J jump target 'cat >/dev/null; echo after-eof' < <(printf 'a\nb\n')
expect_run stdin-eof-then-output 0 after-eof

# stdin is not read when the command does not read it and it is large.
run_lab -J jump target 'echo quick' < <(head -c 10000000 /dev/zero)
expect_run stdin-unread-large 0 quick

# ------------------------------------------------------------ a pipeline
# xssh as the first stage of a pipe whose reader quits early.
res=$( (timeout 30 "$XSSH" -F "$LAB/ssh_config" -J jump target 'seq 1 1000000' </dev/null 2>/dev/null
	echo "rc=$?" >"$T/pipe.rc") | head -3 | tr '\n' ' ')
expect_eq pipe-reader-quits-output "$res" "1 2 3 "
rc=$(cat "$T/pipe.rc")
# OpenSSH exits 0 or 255 here (broken pipe); what matters is that it ends.
expect_match pipe-reader-quits-ends "$rc" '^rc=(0|255)$'
