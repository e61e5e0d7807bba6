#!/usr/bin/env bash
# Ferry benchmarks (bench/README.md): TPC-H, federation and protocol figures for Ferry next to
# PostgreSQL 15 and DuckDB on the same data and the same machine, reported as ratios.
#   bench/run.sh [BUILDDIR]       (make bench SF=1 RUNS=3)
# Environment: SF (1), RUNS (3), TIMEOUT (per query, 60 s), PGBENCH_SECONDS (3),
# BENCH_DATA (bench/data), BENCH_OUT (bench/results/<date>-sf<SF>, no extension), BENCH_DOCS
# (1: rewrite docs/BENCHMARKS.md from the results; 0: leave it). Starts its
# own PostgreSQL and Ferry on free ports and stops only those. Not part of make check: at SF=1
# it takes tens of minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
export SF=${SF:-1} RUNS=${RUNS:-3} TIMEOUT=${TIMEOUT:-60} PGBENCH_SECONDS=${PGBENCH_SECONDS:-3}
. scripts/lib.sh

# Ferry's tpch connector has fixed schemas: SF=0.01 is `tiny`, SF=N is `sfN`.
case $SF in
  0.01|tiny) SCHEMA=tiny ;;
  1|10|100|300|1000) SCHEMA=sf$SF ;;
  *) echo "bench: SF=$SF has no tpch schema (use 0.01, 1, 10, 100, 300 or 1000)" >&2; exit 2 ;;
esac
export SCHEMA
DATA=${BENCH_DATA:-bench/data}/sf$SF
DATA=$(mkdir -p "$DATA" && cd "$DATA" && pwd)
export DATA
TABLES=(region nation supplier customer part partsupp orders lineitem)

