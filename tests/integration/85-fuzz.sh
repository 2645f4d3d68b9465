#!/bin/bash
# The libFuzzer targets (tests/fuzz/fuzz-*.c) for the ssh_config reader
# and the -J grammar, each built with ASan and UBSan and run from its
# seed corpus for a bounded time (XSSH_FUZZ_SECONDS, default 20): no
# crash, no leak, no sanitizer report.
. "$(dirname "$0")/../lib.sh"

TOP=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${XSSH_FUZZ_SECONDS:-20}

if ! command -v clang >/dev/null 2>&1; then
	skip fuzz "clang is not installed (contrib/install-deps installs it)"
	exit 0
fi
if ! printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }\n' |
    clang -fsanitize=fuzzer -x c -o "$T/probe" - 2>"$T/probe.err"; then
	skip fuzz "clang has no libFuzzer runtime (libclang-rt-14-dev)"
	exit 0
fi

srcs=()
for f in "$TOP"/src/*.c; do
	[ "$(basename "$f")" = main.c ] || srcs+=("$f")
done
# shellcheck disable=SC2046
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 -D_GNU_SOURCE
    -I"$TOP/src" $(pkg-config --cflags libssh libcrypto))
libs=($(pkg-config --libs libssh libcrypto) -lpthread)

for src in "$TOP"/tests/fuzz/fuzz-*.c; do
	name=$(basename "$src" .c)
	corpus=$TOP/tests/fuzz/corpus-${name#fuzz-}
	if ! clang "${flags[@]}" -o "$T/$name" "$src" "${srcs[@]}" "${libs[@]}" \
	    >"$T/$name.build" 2>&1; then
		fail "$name-builds" "$(tail -5 "$T/$name.build")"
		continue
	fi
	ok "$name-builds"
	# New inputs go to a scratch copy, never into the tree's corpus.
	mkdir -p "$T/$name.corpus"
	cp "$corpus"/* "$T/$name.corpus/" 2>/dev/null
	(cd "$T" && UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    timeout -k 10 $((SECONDS_EACH + 60)) "./$name" \
	    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
	    "$T/$name.corpus" >"$T/$name.log" 2>&1)
	rc=$?
	runs=$(grep -o 'Done [0-9]* runs' "$T/$name.log" | tail -1)
	if [ $rc = 0 ] && [ -n "$runs" ]; then
		ok "$name-runs-clean"
		echo "# $name: $runs in ${SECONDS_EACH}s"
	else
		fail "$name-runs-clean" "exit $rc; $(grep -E 'ERROR|SUMMARY|runtime error' "$T/$name.log" | head -3)"
	fi
done
