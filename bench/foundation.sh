#!/usr/bin/env bash
# Foundation figures: Ferry's tpch connector against PostgreSQL 15 holding the same rows.
#   bench/foundation.sh [BUILDDIR] [RUNS]
# 1. wall time of SELECT count(*), sum(extendedprice) FROM lineitem (sf1), median of RUNS;
# 2. rows per second of SELECT * FROM orders (sf1) streamed to psql > /dev/null.
# PostgreSQL gets its copy of the rows from Ferry itself (psql unaligned output into COPY),
# so both engines see identical data. Not part of make check: it takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
RUNS=${2:-3}
. scripts/lib.sh
TMP=$(mktemp -d /tmp/ferry-bench.XXXXXX); chmod 755 "$TMP"
FERRY_PID=; PG_DIR=
trap 'harness_ferry_stop; harness_pg_stop; rm -rf "$TMP"' EXIT
harness_pg_start "$TMP/pg"
harness_ferry_start "$BUILD" "$TMP/ferry.log"
F=(psql -X -q -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch)
P=(psql -X -q -h "$TMP/pg" -p "$PG_PORT" -U postgres -d postgres)

"${P[@]}" -c "CREATE TABLE orders (orderkey bigint, custkey bigint, orderstatus varchar(1),
  totalprice numeric(12,2), orderdate date, orderpriority varchar(15), clerk varchar(15),
  shippriority integer, comment varchar(79))" \
  -c "CREATE TABLE lineitem (orderkey bigint, partkey bigint, suppkey bigint, linenumber integer,
  quantity numeric(12,2), extendedprice numeric(12,2), discount numeric(12,2),
  tax numeric(12,2), returnflag varchar(1), linestatus varchar(1), shipdate date,
  commitdate date, receiptdate date, shipinstruct varchar(25), shipmode varchar(10),
  comment varchar(44))"
# Column types follow what Ferry reports for the tables (DESCRIBE); fail loudly if they differ.
for t in orders lineitem; do
  t0=$(date +%s.%N)
  "${F[@]}" -At -F '|' -c "SELECT * FROM tpch.sf1.$t" | "${P[@]}" -c "COPY $t FROM STDIN (DELIMITER '|')"
  echo "loaded $t into PostgreSQL in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
done
"${P[@]}" -c "VACUUM ANALYZE"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}'; }

Q1="SELECT count(*), sum(extendedprice) FROM tpch.sf1.lineitem"
Q1PG="SELECT count(*), sum(extendedprice) FROM lineitem"
echo "ferry: $("${F[@]}" -At -c "$Q1")   postgresql: $("${P[@]}" -At -c "$Q1PG")"
fa=$(for _ in $(seq "$RUNS"); do timeit "${F[@]}" -c "$Q1"; done | median)
pa=$(for _ in $(seq "$RUNS"); do timeit "${P[@]}" -c "$Q1PG"; done | median)
fs=$(for _ in $(seq "$RUNS"); do timeit "${F[@]}" -c "SELECT * FROM tpch.sf1.orders"; done | median)
ps=$(for _ in $(seq "$RUNS"); do timeit "${P[@]}" -c "SELECT * FROM orders"; done | median)
printf '%-44s %10s %12s %8s\n' measure ferry postgresql ratio
awk -v fa="$fa" -v pa="$pa" -v fs="$fs" -v ps="$ps" 'BEGIN {
  printf "%-44s %9.3fs %11.3fs  ferry/pg %.2f\n", "count+sum(extendedprice) sf1 lineitem", fa, pa, fa / pa
  printf "%-44s %10.0f %12.0f  ferry/pg %.2f\n", "rows/s SELECT * sf1 orders to psql", 1500000 / fs, 1500000 / ps, ps / fs }'
