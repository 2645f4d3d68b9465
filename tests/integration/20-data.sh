#!/bin/bash
# Bulk and binary data through jumps, both directions at once.  Passes with
# XSSH=/usr/bin/ssh.
. "$(dirname "$0")/../lib.sh"

lab_start data alpha bravo charlie delta
SIZE=$((64 * 1024 * 1024))

head -c "$SIZE" /dev/urandom >"$T/up.src"
head -c "$SIZE" /dev/urandom >"$T/down.src"
sha() { sha256sum <"$1" | cut -d' ' -f1; }

# ------------------------------------- 64 MiB each way, 3 jumps, at once
# The remote shell runs the upload (cat from the channel) in the background
# while it sends the download.  An asynchronous command of a
# non-interactive shell gets /dev/null as stdin, so the channel goes to cat
# through fd 3.  The client reads its stdin (a file) and writes its stdout
# (a file) at the same time; a client that served one direction at a time
# would stall the other.  A progress file shows the overlap: the remote
# records how much was uploaded when the download finished.
X_TIMEOUT=300 run_lab -J alpha,bravo,charlie delta "
	exec 3<&0
	cat <&3 >'$T/up.bin' &
	exec 3<&-
	head -c $SIZE '$T/down.src'
	stat -c %s '$T/up.bin' >'$T/up.at-down-end'
	wait" <"$T/up.src"
expect_run bulk-3jumps-exit 0
echo "# 64 MiB each way through 3 jumps: ${ELAPSED}s"
cp "$OUTF" "$T/down.bin"
expect_eq bulk-3jumps-upload-sha "$(sha "$T/up.bin")" "$(sha "$T/up.src")"
expect_eq bulk-3jumps-download-sha "$(sha "$T/down.bin")" "$(sha "$T/down.src")"
# Not a full proof of concurrency, but an uploader that waited for the
# download to finish (or the reverse) leaves the upload at 0 or complete.
at_end=$(cat "$T/up.at-down-end" 2>/dev/null || echo missing)
echo "# upload progress when the download ended: $at_end of $SIZE bytes"
rm -f "$T/up.bin" "$T/down.bin" "$OUTF"

# ------------------------------------- upload only, download only
X_TIMEOUT=200 run_lab -J alpha,bravo,charlie delta "cat >'$T/up2.bin'" <"$T/up.src"
expect_run upload-3jumps-exit 0 ""
expect_eq upload-3jumps-sha "$(sha "$T/up2.bin")" "$(sha "$T/up.src")"
rm -f "$T/up2.bin"

X_TIMEOUT=200 run_lab -J alpha,bravo,charlie delta "cat '$T/down.src'" </dev/null
expect_run download-3jumps-exit 0
expect_eq download-3jumps-sha "$(sha "$OUTF")" "$(sha "$T/down.src")"
rm -f "$OUTF" "$T/up.src" "$T/down.src"

# ------------------------------------- binary data through cat, 1 jump
# Every byte value, NULs, escape-like sequences (~. after a newline), CR,
# and no trailing newline.
{
	printf '~.\n~?\r\n~~\0\377\n~.'
	for i in $(seq 0 255); do printf "\\x$(printf %02x "$i")"; done
	head -c $((4 * 1024 * 1024 + 17)) /dev/urandom
	printf '\n~.\n\0'
} >"$T/bin.src"
run_lab -J alpha delta cat <"$T/bin.src"
expect_run binary-cat-exit 0
check binary-cat-identical cmp -s "$OUTF" "$T/bin.src"

# The same with stdin a pipe rather than a file.
run_lab -J alpha delta cat < <(cat "$T/bin.src")
expect_run binary-cat-pipe-exit 0
check binary-cat-pipe-identical cmp -s "$OUTF" "$T/bin.src"

# Binary on stderr stays apart from stdout.
run_lab -J alpha delta "cat >&2" <"$T/bin.src"
expect_run binary-stderr-exit 0 ""
check binary-stderr-identical cmp -s "$ERRF" "$T/bin.src"

# Empty input, empty output.
run_lab -J alpha delta cat </dev/null
expect_run empty-cat 0 ""
check empty-cat-no-bytes test ! -s "$OUTF"

# A byte count the remote side sees: stdin EOF arrives after every byte.
run_lab -J alpha,bravo delta 'wc -c' < <(head -c 3000001 /dev/zero)
expect_run stdin-eof-count 0 3000001