# --- what the bench needs (Debian packages; make check never depends on these) ------------
need=()
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
[[ -f /usr/share/postgresql/15/extension/postgres_fdw.control ]] || need+=(postgresql-contrib)
command -v pgbench >/dev/null || need+=(postgresql-client)
/usr/bin/python3 -c 'import psycopg2' 2>/dev/null || need+=(python3-psycopg2)
if ((${#need[@]})); then
  echo "bench: installing ${need[*]}"
  apt-get install -y -q "${need[@]}" >/dev/null
fi
[[ -x $BUILD/ferry ]] || { echo "bench: $BUILD/ferry missing (make)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/ferry-bench.XXXXXX); chmod 755 "$TMP"
FERRY_PID=; PG_DIR=; MOTO_PID=
trap 'harness_ferry_stop; harness_pg_stop; harness_moto_stop; rm -rf "$TMP"' EXIT
# columns_of TABLE: "name type, ..." from the table's DESCRIBE, so every engine gets Ferry's types.
columns_of() { awk -F'|' '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }' "$DATA/csv/$1.desc"; }
secs_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

# --- PostgreSQL, tuned for an analytic load on this machine ------------------------------
harness_pg_start "$TMP/pg"
P=(psql -X -q -v ON_ERROR_STOP=1 -h "$TMP/pg" -p "$PG_PORT" -U postgres)
# shared_buffers holds the SF1 database and its indexes; work_mem lets the TPC-H sorts and
# hashes stay in memory; parallel query may use both cores, as Ferry and DuckDB do; JIT off
# because at these sizes its compile time costs more than it saves.
"${P[@]}" -d postgres -c "ALTER SYSTEM SET shared_buffers = '2GB'" \
  -c "ALTER SYSTEM SET work_mem = '256MB'" -c "ALTER SYSTEM SET maintenance_work_mem = '1GB'" \
  -c "ALTER SYSTEM SET effective_cache_size = '8GB'" -c "ALTER SYSTEM SET max_parallel_workers_per_gather = 2" \
  -c "ALTER SYSTEM SET jit = off" -c "ALTER SYSTEM SET max_connections = 200" \
  -c "ALTER SYSTEM SET random_page_cost = 1.1" >/dev/null
as=(); [[ $(id -u) -eq 0 ]] && as=(runuser -u postgres --)
"${as[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg/data" -w -t 60 restart -l "$TMP/pg/pg.log" >/dev/null
export PG_PORT PG_HOST=$TMP/pg

# --- Ferry: its own configuration with a catalog per source ------------------------------
ETC=$TMP/etc; mkdir -p "$ETC/catalog"
# query.max-memory-per-node as conf/config.properties ships it (2GB), the limit the TPC-H
# figures are quoted at; FERRY_MAX_MEMORY changes it.
sed -e "s/^query.max-memory-per-node=.*/query.max-memory-per-node=${FERRY_MAX_MEMORY:-2GB}/" \
    -e 's/^node.id=.*/node.id=ferry-bench/' regress/etc/config.properties >"$ETC/config.properties"
printf 'connector.name=tpch\ntpch.column-naming=STANDARD\n' >"$ETC/catalog/tpch_std.properties"
# pg and pg2 are the bench's two PostgreSQL databases; their pools are sized above pgbench's 32
# clients (default 10) so that no session waits for a connection, and their metadata is cached
# (metadata.cache-ttl, off by default): nothing changes the remote tables while the bench runs.
for c in pg:tpch pg2:tpch2; do
  printf 'connector.name=postgresql\nconnection-url=jdbc:postgresql://127.0.0.1:%s/%s\nconnection-user=postgres\n%s\n' \
    "$PG_PORT" "${c#*:}" $'connection-pool.max-size=40\nmetadata.cache-ttl=60s' >"$ETC/catalog/${c%%:*}.properties"
done
# The hive connector (connectors/hive, when this build has it) reads the Parquet folders as
# external tables of a file metastore that lives only as long as this run.
HIVE=no
if [[ -f connectors/hive/hive.h ]]; then
  printf 'connector.name=hive\nhive.metastore=file\nhive.metastore.catalog.dir=%s\n' "$TMP/hive" \
    >"$ETC/catalog/hive.properties"
  mkdir -p "$TMP/hive"; HIVE=yes
fi
# The same Parquet files on S3: moto_server in signature-checking mode (scripts/lib.sh), bucket
# ferry-bench, the hive_s3 catalog's file metastore in the bucket too. S3 says why when not.
S3=yes BUCKET=ferry-bench AK=AKIAFERRYBENCH000001 SK=FerryBenchSecretKey0123456789abcdefghijk
if [[ $HIVE != yes ]]; then S3="not available (this build has no hive connector)"
elif ! command -v moto_server >/dev/null || ! python3 -c 'import boto3, moto' 2>/dev/null; then
  S3="not available (moto_server and boto3 missing from the python3 on PATH)"
else
  MOTO_PORT=$(harness_free_port)
  harness_moto_start "$MOTO_PORT" "$AK" "$SK" "$BUCKET" "$TMP/moto.log" "$TMP/moto.err" ||
    { tail -5 "$TMP/moto.log" "$TMP/moto.err" >&2; exit 1; }
  cat >"$ETC/catalog/hive_s3.properties" <<EOF
connector.name=hive
hive.metastore=file
hive.metastore.catalog.dir=s3://$BUCKET/warehouse
fs.native-s3.enabled=true
s3.endpoint=http://127.0.0.1:$MOTO_PORT
s3.region=us-east-1
s3.path-style-access=true
s3.aws-access-key=$AK
s3.aws-secret-key=$SK
EOF
fi
export HIVE S3
FERRY_PORT=$(harness_free_port); http=$(harness_free_port)
setsid "$BUILD/ferry" --etc-dir "$ETC" -D "pgwire.port=$FERRY_PORT" -D "http-server.http.port=$http" \
  >"$TMP/ferry.log" 2>&1 &
FERRY_PID=$!
harness_wait_port "$FERRY_PORT" 30 || { tail -20 "$TMP/ferry.log"; exit 1; }
for _ in $(seq 100); do psql -X -q -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch_std -Atc 'select 1' >/dev/null 2>&1 && break; sleep 0.2; done
export FERRY_PORT FERRY_PID
F=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch_std)

# --- 1. the data, once per SF: CSV from Ferry's tpch connector ---------------------------
mkdir -p "$DATA/csv"
for t in "${TABLES[@]}"; do
  [[ -s $DATA/csv/$t.csv && -s $DATA/csv/$t.desc ]] && continue
  t0=$(date +%s.%N)
  "${F[@]}" -At -F '|' -c "DESCRIBE tpch_std.$SCHEMA.$t" >"$DATA/csv/$t.desc.tmp"
  "${F[@]}" --csv -c "SELECT * FROM tpch_std.$SCHEMA.$t" >"$DATA/csv/$t.csv.tmp"
  mv "$DATA/csv/$t.desc.tmp" "$DATA/csv/$t.desc"; mv "$DATA/csv/$t.csv.tmp" "$DATA/csv/$t.csv"
  echo "bench: generated $t ($(($(wc -l <"$DATA/csv/$t.csv") - 1)) rows) in $(secs_since "$t0") s"
done

# --- 2. PostgreSQL: tables with Ferry's column types, keys, indexes, ANALYZE -------------
t0=$(date +%s.%N)
"${P[@]}" -d postgres -c 'CREATE DATABASE tpch' -c 'CREATE DATABASE tpch2' >/dev/null
for t in "${TABLES[@]}"; do
  cols=$(columns_of "$t")
  "${P[@]}" -d tpch -c "CREATE TABLE $t ($cols)" \
    -c "\\copy $t FROM '$DATA/csv/$t.csv' WITH (FORMAT csv, HEADER true)" >/dev/null
done
"${P[@]}" -d tpch -f bench/pg_schema.sql -f bench/products.sql >/dev/null
"${P[@]}" -d tpch2 -f bench/products.sql >/dev/null
echo "bench: loaded PostgreSQL (keys, indexes, ANALYZE) in $(secs_since "$t0") s"

# --- 2b. Parquet (zstd), one folder per table, written by DuckDB -------------------------
# in files of at most PARQUET_FILE_BYTES (bench.py says why); the marker names the size, so
# that a cache written with another size is written again.
export PARQUET_FILE_BYTES=${PARQUET_FILE_BYTES:-16MB}
if [[ ! -f $DATA/parquet/.done-$PARQUET_FILE_BYTES ]]; then
  t0=$(date +%s.%N)
  rm -rf "$DATA/parquet"; mkdir -p "$DATA/parquet"
  /usr/bin/python3 bench/bench.py write-parquet
  touch "$DATA/parquet/.done-$PARQUET_FILE_BYTES"
  echo "bench: wrote Parquet in $(secs_since "$t0") s ($(du -sh "$DATA/parquet" | cut -f1))"
fi

# --- 2c. the Parquet folders as hive tables ----------------------------------------------
if [[ $HIVE == yes ]]; then
  "${F[@]}" -c "CREATE SCHEMA hive.tpch" >/dev/null
  for t in "${TABLES[@]}"; do
    cols=$(columns_of "$t")
    "${F[@]}" -c "CREATE TABLE hive.tpch.$t ($cols) WITH (format = 'PARQUET', external_location = '$DATA/parquet/$t')" >/dev/null
  done
fi

# --- 2d. the same files uploaded byte for byte to S3, as hive_s3 tables ------------------
# DuckDB cannot write to S3 here (its httpfs extension is not installed and cannot be
# downloaded offline) nor read from it, so its local files are uploaded and DuckDB over S3 is
# not measured.
if [[ $S3 == yes ]]; then
  t0=$(date +%s.%N)
  python3 tests/suites/hive_s3_moto.py upload "http://127.0.0.1:$MOTO_PORT" "$AK" "$SK" "$BUCKET" "$DATA/parquet" tpch >/dev/null
  python3 bench/s3_same.py "http://127.0.0.1:$MOTO_PORT" "$AK" "$SK" "$BUCKET" tpch "$DATA/parquet" |
    sed 's/^/bench: /'
  "${F[@]}" -c "CREATE SCHEMA hive_s3.tpch" >/dev/null
  for t in "${TABLES[@]}"; do
    "${F[@]}" -c "CREATE TABLE hive_s3.tpch.$t ($(columns_of "$t")) WITH (format = 'PARQUET', external_location = 's3://$BUCKET/tpch/$t/')" >/dev/null
  done
  echo "bench: uploaded Parquet to S3 (moto) in $(secs_since "$t0") s"
fi

# --- 3-5. queries, federation, protocol; results JSON + Markdown -------------------------
mkdir -p bench/results
OUT=${BENCH_OUT:-bench/results/$(date +%Y-%m-%d)-sf$SF}
export OUT
# bench.py run exits 1 when an answer differs between engines (each printed as an ERROR line);
# the results are still written, and this script then exits 1 too.
rc=0
rm -f "$OUT.json"
/usr/bin/python3 bench/bench.py run || rc=$?
[[ -f $OUT.json ]] || exit "$rc"
gnuplot -e "datafile='$OUT.dat'; outfile='$OUT.png'" bench/chart.gp
echo "bench: $OUT.json $OUT.md $OUT.png"
# BENCH_DOCS=0: a development run that leaves docs/BENCHMARKS.md as it is
[[ ${BENCH_DOCS:-1} == 0 ]] || /usr/bin/python3 bench/bench.py docs
exit "$rc"
