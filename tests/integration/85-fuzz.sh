#!/bin/bash
# The libFuzzer targets: every tests/fuzz/fuzz-NAME.c, with its seed
# corpus tests/fuzz/corpus-NAME/ (missing: an empty one), built with
# ASan and UBSan and run for a bounded time; no crash, no leak, no
# sanitizer report, and each prints its runs and executions per second.
# The library (src/*.c but main.c) is compiled once, into an archive
# under $T that every target links against.
#
# Environment:
#   XSSH_FUZZ_SECONDS=N  seconds each target runs (default 3, so that a
#                        dozen targets take about a minute in all)
#   XSSH_FUZZ_ONLY=NAME  only fuzz-NAME (e.g. socks); then also report
#                        the libFuzzer figures in full and the line
#                        coverage the corpus reached, after the run, of
#                        the files named in the target's header comment
#                        on a line " * Covers: src/a.c src/b.c" (else of
#                        src/NAME*.c), with llvm-profdata-14, llvm-cov-14
#   XSSH_FUZZ_KEEP=DIR   copy the corpus as it grew to DIR (to merge new
#                        inputs into the tree's with the fuzzer's -merge=1)
#   XSSH_FUZZ_SKIP=1     skip it all (make check-sanitize sets this: the
#                        fuzzers are sanitized already)
#
# A long run of one target, with its figures:
#   XSSH_FUZZ_ONLY=socks XSSH_FUZZ_SECONDS=600 XSSH_TEST_TIMEOUT=900 \
#       tests/run 85-fuzz
# (or bash tests/integration/85-fuzz.sh with the same variables).
. "$(dirname "$0")/../lib.sh"

TOP=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${XSSH_FUZZ_SECONDS:-3}
ONLY=${XSSH_FUZZ_ONLY:-}

if [ "${XSSH_FUZZ_SKIP:-0}" = 1 ]; then
	skip fuzz "XSSH_FUZZ_SKIP=1 (the fuzzers run sanitized under make check)"
	exit 0
fi
if ! command -v clang >/dev/null 2>&1; then
	skip fuzz "clang is not installed (contrib/install-deps installs it)"
	exit 0
fi
if ! printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }\n' |
    clang -fsanitize=fuzzer -x c -o "$T/probe" - 2>"$T/probe.err"; then
	skip fuzz "clang has no libFuzzer runtime (libclang-rt-14-dev)"
	exit 0
fi

targets=()
for src in "$TOP"/tests/fuzz/fuzz-*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	[ -z "$ONLY" ] || [ "$name" = "fuzz-$ONLY" ] || continue
	targets+=("$src")
