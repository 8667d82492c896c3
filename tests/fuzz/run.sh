#!/bin/sh
# Runs every libFuzzer target in BUILD_DIR for SECONDS each, starting from the
# committed seeds in tests/fuzz/corpus/<target>/. New inputs go to a scratch
# copy, never into the repository. A crash, leak or sanitizer report fails the
# run and leaves the reproducer in BUILD_DIR/fuzz-artifacts/.
set -u
build=${1:?build dir}
seconds=${2:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
art="$build/fuzz-artifacts"
mkdir -p "$art"
pass=0 fail=0
for bin in "$build"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	work="$build/fuzz-corpus/$name"
	rm -rf "$work"
	mkdir -p "$work"
	seeds="$top/tests/fuzz/corpus/$name"
	[ -d "$seeds" ] && cp -R "$seeds"/. "$work"/ 2>/dev/null
	dict="$top/tests/fuzz/$name.dict"
	set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -print_final_stats=0 \
		-artifact_prefix="$art/$name-"
	[ -f "$dict" ] && set -- "$@" -dict="$dict"
	if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$bin" "$@" "$work" \
		>"$build/$name.log" 2>&1; then
		echo "fuzz: $name: ok ($(grep -c . "$build/$name.log") log lines, ${seconds}s)"
		pass=$((pass + 1))
	else
		echo "fuzz: $name: FAILED"; tail -n 40 "$build/$name.log"
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$pass" -gt 0 ] && [ "$fail" -eq 0 ]
