#!/usr/bin/env bash
# Ferry: the hive connector against a real S3-compatible server. Starts moto_server in
# signature-checking mode (tests/suites/hive_s3_moto.py: fixed IAM key, so a restarted server
# accepts the same credentials), uploads an orders data set DuckDB wrote partitioned by
# year/month, starts Ferry on its own etc dir with a hive catalog whose warehouse is on that S3,
# and checks through psql: the external table's answers against DuckDB's over the same files, a
# join with tpch and memory, partition pruning counted in moto's request log, a wrong secret,
# the server killed mid-query and back, CTAS into S3 and DROP of the external table.
# Usage: tests/suites/hive_s3.sh BUILDDIR TMPDIR
# Prints "ok NAME" / "FAIL NAME"; exits 77 (last line says why) when moto_server, boto3 or
# DuckDB is missing. Only ever kills the processes it started.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
TMP=${2:-$(mktemp -d)}
mkdir -p "$TMP"
TMP=$(cd "$TMP" && pwd)
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export PGCONNECT_TIMEOUT=10

SUITE=tests/suites
BUCKET=ferry-hive
AK=AKIAFERRYHIVETEST001
SK=FerryHiveSuiteSecretKey0123456789abcdefg

if ! command -v moto_server >/dev/null 2>&1; then
  echo "hive_s3.sh: moto_server not found (pip install 'moto[server]' in the python3 on PATH): skipped"
  exit 77
fi
if ! python3 -c 'import boto3, moto' >/dev/null 2>&1; then
  echo "hive_s3.sh: python3 has no boto3/moto: skipped"
  exit 77
fi
if ! node tests/tools/duckdb_sql.mjs 'SELECT 1' >/dev/null 2>&1; then
  echo "hive_s3.sh: DuckDB for node (npm @duckdb/node-api) not available: skipped"
  exit 77
fi
if [[ ! -x $BUILD/ferry ]]; then
  echo "FAIL build: $BUILD/ferry missing"
  exit 1
fi

failed=0
report() { # report NAME RC [why]
  if [[ $2 -eq 0 ]]; then echo "ok $1"; else echo "FAIL $1${3:+: $3}"; failed=1; fi
}

MOTO_PID= FERRY_PID= PSQL_PID=
cleanup() {
  [[ -n $PSQL_PID ]] && { exec 7>&- 2>/dev/null; kill "$PSQL_PID" 2>/dev/null; wait "$PSQL_PID" 2>/dev/null; }
  [[ -n $FERRY_PID ]] && { kill -TERM -- "-$FERRY_PID" 2>/dev/null; wait "$FERRY_PID" 2>/dev/null; }
  [[ -n $MOTO_PID ]] && { kill -TERM -- "-$MOTO_PID" 2>/dev/null; wait "$MOTO_PID" 2>/dev/null; }
}
trap cleanup EXIT

MOTO_PORT=$(harness_free_port)
ENDPOINT=http://127.0.0.1:$MOTO_PORT
MOTO_LOG=$TMP/moto.log
S3PY=(python3 "$SUITE/hive_s3_moto.py")

# start_moto [DIR]: moto on MOTO_PORT (appending to one log across restarts), IAM key, bucket,
# then the objects: the orders data set, or a snapshot of the whole bucket in DIR (moto keeps
# its state in memory only). fd 7 (the psql session's input) is not inherited.
start_moto() {
  harness_moto_start "$MOTO_PORT" "$AK" "$SK" "$BUCKET" "$MOTO_LOG" "$TMP/setup.err" 7>&- || return 1
  if [[ -n ${1:-} ]]; then
    "${S3PY[@]}" upload "$ENDPOINT" "$AK" "$SK" "$BUCKET" "$1" "" >/dev/null 2>>"$TMP/setup.err"
  else
    "${S3PY[@]}" upload "$ENDPOINT" "$AK" "$SK" "$BUCKET" "$TMP/orders" orders >/dev/null 2>>"$TMP/setup.err"
  fi
}
kill_moto() {
  kill -KILL -- "-$MOTO_PID" 2>/dev/null
  wait "$MOTO_PID" 2>/dev/null
  MOTO_PID=
}
log_mark() { wc -l <"$MOTO_LOG"; }
# gets_since MARK: the GET request lines on the orders data since MARK.
gets_since() { tail -n +$(($1 + 1)) "$MOTO_LOG" | grep -o "\"GET /$BUCKET/orders/[^ ]*" || true; }
s3_keys() { "${S3PY[@]}" list "$ENDPOINT" "$AK" "$SK" "$BUCKET" "$1"; }

