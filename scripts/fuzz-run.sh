#!/usr/bin/env bash
# Ferry: run the libFuzzer targets built by `make fuzz` for a bounded time each.
# Usage: scripts/fuzz-run.sh BUILDDIR SECONDS [fuzz_target...]   (default: every BUILDDIR/fuzz_*)
# Prints "ok NAME (N execs)" (and the rate on the next line) or "FAIL NAME" with the crash input and the first 30 lines
# of the report, per target; exits 1 when any target had a finding. Never deletes a crash.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BUILD=${1:?usage: scripts/fuzz-run.sh BUILDDIR SECONDS [target...]}
SECS=${2:?usage: scripts/fuzz-run.sh BUILDDIR SECONDS [target...]}
shift 2
targets=("$@")
if ((${#targets[@]} == 0)); then
  for b in "$BUILD"/fuzz_*; do [[ -x $b && $b != *.d ]] && targets+=("$(basename "$b")"); done
fi
((${#targets[@]})) || { echo "no fuzz targets in $BUILD (run make fuzz)"; exit 1; }
# parquet-testing files are a good extra corpus for the footer target when the fixtures exist.
PQ_TESTING=${FERRY_PARQUET_TESTING:-../shared/fixtures/parquet-testing}/data
mkdir -p "$BUILD/crashes" "$BUILD/logs"
# UBSan reports with a stack, like ASan's.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
failed=0
for t in "${targets[@]}"; do
  bin=$BUILD/$t
  if [[ ! -x $bin ]]; then echo "FAIL $t"; echo "    $bin not built"; failed=1; continue; fi
  # FUZZ_CORPUS_ROOT: where new inputs go (CI uses a fresh one); FUZZ_SEED: a fixed seed makes
  # a run replay the same input sequence, so a CI verdict can be reproduced here.
  corpus=${FUZZ_CORPUS_ROOT:-$BUILD/corpus}/$t
  mkdir -p "$corpus"
  dirs=("$corpus" "$BUILD/seeds/$t")
  opts=(-max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
        -artifact_prefix="$BUILD/crashes/$t-")
  [[ -n ${FUZZ_SEED:-} ]] && opts+=(-seed="$FUZZ_SEED")
  case $t in
    fuzz_parquet_footer) [[ -d $PQ_TESTING ]] && dirs+=("$PQ_TESTING"); opts+=(-max_len=262144) ;;
    fuzz_parquet_pages) opts+=(-max_len=65536) ;;
  esac
  [[ -f fuzz/$t.dict ]] && opts+=(-dict="fuzz/$t.dict")
  log=$BUILD/logs/$t.log
  "$bin" "${opts[@]}" "${dirs[@]}" >"$log" 2>&1
  rc=$?
  execs=$(sed -n -E 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)
  rate=$(sed -n -E 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log" | tail -1)
  crash=$(sed -n -E 's/.*Test unit written to (.*)$/\1/p' "$log" | tail -1)
  if ((rc == 0)) && [[ -z $crash ]]; then
    echo "ok $t (${execs:-0} execs)"
    echo "    ${rate:-0} execs/s over ${SECS}s; corpus $corpus"
  else
    failed=1
    echo "FAIL $t"
    echo "    exit $rc; crash input: ${crash:-none}; log: $log"
    echo "    reproduce: $bin ${crash:-<input>}"
    start=$(grep -a -n -m1 -E '==[0-9]+==ERROR|runtime error|deadly signal|ALARM|out-of-memory|SUMMARY' "$log" | cut -d: -f1)
    tail -n +"${start:-1}" "$log" | head -30 | cut -c1-300 | sed "s/^/    /"
  fi
done
exit $failed
