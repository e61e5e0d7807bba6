#!/usr/bin/env bash
# Ferry: runs cmocka unit binaries and counts test cases from cmocka's summary lines.
# Never stops at the first failing binary; a binary that crashes counts as one failure.
# Prints per-binary lines and a final "unit: N passed, N failed"; writes counts to
# $UNIT_COUNTS (if set) as "passed failed" for scripts/check.sh.
set -uo pipefail
total_p=0; total_f=0
for bin in "$@"; do
  name=$(basename "$bin")
  out=$("$bin" 2>&1); rc=$?
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]\+\) test.*/\1/p' <<<"$out" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]\+\) test.*/\1/p' <<<"$out" | tail -1)
  p=${p:-0}; f=${f:-0}
  # A crash or a non-zero exit without a FAILED line must still count as a failure.
  if ((rc != 0 && f == 0)); then f=1; fi
  if ((f > 0)); then
    echo "$out" | grep -E '^\[  (FAILED|ERROR)|^\[ +FAILED|Assertion|error' | head -20
    echo "FAIL $name: $p passed, $f failed (exit $rc)"
  else
    echo "ok   $name: $p passed"
  fi
  total_p=$((total_p + p)); total_f=$((total_f + f))
done
echo "unit: $total_p passed, $total_f failed"
[[ -n "${UNIT_COUNTS:-}" ]] && echo "$total_p $total_f" >"$UNIT_COUNTS"
((total_f == 0))
