#!/usr/bin/env bash
# Ferry: the libFuzzer targets (fuzz/README.md), built with `make fuzz` into build-fuzz/ and run
# 15 seconds each (FUZZ_SECONDS overrides). Usage: tests/suites/fuzz.sh BUILDDIR TMPDIR.
# Prints "ok fuzz_x (N execs)" or "FAIL fuzz_x" with the crash input and the report's first
# 30 lines; exit 77 (last line says why) without clang and libFuzzer. BUILDDIR is unused:
# the fuzz build is always build-fuzz/, instrumented as libFuzzer needs.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
: "${1:?usage: tests/suites/fuzz.sh BUILDDIR TMPDIR}"
TMP=${2:?usage: tests/suites/fuzz.sh BUILDDIR TMPDIR}
mkdir -p "$TMP"

if ! command -v clang >/dev/null; then
  echo "clang not found (scripts/deps.sh --test installs it)"
  exit 77
fi
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }' >"$TMP/probe.c"
if ! clang -fsanitize=fuzzer,address,undefined -o "$TMP/probe" "$TMP/probe.c" >"$TMP/probe.log" 2>&1; then
  cat "$TMP/probe.log"
  echo "clang cannot link libFuzzer (package libclang-rt-14-dev missing?)"
  exit 77
fi

if ! make --no-print-directory -j"$(nproc)" fuzz >"$TMP/build.log" 2>&1; then
  tail -30 "$TMP/build.log"
  echo "FAIL build fuzz targets"
  exit 1
fi
# A fixed seed and a fresh corpus: the same inputs in the same order on every machine, so a
# finding here is reproducible with the same command (fuzz/README.md).
FUZZ_SEED=${FUZZ_SEED:-1} FUZZ_CORPUS_ROOT="$TMP/corpus" scripts/fuzz-run.sh build-fuzz "${FUZZ_SECONDS:-15}"
