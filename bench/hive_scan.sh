#!/usr/bin/env bash
# Hive scan figures: TPC-H sf1 lineitem as one zstd Parquet file, scanned by Ferry's hive
# connector from the local disk and from moto S3 (signature-checking mode), and by DuckDB's
# read_parquet from the local disk (and from S3 when DuckDB has httpfs).
#   bench/hive_scan.sh [BUILDDIR] [RUNS]
# Ferry generates lineitem (tpch_std.sf1) into a local hive catalog; DuckDB rewrites those files
# as one zstd file, which both engines then read. Query: count(*), sum(l_extendedprice),
# avg(l_quantity). Prints the median wall time of RUNS runs (psql / node round trip included).
# Not part of make check: it takes minutes. Only kills the processes it started.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
RUNS=${2:-3}
. scripts/lib.sh
TMP=$(mktemp -d /tmp/ferry-hivebench.XXXXXX)
AK=AKIAFERRYHIVEBENCH01
SK=FerryHiveBenchSecretKey0123456789abcdefg
BUCKET=ferry-bench
S3PY=(python3 tests/suites/hive_s3_moto.py)
MOTO_PID= FERRY_PID=
stop() {
  [[ -n $FERRY_PID ]] && { kill -TERM -- "-$FERRY_PID" 2>/dev/null || true; wait "$FERRY_PID" 2>/dev/null || true; }
  harness_moto_stop
  rm -rf "$TMP"
}
trap stop EXIT

MOTO_PORT=$(harness_free_port)
ENDPOINT=http://127.0.0.1:$MOTO_PORT
harness_moto_start "$MOTO_PORT" "$AK" "$SK" "$BUCKET" "$TMP/moto.log" /dev/stderr

mkdir -p "$TMP/etc/catalog" "$TMP/wh" "$TMP/one"
cp regress/etc/config.properties "$TMP/etc/"
cp regress/etc/catalog/{tpch,tpch_std}.properties "$TMP/etc/catalog/"
printf 'connector.name=hive\nhive.metastore.catalog.dir=%s\n' "$TMP/wh" >"$TMP/etc/catalog/hive.properties"
cat >"$TMP/etc/catalog/hive_s3.properties" <<EOF
connector.name=hive
hive.metastore.catalog.dir=s3://$BUCKET/warehouse
fs.native-s3.enabled=true
s3.endpoint=$ENDPOINT
s3.path-style-access=true
s3.aws-access-key=$AK
s3.aws-secret-key=$SK
EOF
FERRY_PORT=$(harness_free_port)
setsid "$BUILD/ferry" --etc-dir "$TMP/etc" -D "pgwire.port=$FERRY_PORT" \
  -D "http-server.http.port=$(harness_free_port)" -D query.max-memory-per-node=4GB >"$TMP/ferry.log" 2>&1 &
FERRY_PID=$!
F=(psql -X -q -At -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch -v ON_ERROR_STOP=1)
for ((i = 0; i < 300; i++)); do "${F[@]}" -c 'select 1' >/dev/null 2>&1 && break; sleep 0.1; done

secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}'; }
t0=$(date +%s.%N)
"${F[@]}" -c "CREATE SCHEMA hive.gen" -c "CREATE TABLE hive.gen.lineitem AS SELECT * FROM tpch_std.sf1.lineitem"
echo "Ferry CTAS tpch_std.sf1.lineitem -> local hive: $(secs "$t0") s"
t0=$(date +%s.%N)
node tests/tools/duckdb_sql.mjs "COPY (SELECT * FROM read_parquet('$TMP/wh/gen/lineitem/[0-9]*')) TO
  '$TMP/one/lineitem.parquet' (FORMAT parquet, COMPRESSION zstd)" "SELECT 1" >/dev/null
echo "DuckDB rewrite as one zstd file: $(secs "$t0") s, $(stat -c %s "$TMP/one/lineitem.parquet") bytes," \
  "$(node tests/tools/duckdb_sql.mjs "SELECT count(*) FROM parquet_metadata('$TMP/one/lineitem.parquet')
     GROUP BY ALL" | head -1) column chunks"
t0=$(date +%s.%N)
"${S3PY[@]}" upload "$ENDPOINT" "$AK" "$SK" "$BUCKET" "$TMP/one" lineitem >/dev/null
echo "upload to moto: $(secs "$t0") s"

COLS=$(node tests/tools/duckdb_sql.mjs "SELECT string_agg(column_name || ' ' || column_type, ', ')
  FROM (DESCRIBE SELECT * FROM read_parquet('$TMP/one/lineitem.parquet'))")
"${F[@]}" -c "CREATE SCHEMA hive.b" -c "CREATE SCHEMA hive_s3.b" \
  -c "CREATE TABLE hive.b.lineitem ($COLS) WITH (external_location = '$TMP/one', format = 'PARQUET')" \
  -c "CREATE TABLE hive_s3.b.lineitem ($COLS) WITH (external_location = 's3://$BUCKET/lineitem/', format = 'PARQUET')"

Q="SELECT count(*), sum(l_extendedprice), avg(l_quantity)"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { local t0; t0=$(date +%s.%N); "$@" >/dev/null; secs "$t0"; echo; }
DQ="$Q FROM read_parquet('$TMP/one/lineitem.parquet')"
echo "answers: ferry local $("${F[@]}" -c "$Q FROM hive.b.lineitem" | tr '\n' ' ')" \
  "| ferry s3 $("${F[@]}" -c "$Q FROM hive_s3.b.lineitem" | tr '\n' ' ')" \
  "| duckdb local $(node tests/tools/duckdb_sql.mjs "$DQ")"
fl=$(for _ in $(seq "$RUNS"); do timeit "${F[@]}" -c "$Q FROM hive.b.lineitem"; done | median)
fs=$(for _ in $(seq "$RUNS"); do timeit "${F[@]}" -c "$Q FROM hive_s3.b.lineitem"; done | median)
# DuckDB: node start-up measured apart and subtracted
dn=$(for _ in $(seq "$RUNS"); do timeit node tests/tools/duckdb_sql.mjs "SELECT 1"; done | median)
dl=$(for _ in $(seq "$RUNS"); do timeit node tests/tools/duckdb_sql.mjs "$DQ"; done | median)
gets=$(grep -c '"GET /ferry-bench/lineitem/' "$TMP/moto.log" || true)
printf '%-40s %8s\n' measure seconds
printf '%-40s %8s\n' "ferry, local file" "$fl" "ferry, moto S3" "$fs" \
  "duckdb, local file (node start-up off)" "$(awk -v a="$dl" -v b="$dn" 'BEGIN{printf "%.2f", a-b}')"
if node tests/tools/duckdb_sql.mjs "LOAD httpfs" >/dev/null 2>&1; then
  echo "duckdb httpfs present: S3 figure not measured by this script yet"
else
  echo "duckdb, moto S3: not measured (the httpfs extension is not installed and cannot be downloaded offline)"
fi
echo "GETs moto served on lineitem/ during all Ferry S3 runs: $gets"