# --- the data: DuckDB writes orders for 2025, partitioned by year and month ------------------
GEN="CREATE TABLE o AS SELECT i AS order_id, (i % 1500) + 1 AS custkey,
  DATE '2025-01-01' + CAST((i * 7) % 365 AS INTEGER) AS order_date,
  CAST(((i * 7919) % 100000) / 100.0 AS DECIMAL(12,2)) AS amount,
  ['O', 'F', 'P'][(i % 3) + 1] AS status, i % 4 AS chunk FROM range(120000) t(i)"
DDB=("$GEN")
# four files per partition (one per chunk), so pruning shows in the number of files
for k in 0 1 2 3; do
  DDB+=("COPY (SELECT * EXCLUDE (chunk), year(order_date)::INTEGER AS year,
    month(order_date)::INTEGER AS month FROM o WHERE chunk = $k ORDER BY order_id)
    TO '$TMP/orders' (FORMAT parquet, PARTITION_BY (year, month), FILENAME_PATTERN 'part{i}_c$k',
    OVERWRITE_OR_IGNORE)")
done
rm -rf "$TMP/orders"
if ! node tests/tools/duckdb_sql.mjs "${DDB[@]}" "SELECT 1" >/dev/null 2>"$TMP/duckdb.err"; then
  report duckdb_writes_orders 1 "$(head -3 "$TMP/duckdb.err")"; exit 1
fi
NFILES=$(find "$TMP/orders" -name '*.parquet' | wc -l)
report duckdb_writes_orders "$([[ $NFILES -eq 48 ]] && echo 0 || echo 1)" "$NFILES files"
SRC="read_parquet('$TMP/orders/*/*/*.parquet', hive_partitioning = true)"
duck() { node tests/tools/duckdb_sql.mjs "$@"; }

if start_moto; then report moto_auth_setup_and_upload 0
else report moto_auth_setup_and_upload 1 "$(tail -3 "$TMP/setup.err")"; exit 1; fi

# --- Ferry on its own etc dir --------------------------------------------------------------
ETC=$TMP/etc
mkdir -p "$ETC/catalog"
cp regress/etc/config.properties "$ETC/"
cp regress/etc/catalog/{tpch,tpch_std,memory}.properties "$ETC/catalog/"
hive_props() { # hive_props SECRET
  cat <<EOF
connector.name=hive
hive.metastore=file
hive.metastore.catalog.dir=s3://$BUCKET/warehouse
fs.native-s3.enabled=true
s3.endpoint=$ENDPOINT
s3.region=us-east-1
s3.path-style-access=true
s3.aws-access-key=$AK
s3.aws-secret-key=$1
s3.max-error-retries=2
s3.socket-connect-timeout=2s
s3.socket-read-timeout=5s
EOF
}
hive_props "$SK" >"$ETC/catalog/hive.properties"
hive_props "${SK%?}X" >"$ETC/catalog/hive_badkey.properties"
FERRY_PORT=$(harness_free_port)
setsid "$BUILD/ferry" --etc-dir "$ETC" -D "pgwire.port=$FERRY_PORT" \
  -D "http-server.http.port=$(harness_free_port)" >"$TMP/ferry.log" 2>&1 &
FERRY_PID=$!
up=1
for ((i = 0; i < 300; i++)); do
  kill -0 "$FERRY_PID" 2>/dev/null || break
  timeout 5 psql -X -q -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch -Atc 'select 1' >/dev/null 2>&1 && { up=0; break; }
  sleep 0.1
done
report ferry_start "$up" "$(tail -3 "$TMP/ferry.log")"
((up == 0)) || exit 1
F=(psql -X -q -At -F '|' -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch)
# same NAME GOT WANT: one check comparing two answers.
same() {
  if [[ -n $2 && $2 == "$3" ]]; then report "$1" 0
  else report "$1" 1; printf '  got:  %s\n  want: %s\n' "${2//$'\n'/ ; }" "${3//$'\n'/ ; }" >&2; fi
}

# --- schema and external table ---------------------------------------------------------------
out=$("${F[@]}" -v ON_ERROR_STOP=1 -c "CREATE SCHEMA hive.default" \
  -c "CREATE TABLE hive.default.orders (order_id bigint, custkey bigint, order_date date,
        amount decimal(12,2), status varchar, year int, month int)
      WITH (external_location = 's3://$BUCKET/orders/', format = 'PARQUET',
            partitioned_by = ARRAY['year', 'month'])" 2>&1)
report create_schema_and_external_table $? "$out"

