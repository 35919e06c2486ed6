#!/bin/bash
# `make fuzz`: builds the libFuzzer executable once (.build-fuzz, -sanitize=fuzzer,address; later runs are
# incremental), then runs every fuzz target for FUZZ_SECONDS seconds (default 60) in turn (FUZZ_JOBS at a time).
#   FUZZ_SECONDS=600 make fuzz            longer runs
#   FUZZ_RUNS=1000000 FUZZ_SECONDS=900 make fuzz
#                                         each target stops after a million inputs (libFuzzer's -runs=), or at
#                                         FUZZ_SECONDS if it is slower than that
#   FUZZ_TARGETS="deb822 tar" make fuzz   only some targets (names: DISTILL_FUZZ_TARGET=list .build-fuzz/release/distill-fuzz)
#   FUZZ_CONFIG=debug make fuzz           an unoptimized build: quicker to build, several times fewer executions
#   FUZZ_JOBS=2 make fuzz                 this many targets at once (default 1; each is one process on one core)
#   FUZZ_TIMEOUT=60 make fuzz             the seconds one input may take before it counts as a hang (default 10); libFuzzer
#                                         times an input by the wall clock, so on a machine busy with other work (or at a
#                                         low priority) a longer limit keeps a starved process from reading as a hang
# Each target starts from its seeds (written from ../shared/testdata at run time), the inputs that once crashed
# it (fuzz/regressions/<target>/) and the corpus it grew before (.build-fuzz/work/corpus/<target>, kept between runs).
# A crash, a trap, a broken property, running out of memory (2 GB) or a hang (FUZZ_TIMEOUT) saves the input under
# .build-fuzz/work/crashes/ and makes `make fuzz` exit 1. The table of executions goes to .build-fuzz/work/summary.md.
set -eu
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
runs_limit=${FUZZ_RUNS:--1}
work=.build-fuzz/work
config=${FUZZ_CONFIG:-release}
jobs=${FUZZ_JOBS:-1}
timeout=${FUZZ_TIMEOUT:-10}
bin=.build-fuzz/$config/distill-fuzz
testdata=${DISTILL_SHARED_TESTDATA:-$(cd .. && pwd)/shared/testdata}

mkdir -p "$work"
if ! DISTILL_FUZZ=1 ${SWIFT:-swift} build -c "$config" --scratch-path .build-fuzz --product distill-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library > "$work/build.log" 2>&1; then
    grep -v "Cannot export local symbol" "$work/build.log" | tail -20
    echo "error: the fuzz build failed (log: $work/build.log)" >&2
    exit 2
fi
grep -v "Cannot export local symbol" "$work/build.log" | tail -1

# Swift's runtime keeps some allocations to the end (metadata, caches): leak reports would be noise.
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=0
# ASan reports a crash itself; the Swift backtracer would race it for the stack.
export SWIFT_BACKTRACE=enable=no
targets=${FUZZ_TARGETS:-$(DISTILL_FUZZ_TARGET=list "$bin" | cut -f1)}
mkdir -p "$work/crashes"
summary="$work/summary.md"
{
    echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $jobs target(s) at a time, load average at start $(cut -d' ' -f1-3 /proc/loadavg);"
    echo "FUZZ_CONFIG=$config, FUZZ_SECONDS=$seconds, FUZZ_RUNS=$runs_limit (-1: no limit), FUZZ_TIMEOUT=$timeout."
    echo
    echo "| target | executions | seconds | exec/s | corpus | load after | result |"
    echo "|---|---:|---:|---:|---:|---:|---|"
} > "$summary"
rows="$work/rows"
rm -rf "$rows"
mkdir -p "$rows"

# One target: seeds, the libFuzzer run, and its table row in $rows/<target> (exit 1 when it found something).
fuzz_one() {
    target=$1
    seeds="$work/seeds/$target"
    corpus="$work/corpus/$target"
    rm -rf "$seeds"
    mkdir -p "$corpus" "fuzz/regressions/$target"
    DISTILL_SHARED_TESTDATA="$testdata" DISTILL_FUZZ_TARGET="$target" DISTILL_FUZZ_WRITE_SEEDS="$seeds" "$bin" >/dev/null
    log="$work/$target.log"
    start=$(date +%s)
    if DISTILL_FUZZ_TARGET="$target" "$bin" -max_total_time="$seconds" -runs="$runs_limit" -timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/crashes/$target-" "$corpus" "$seeds" "fuzz/regressions/$target" > "$log" 2>&1; then
        result=ok
    else
        result="FOUND: $(ls -t "$work/crashes/$target-"* 2>/dev/null | head -1)"
    fi
    elapsed=$(( $(date +%s) - start ))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ -z "$runs" ]; then runs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#'); fi
    runs=${runs:-0}
    rate=$(( runs / (elapsed > 0 ? elapsed : 1) ))
    size=$(ls "$corpus" | wc -l)
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "| $target | $runs | $elapsed | $rate | $size | $load | $result |" > "$rows/$target"
    echo "fuzz $target: $runs runs in ${elapsed}s ($rate/s), corpus $size: $result"
    [ "$result" = ok ]
}

running=0
for target in $targets; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
    fuzz_one "$target" &
    running=$((running + 1))
done
wait
failed=0
for target in $targets; do
    if [ -f "$rows/$target" ]; then cat "$rows/$target" >> "$summary"; else echo "| $target | 0 | 0 | 0 | 0 | – | did not run |" >> "$summary"; fi
    grep -q '| ok |$' "$rows/$target" 2>/dev/null || failed=1
done
echo
cat "$summary"
exit $failed
