#!/usr/bin/env bash
# Ferry sqllogictest run (make slt): starts Ferry from BUILDDIR on free loopback ports, runs
# tests/slt/run.py over the whole corpus in ../shared/fixtures/slt/test with the gate of
# tests/slt/expected-failures.txt, and stops Ferry. Extra arguments go to run.py (files,
# --outcomes, --write-expected-failures ...). Exit 77 when the corpus is missing.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${1:?usage: tests/slt/run.sh <builddir> [run.py arguments]}
shift
CORPUS=../shared/fixtures/slt/test
[[ -d $CORPUS ]] || { echo "skipped: $CORPUS not found"; exit 77; }
. scripts/lib.sh
LOG=$(mktemp /tmp/ferry-slt.XXXXXX)
FERRY_PID=
trap 'harness_ferry_stop; rm -f "$LOG"' EXIT
trap 'exit 130' INT TERM
harness_ferry_start "$BUILD" "$LOG" || exit 1
/usr/bin/python3 tests/slt/run.py --root "$CORPUS" --port "$FERRY_PORT" \
  --expected-failures tests/slt/expected-failures.txt "$@"
rc=$?
kill -0 "$FERRY_PID" 2>/dev/null || { echo "FAIL ferry died during the run"; tail -20 "$LOG"; rc=1; }
exit $rc