Q_ALL="SELECT count(*), sum(amount), min(order_date), max(order_date), count(DISTINCT month)"
m0=$(log_mark)
got=$("${F[@]}" -c "$Q_ALL FROM hive.default.orders" 2>&1)
FULL_GETS=$(gets_since "$m0" | wc -l)
want=$(duck "SELECT count(*), sum(amount)::VARCHAR, min(order_date)::VARCHAR, max(order_date)::VARCHAR,
  count(DISTINCT month) FROM $SRC")
same full_scan_matches_duckdb "$got" "$want"
got=$("${F[@]}" -c "SELECT month, status, count(*), sum(amount) FROM hive.default.orders
  GROUP BY 1, 2 ORDER BY 1, 2" 2>&1)
want=$(duck "SELECT month, status, count(*), sum(amount)::VARCHAR FROM $SRC GROUP BY 1, 2 ORDER BY 1, 2")
same group_by_partition_matches_duckdb "$got" "$want"

# --- a join with tpch and memory (DuckDB gets tpch's customers from Ferry as CSV) ---------------
"${F[@]}" -c "SELECT custkey, mktsegment FROM tpch.tiny.customer" | tr '|' ',' >"$TMP/customer.csv"
got=$("${F[@]}" -v ON_ERROR_STOP=1 \
  -c "CREATE TABLE memory.public.status_label (s varchar, label varchar)" \
  -c "INSERT INTO memory.public.status_label VALUES ('O', 'open'), ('F', 'filled')" \
  -c "SELECT c.mktsegment, l.label, count(*), sum(o.amount) FROM hive.default.orders o
        JOIN tpch.tiny.customer c ON c.custkey = o.custkey
        JOIN memory.public.status_label l ON l.s = o.status
      WHERE o.month BETWEEN 3 AND 5 GROUP BY 1, 2 ORDER BY 1, 2" 2>&1)
want=$(duck "SELECT c.mktsegment, l.label, count(*), sum(o.amount)::VARCHAR FROM $SRC o
  JOIN read_csv('$TMP/customer.csv', header = false, columns = {'custkey': 'BIGINT', 'mktsegment': 'VARCHAR'}) c
    ON c.custkey = o.custkey
  JOIN (VALUES ('O', 'open'), ('F', 'filled')) l(s, label) ON l.s = o.status
  WHERE o.month BETWEEN 3 AND 5 GROUP BY 1, 2 ORDER BY 1, 2")
same join_hive_s3_tpch_memory_matches_duckdb "$got" "$want"

# --- partition pruning, counted in moto's request log ------------------------------------------
m0=$(log_mark)
got=$("${F[@]}" -c "SELECT count(*), sum(amount) FROM hive.default.orders
  WHERE order_date >= DATE '2025-09-01' AND month >= 9" 2>&1)
gets_since "$m0" >"$TMP/pruned.gets"
PRUNED_GETS=$(wc -l <"$TMP/pruned.gets")
want=$(duck "SELECT count(*), sum(amount)::VARCHAR FROM $SRC WHERE order_date >= DATE '2025-09-01'")
same pruned_query_matches_duckdb "$got" "$want"
OTHER=$(grep -cvE "/orders/year=2025/month=(9|10|11|12)/" "$TMP/pruned.gets")
PRUNED_FILES=$(sort -u "$TMP/pruned.gets" | wc -l)
echo "GETs on orders/: full scan $FULL_GETS, pruned (month >= 9) $PRUNED_GETS on $PRUNED_FILES files," \
  "of them outside months 9-12: $OTHER"
report pruned_query_touches_only_matching_partitions \
  "$([[ $OTHER -eq 0 && $PRUNED_FILES -eq 16 && $PRUNED_GETS -gt 0 && $((PRUNED_GETS * 2)) -lt $FULL_GETS ]] \
      && echo 0 || echo 1)" "full $FULL_GETS GETs, pruned $PRUNED_GETS on $PRUNED_FILES files, $OTHER elsewhere"
# the date alone is a data column: no partition is pruned, row groups are skipped by statistics
m0=$(log_mark)
got=$("${F[@]}" -c "SELECT count(*), sum(amount) FROM hive.default.orders WHERE order_date >= DATE '2025-09-01'" 2>&1)
DATE_GETS=$(gets_since "$m0" | wc -l)
same date_only_query_matches_duckdb "$got" "$want"
echo "GETs on orders/ for order_date >= 2025-09-01 alone (row groups skipped, no pruning): $DATE_GETS"

# --- a wrong secret key --------------------------------------------------------------------------
out=$("${F[@]}" -v VERBOSITY=verbose -c "SELECT count(*) FROM hive_badkey.default.orders" \
  -c "SELECT count(*) FROM hive.default.orders" 2>&1)
echo "wrong secret: $(grep -m1 ERROR <<<"$out")"
report wrong_secret_is_access_denied_28000 \
  "$(grep -q 'ERROR:  28000: access denied to s3://' <<<"$out" && grep -q SignatureDoesNotMatch <<<"$out" \
     && echo 0 || echo 1)" "$out"
report session_works_after_access_denied "$(grep -qx 120000 <<<"$out" && echo 0 || echo 1)" "$out"

# --- the server killed mid-query, then back: one psql session throughout --------------------------
rm -rf "$TMP/bucket"
"${S3PY[@]}" download "$ENDPOINT" "$AK" "$SK" "$BUCKET" "$TMP/bucket" 2>>"$TMP/setup.err"
mkfifo "$TMP/psql.in"
psql -X -q -At -F '|' -v VERBOSITY=verbose -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch \
  <"$TMP/psql.in" >"$TMP/psql.out" 2>&1 &
PSQL_PID=$!
exec 7>"$TMP/psql.in"
wait_for() { # wait_for TEXT SECONDS: until psql.out has a line TEXT
  local i
  for ((i = 0; i < $2 * 10; i++)); do grep -qx "$1" "$TMP/psql.out" && return 0; sleep 0.1; done
  return 1
}
echo "SELECT 'session', count(*) FROM hive.default.orders WHERE month = 1;" >&7
echo '\echo ready' >&7
wait_for ready 60
# a scan long enough to be caught: the table four times over
LONG="SELECT count(*), sum(amount) FROM (SELECT amount FROM hive.default.orders
  UNION ALL SELECT amount FROM hive.default.orders UNION ALL SELECT amount FROM hive.default.orders
  UNION ALL SELECT amount FROM hive.default.orders) x;"
m0=$(log_mark)
echo "$LONG" >&7
echo '\echo done_long' >&7
for ((i = 0; i < 300; i++)); do (($(gets_since "$m0" | wc -l) >= 5)) && break; sleep 0.05; done
seen=$(gets_since "$m0" | wc -l)
t0=$(date +%s.%N)
kill_moto
if wait_for done_long 120; then
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  err=$(sed -n '/^ready$/,/^done_long$/p' "$TMP/psql.out" | grep -m1 ERROR)
  echo "killed moto after $seen GETs of the long scan; error after $secs s: $err"
  report s3_killed_mid_query_clear_error \
    "$(grep -qE 'ERROR:  080(01|06): .*s3://' <<<"$err" && ((seen >= 5)) && echo 0 || echo 1)" \
    "$(sed -n '/^ready$/,$p' "$TMP/psql.out")"
else
  report s3_killed_mid_query_clear_error 1 "no answer within 120 s (hang)"
fi
if start_moto "$TMP/bucket"; then
  echo "SELECT 'back', count(*), sum(amount) FROM hive.default.orders;" >&7
  echo '\echo done_back' >&7
  wait_for done_back 60
  got=$(grep '^back|' "$TMP/psql.out")
  want=$(duck "SELECT 'back', count(*), sum(amount)::VARCHAR FROM $SRC")
  same same_session_works_after_s3_restart "$got" "$want"
else
  report same_session_works_after_s3_restart 1 "moto restart failed: $(tail -3 "$TMP/setup.err")"
fi
exec 7>&-
wait "$PSQL_PID" 2>/dev/null
PSQL_PID=

# --- CTAS into the S3 warehouse, DROP TABLE of the external table ----------------------------------
Q_TPCH="SELECT count(*), sum(totalprice), min(orderdate), max(orderdate)"
out=$("${F[@]}" -v ON_ERROR_STOP=1 -c "CREATE TABLE hive.default.copy AS
  SELECT orderkey, custkey, orderstatus, totalprice, orderdate FROM tpch.tiny.orders" 2>&1)
report ctas_from_tpch_to_s3 $? "$out"
got=$("${F[@]}" -c "$Q_TPCH FROM hive.default.copy" 2>&1)
want=$("${F[@]}" -c "$Q_TPCH FROM tpch.tiny.orders" 2>&1)
same ctas_reads_back "$got" "$want"
copy_files=$(s3_keys warehouse/default/copy/ | grep -vc '/\.trinoSchema$')
report ctas_data_files_on_s3 "$( ((copy_files > 0)) && echo 0 || echo 1)" "$copy_files files"

out=$("${F[@]}" -v ON_ERROR_STOP=1 -c "DROP TABLE hive.default.orders" -c "DROP TABLE hive.default.copy" 2>&1)
report drop_tables $? "$out"
left=$(s3_keys orders/ | grep -c '\.parquet$')
report drop_external_table_keeps_its_s3_files "$([[ $left -eq 48 ]] && echo 0 || echo 1)" "$left of 48 left"
gone=$(s3_keys warehouse/default/ | grep -c '/copy/')
report drop_managed_table_deletes_its_s3_files "$([[ $gone -eq 0 ]] && echo 0 || echo 1)" "$gone left"
out=$("${F[@]}" -v VERBOSITY=verbose -c "SELECT count(*) FROM hive.default.orders" 2>&1)
report dropped_table_is_gone "$(grep -q 'ERROR:  42P01' <<<"$out" && echo 0 || echo 1)" "$out"
"${F[@]}" -c "DROP TABLE memory.public.status_label" -c "DROP SCHEMA hive.default" >/dev/null 2>&1

exit "$failed"
