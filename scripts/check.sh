#!/usr/bin/env bash
# Ferry: the whole test suite in order (unit, regress, oracle, clients) against BUILDDIR.
# Starts its own PostgreSQL 15 and Ferry on free loopback ports and always stops them;
# never reuses a running server. Ends with exactly one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
BUILD=${1:?usage: scripts/check.sh <builddir>}
. scripts/lib.sh
export PGCONNECT_TIMEOUT=10

TMP=$(mktemp -d /tmp/ferry-check.XXXXXX)
chmod 755 "$TMP"
PASSED=0; FAILED=0
FERRY_PID=; PG_DIR=

cleanup() {
  harness_ferry_stop
  harness_pg_stop
  [[ -n "${KEEP_TMP:-}" ]] || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# record NAME OK|FAIL: one counted test outcome.
record() {
  if [[ $2 == ok ]]; then PASSED=$((PASSED + 1)); echo "ok   $1"
  else FAILED=$((FAILED + 1)); echo "FAIL $1"; fi
}

# --- unit tests -----------------------------------------------------------------------
echo "== unit"
shopt -s nullglob
units=()
for u in "$BUILD"/tests/test_*; do [[ -x $u && $u != *.* ]] && units+=("$u"); done
UNIT_COUNTS=$TMP/unit.counts scripts/run-unit.sh "${units[@]}"
if [[ -s $TMP/unit.counts ]]; then
  read -r up uf <"$TMP/unit.counts"; PASSED=$((PASSED + up)); FAILED=$((FAILED + uf))
fi

# --- suites: self-contained integration suites (each starts what it needs) ---------------
# tests/suites/NAME.sh BUILDDIR TMPDIR prints "ok NAME" / "FAIL NAME" lines; exit 77 = skipped
# (its last line says why).
if compgen -G "tests/suites/*.sh" >/dev/null; then
  echo "== suites"
  for t in tests/suites/*.sh; do
    name=$(basename "$t" .sh); mkdir -p "$TMP/suite-$name"
    timeout 900 bash "$t" "$BUILD" "$TMP/suite-$name" >"$TMP/suite-$name.log" 2>&1; rc=$?
    if ((rc == 77)); then echo "skip suites/$name: $(tail -1 "$TMP/suite-$name.log")"; continue; fi
    n=0
    while read -r v tn; do record "$name/$tn" "$([[ $v == ok ]] && echo ok || echo fail)"; n=$((n + 1))
    done < <(sed -n -E 's/^(ok|FAIL) +(.*)$/\1 \2/p' "$TMP/suite-$name.log")
    if ((n == 0 || rc != 0)) && ! grep -q '^FAIL ' "$TMP/suite-$name.log"; then
      record "suites/$name (exit $rc)" fail
    fi
    ((rc != 0)) && tail -30 "$TMP/suite-$name.log" | sed 's/^/    /'
  done
fi

# --- servers --------------------------------------------------------------------------
echo "== servers"
if harness_pg_start "$TMP/pg"; then
  echo "postgresql 15 on port $PG_PORT"
  export ORACLE_PGHOST=$TMP/pg ORACLE_PGPORT=$PG_PORT
else
  record "postgresql start" fail
fi

ferry_up=0
if [[ ! -x $BUILD/ferry ]]; then
  record "ferry binary $BUILD/ferry" fail
elif harness_ferry_start "$BUILD" "$TMP/ferry.log"; then
  ferry_up=1; echo "ferry on port $FERRY_PORT"
else
  record "ferry start" fail
fi
export FERRY_PORT

# --- regress (pg_regress, psql-driven) ------------------------------------------------
if ((ferry_up)); then
  echo "== regress"
  mkdir -p "$TMP/regress"
  # pg_regress stops the whole run when an expected file is missing; such a test counts
  # as one failure here (generate it with regress/gen-expected.sh) and the rest still run.
  : >"$TMP/schedule"
  for t in $(sed -n 's/^test: *//p' regress/schedule); do
    if [[ -f regress/expected/$t.out ]]; then echo "test: $t" >>"$TMP/schedule"
    else record "regress/$t (no regress/expected/$t.out)" fail; fi
  done
  # --use-existing: Ferry cannot CREATE/DROP DATABASE; the catalog "tpch" is the database.
  \
  # timeout: a hung query must fail the run, not stall CI until its own limit.
  timeout 900 "$PGBIN/../lib/pgxs/src/test/regress/pg_regress" \
    --use-existing --dbname=tpch --user=admin --host=127.0.0.1 --port="$FERRY_PORT" \
    --bindir=/usr/lib/postgresql/15/bin --inputdir=regress --outputdir="$TMP/regress" \
    --schedule="$TMP/schedule" >"$TMP/regress.log" 2>&1
  # pg_regress 15 prints one line per test: "test NAME ... ok|FAILED" (or indented in groups).
  while read -r name verdict; do
    record "regress/$name" "$([[ $verdict == ok ]] && echo ok || echo fail)"
  done < <(sed -n -E 's/^(test +| +)([A-Za-z0-9_]+) +\.\.\. +(ok|FAILED|failed).*/\2 \3/p' "$TMP/regress.log")
  if [[ -s $TMP/schedule ]] && ! grep -qE '\.\.\. +(ok|FAILED|failed)' "$TMP/regress.log"; then
    cat "$TMP/regress.log"; record "regress (pg_regress did not run)" fail
  fi
  if [[ "${CI:-}" == true && -s $TMP/regress/regression.diffs ]]; then
    cat "$TMP/regress/regression.diffs"
  elif [[ -s $TMP/regress/regression.diffs ]]; then
    mkdir -p "$BUILD"; cp "$TMP/regress/regression.diffs" "$BUILD/regression.diffs"
    echo "regress diffs: $BUILD/regression.diffs"
  fi
fi

# --- oracle: Ferry vs real PostgreSQL on the same tpch.tiny data -----------------------
if ((ferry_up)) && [[ -n ${PG_DIR:-} ]]; then
  echo "== oracle"
  timeout 900 tests/oracle/run.sh "$TMP/oracle" >"$TMP/oracle.log" 2>&1
  while read -r v n; do record "oracle/$n" "$([[ $v == ok ]] && echo ok || echo fail)"
  done < <(sed -n -E 's/^(ok|FAIL) +(.*)$/\1 \2/p' "$TMP/oracle.log")
  grep -qE '^(ok|FAIL) ' "$TMP/oracle.log" || { tail -20 "$TMP/oracle.log"; record "oracle (did not run)" fail; }
  # Writes in the memory catalog against the same statements in PostgreSQL.
  timeout 300 tests/oracle/writes.sh "$TMP/writes-oracle" >"$TMP/writes-oracle.log" 2>&1
  while read -r v n; do record "oracle/$n" "$([[ $v == ok ]] && echo ok || echo fail)"
  done < <(sed -n -E 's/^(ok|FAIL) +(.*)$/\1 \2/p' "$TMP/writes-oracle.log")
  grep -E '^ +' "$TMP/writes-oracle.log" | head -40
  grep -qE '^(ok|FAIL) ' "$TMP/writes-oracle.log" || { tail -20 "$TMP/writes-oracle.log"; record "oracle/writes (did not run)" fail; }
  # The 22 TPC-H queries against PostgreSQL (needs the shared fixtures; exit 77 = skipped).
  timeout 1200 tests/oracle/tpch.sh "$TMP/tpch-oracle" >"$TMP/tpch-oracle.log" 2>&1; rc=$?
  if ((rc == 77)); then echo "skip oracle/tpch: $(tail -1 "$TMP/tpch-oracle.log")"
  else
    while read -r v n; do record "oracle/$n" "$([[ $v == ok ]] && echo ok || echo fail)"
    done < <(sed -n -E 's/^(ok|FAIL) +(.*)$/\1 \2/p' "$TMP/tpch-oracle.log")
    grep -E '^ +|^xfail ' "$TMP/tpch-oracle.log" | head -60
    grep -qE '^(ok|FAIL|xfail) ' "$TMP/tpch-oracle.log" || { tail -20 "$TMP/tpch-oracle.log"; record "oracle/tpch (did not run)" fail; }
  fi
fi

# --- slt: the sqllogictest corpus in Ferry's memory catalog (tests/slt/README.md) ---------
# One test per script (no failing record missing from tests/slt/expected-failures.txt)
# plus the gate; records on the list that now pass are printed, to be removed from it.
if ((ferry_up)); then
  echo "== slt"
  if [[ ! -d ../shared/fixtures/slt/test ]]; then
    echo "skip slt: ../shared/fixtures/slt/test not found"
  else
    timeout 900 /usr/bin/python3 tests/slt/run.py --root ../shared/fixtures/slt/test --port "$FERRY_PORT" \
      --expected-failures tests/slt/expected-failures.txt >"$TMP/slt.log" 2>&1
    while read -r v n; do record "$n" "$([[ $v == ok ]] && echo ok || echo fail)"
    done < <(sed -n -E 's/^(ok|FAIL) +(slt\/[^ ]*)$/\1 \2/p' "$TMP/slt.log")
    grep -E '^(summary |gate:)' "$TMP/slt.log"
    grep -vE '^(ok |summary |gate:)' "$TMP/slt.log" | head -80 | sed 's/^/    /'
    grep -qE '^(ok|FAIL) slt/gate$' "$TMP/slt.log" || { tail -20 "$TMP/slt.log"; record "slt (did not run)" fail; }
    kill -0 "$FERRY_PID" 2>/dev/null || { record "ferry alive after slt" fail; tail -20 "$TMP/ferry.log"; ferry_up=0; }
  fi
fi

# --- clients --------------------------------------------------------------------------
if ((ferry_up)); then
  echo "== clients"
  for t in tests/clients/test_*.sh; do
    name=$(basename "$t" .sh)
    timeout 300 bash "$t" "$TMP/clients" >"$TMP/$name.log" 2>&1; rc=$?
    if ((rc == 77)); then echo "skip $name: $(tail -1 "$TMP/$name.log")"; continue; fi
    if ((rc == 0)); then record "clients/$name" ok
    else record "clients/$name" fail; sed 's/^/    /' "$TMP/$name.log" | tail -15; fi
    # A client test may crash the server; later tests would all fail for that one reason.
    if ! kill -0 "$FERRY_PID" 2>/dev/null; then
      record "ferry alive after clients/$name" fail; tail -20 "$TMP/ferry.log"; break
    fi
  done
fi

# Suites that read ../shared/fixtures (TPC-H texts, parquet-testing) say when they skipped.
[[ -d ../shared/fixtures ]] || echo "skipped: ../shared/fixtures not found: fixture-based tests did not run"

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