done
if [ ${#targets[@]} = 0 ]; then
	fail fuzz-targets "no tests/fuzz/fuzz-${ONLY:-*}.c"
	exit 1
fi

# The libraries ./configure chose (libssh 0.12 static, libcrypto, zlib).
if [ ! -r "$TOP/tests/deps.sh" ]; then
	fail fuzz-deps "no tests/deps.sh: run ./configure first"
	exit 1
fi
. "$TOP/tests/deps.sh"
# shellcheck disable=SC2206
cflags=(-g -O1 -std=gnu11 -D_GNU_SOURCE -I"$TOP/src" $DEP_CFLAGS)
# shellcheck disable=SC2206
libs=($DEP_LIBS)
SAN=address,undefined

# build_lib DIR FLAGS...: the library objects with FLAGS, two compilers
# at a time, into DIR/libxssh.a; the errors in DIR/build.
build_lib() {
	local dir=$1 f n=0 rc=0
	shift
	mkdir -p "$dir"
	: >"$dir/build"
	for f in "$TOP"/src/*.c; do
		[ "$(basename "$f")" = main.c ] && continue
		clang "${cflags[@]}" "$@" -c -o "$dir/$(basename "$f" .c).o" \
		    "$f" >>"$dir/build" 2>&1 &
		n=$((n + 1))
		if [ $n -ge 2 ]; then
			wait -n || rc=1
			n=$((n - 1))
		fi
	done
	while [ $n -gt 0 ]; do
		wait -n || rc=1
		n=$((n - 1))
	done
	[ $rc = 0 ] && ar rcs "$dir/libxssh.a" "$dir"/*.o 2>>"$dir/build"
}

if ! build_lib "$T/lib" -fsanitize=fuzzer-no-link,$SAN; then
	fail fuzz-library-builds "$(grep -m 5 -E 'error|warning' "$T/lib/build")"
	exit 1
fi
ok fuzz-library-builds

for src in "${targets[@]}"; do
	name=$(basename "$src" .c)
	corpus=$TOP/tests/fuzz/corpus-${name#fuzz-}
	if ! clang "${cflags[@]}" -fsanitize=fuzzer,$SAN -o "$T/$name" "$src" \
	    "$T/lib/libxssh.a" "${libs[@]}" >"$T/$name.build" 2>&1; then
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
	    -print_final_stats=1 "$T/$name.corpus" >"$T/$name.log" 2>&1)
	rc=$?
	runs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$T/$name.log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$T/$name.log")
	if [ $rc = 0 ] && [ -n "$runs" ]; then
		ok "$name-runs-clean"
		echo "# $name: ${runs}s, ${rate:-?} exec/s," \
		    "$(find "$T/$name.corpus" -type f | wc -l) inputs in the corpus"
	else
		fail "$name-runs-clean" "exit $rc; $(grep -E 'ERROR|SUMMARY|runtime error|abort' "$T/$name.log" | head -3)"
		sed -n '/ERROR\|runtime error/,+12p' "$T/$name.log" | head -30 |
		    sed 's/^/#   /'
	fi
	if [ -n "${XSSH_FUZZ_KEEP:-}" ]; then
		mkdir -p "$XSSH_FUZZ_KEEP" &&
		    cp "$T/$name.corpus"/* "$XSSH_FUZZ_KEEP/" &&
		    echo "# $name: corpus copied to $XSSH_FUZZ_KEEP"
	fi
	[ -n "$ONLY" ] || continue

	# The figures of a single target: libFuzzer's, then the coverage.
	grep '^stat::' "$T/$name.log" | sed 's/^/# /'
	covers=$(sed -n 's/^ \* Covers: *//p' "$src")
	if [ -z "$covers" ]; then
		covers=$(cd "$TOP" && find src -name "${name#fuzz-}*.c" |
		    sort | tr '\n' ' ')
	fi
	if ! command -v llvm-profdata-14 >/dev/null 2>&1 ||
	    ! command -v llvm-cov-14 >/dev/null 2>&1; then
		skip "$name-coverage" "llvm-profdata-14 and llvm-cov-14 needed"
		continue
	fi
	cov=(-fprofile-instr-generate -fcoverage-mapping)
	if ! build_lib "$T/cov" -fsanitize=fuzzer-no-link "${cov[@]}" ||
	    ! clang "${cflags[@]}" -fsanitize=fuzzer "${cov[@]}" \
	    -o "$T/$name.cov" "$src" "$T/cov/libxssh.a" "${libs[@]}" \
	    >>"$T/cov/build" 2>&1; then
		fail "$name-coverage-builds" "$(grep -m 3 error "$T/cov/build")"
		continue
	fi
	(cd "$T" && LLVM_PROFILE_FILE="$T/$name.profraw" \
	    timeout -k 10 600 "./$name.cov" -runs=0 "$T/$name.corpus" \
	    >"$T/$name.cov.log" 2>&1)
	files=()
	for f in $covers; do files+=("$TOP/$f"); done
	if llvm-profdata-14 merge -sparse "$T/$name.profraw" \
	    -o "$T/$name.profdata" 2>"$T/$name.cov.err" &&
	    llvm-cov-14 report "$T/$name.cov" -instr-profile="$T/$name.profdata" \
	    ${files[@]+"${files[@]}"} >"$T/$name.report" 2>>"$T/$name.cov.err"; then
		ok "$name-coverage"
		echo "# $name: line coverage of ${covers:-everything} over the corpus:"
		awk 'NR > 2 && NF >= 10 {
		    n = split($1, p, "/"); printf "#   %-24s %s of %s lines missed, %s covered\n",
		    p[n], $9, $8, $10 }' "$T/$name.report"
	else
		fail "$name-coverage" "$(head -3 "$T/$name.cov.err")"
	fi
done
