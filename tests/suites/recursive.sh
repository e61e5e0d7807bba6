#!/usr/bin/env bash
# Ferry: a runaway WITH RECURSIVE is stoppable. Starts its own Ferry with a small
# query.max-memory-per-node: a working table that keeps growing fails with 53200, a
# CancelRequest (psql on SIGINT) ends an endless one with 57014, and the session and the
# server go on. Usage: tests/suites/recursive.sh BUILDDIR TMPDIR. Prints "ok NAME" /
# "FAIL NAME" per test.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${1:?usage: tests/suites/recursive.sh BUILDDIR TMPDIR}
TMP=${2:?usage: tests/suites/recursive.sh BUILDDIR TMPDIR}
. scripts/lib.sh
mkdir -p "$TMP"

export ORACLE_PGPORT=${ORACLE_PGPORT:-1}
export FERRY_HIVE_DIR=$TMP/hive
mkdir -p "$FERRY_HIVE_DIR"
PORT=$(harness_free_port)
HTTP=$(harness_free_port)
setsid "$BUILD/ferry" --etc-dir regress/etc -D "pgwire.port=$PORT" -D "http-server.http.port=$HTTP" \
  -D query.max-memory-per-node=16MB >"$TMP/ferry.log" 2>&1 &
FERRY_PID=$!
trap 'harness_ferry_stop' EXIT
q() { timeout 60 "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U admin -d tpch "$@"; }
for ((i = 0; i < 300; i++)); do
  q -Atc 'select 1' >/dev/null 2>&1 && break
  sleep 0.1
done
q -Atc 'select 1' >/dev/null 2>&1 || { tail -20 "$TMP/ferry.log"; echo "FAIL start ferry"; exit 1; }

check() { # NAME FILE PATTERN: the output holds PATTERN
  if grep -q -- "$3" "$2"; then echo "ok $1"; else echo "FAIL $1"; sed 's/^/    /' "$2"; fi
}

# 1. The working table doubles each iteration: the memory limit stops it (53200).
q -v VERBOSITY=verbose >"$TMP/mem.out" 2>&1 <<'SQL'
WITH RECURSIVE r(n, s) AS (SELECT 1, repeat('x', 200)
  UNION ALL SELECT n + 1, s FROM r, (VALUES (1), (2)) v(k) WHERE n < 40)
SELECT count(*) FROM r;
SELECT 'after' || 'memory';
SQL
check recursive_memory_limit "$TMP/mem.out" "ERROR:  53200: Query exceeded per-node memory limit of 16MB"
check recursive_memory_then_query "$TMP/mem.out" "aftermemory"

# 2. UNION keeps every row produced: the set of seen rows is accounted too.
q -v VERBOSITY=verbose -c "WITH RECURSIVE r(n, s) AS (SELECT 1, repeat('y', 300)
  UNION SELECT n + 1, s FROM r) SELECT count(*) FROM r" >"$TMP/seen.out" 2>&1
check recursive_union_memory_limit "$TMP/seen.out" "ERROR:  53200"

# 3. A CancelRequest ends an endless recursion with 57014 within a second or two.
"$PGBIN/psql" -X -h 127.0.0.1 -p "$PORT" -U admin -d tpch -v VERBOSITY=verbose \
  -c 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r' \
  >"$TMP/cancel.out" 2>&1 &
PSQL=$!
sleep 1.5
kill -INT "$PSQL"
t0=$(date +%s%N)
wait "$PSQL"
t1=$(date +%s%N)
check recursive_cancel "$TMP/cancel.out" "ERROR:  57014"
if (((t1 - t0) / 1000000 < 3000)); then echo "ok recursive_cancel_fast"; else
  echo "FAIL recursive_cancel_fast"; echo "    took $(((t1 - t0) / 1000000)) ms"; fi

# 4. The server is still answering, and a bounded recursion still runs.
q -Atc 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 100000) SELECT sum(n) FROM r' \
  >"$TMP/after.out" 2>&1
check recursive_after_cancel "$TMP/after.out" "^5000050000$"
