#!/usr/bin/env bash
# Ferry: table statistics through psql. The hive connector on a local warehouse: SHOW STATS
# of a CREATE TABLE AS copy of tpch.tiny.lineitem against the exact count(DISTINCT) of every
# column (HyperLogLog NDV error printed and bounded), ANALYZE (row count as the update count,
# the same figures as the write recorded, its time printed), a partitioned copy whose
# partitions hold their own numRows/columnStatistics (summed over the partitions a filter
# leaves), a partition written by another engine (unknown until ANALYZE WITH (partitions)),
# decimal and timestamp columns, DELETE emptying a partition; a partitioned table on moto S3
# (documents as objects, pruning, ANALYZE); and the postgresql connector: ANALYZE forwarded
# to a real PostgreSQL 15, whose pg_class row count SHOW STATS then shows.
# Usage: tests/suites/hive_stats.sh BUILDDIR TMPDIR
# Prints "ok NAME" / "FAIL NAME" (the S3 and PostgreSQL parts are skipped, with a line saying
# so, when moto is missing or PostgreSQL cannot start). Only stops the processes it started.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${1:-build} TMP=${2:-$(mktemp -d)}
mkdir -p "$TMP" && TMP=$(cd "$TMP" && pwd) && chmod 755 "$TMP"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export PGCONNECT_TIMEOUT=10

[[ -x $BUILD/ferry ]] || { echo "FAIL build: $BUILD/ferry missing"; exit 1; }
failed=0
report() { # report NAME RC [why]
  if [[ $2 -eq 0 ]]; then echo "ok $1"; else echo "FAIL $1${3:+: $3}"; failed=1; fi
}
same() { # same NAME GOT WANT (WANT "" for an empty result)
  if [[ ( -n $2 || -z $3 ) && $2 == "$3" ]]; then report "$1" 0
  else report "$1" 1; printf '  got:  %s\n  want: %s\n' "${2//$'\n'/ ; }" "${3//$'\n'/ ; }" >&2; fi
}

FERRY_PID= PG_DIR= MOTO_PID=
cleanup() {
  [[ -n $FERRY_PID ]] && { kill -TERM -- "-$FERRY_PID" 2>/dev/null; wait "$FERRY_PID" 2>/dev/null; }
  [[ -n $MOTO_PID ]] && { kill -TERM -- "-$MOTO_PID" 2>/dev/null; wait "$MOTO_PID" 2>/dev/null; }
  harness_pg_stop
}
trap cleanup EXIT

WH=$TMP/warehouse
rm -rf "$WH"
mkdir -p "$WH"
ETC=$TMP/etc
mkdir -p "$ETC/catalog"
cp regress/etc/config.properties "$ETC/"
cp regress/etc/catalog/{tpch,memory}.properties "$ETC/catalog/"
printf 'connector.name=hive\nhive.metastore.catalog.dir=%s\n' "$WH" >"$ETC/catalog/hive.properties"
HAVE_PG=0
if harness_pg_start "$TMP/pg" >"$TMP/pg-start.log" 2>&1; then
  HAVE_PG=1
  printf 'connector.name=postgresql\nconnection-url=jdbc:postgresql://127.0.0.1:%s/postgres\nconnection-user=postgres\n' \
    "$PG_PORT" >"$ETC/catalog/postgresql.properties"
else
  echo "hive_stats.sh: PostgreSQL did not start: the postgresql part is skipped"
fi

# a warehouse on moto S3 too, when moto is installed (catalog hive_s3)
S3_KEY=AKIAFERRYSTATS000001 S3_SECRET=FerryStatsSuiteSecretKey0123456789abcdef
HAVE_S3=0
if command -v moto_server >/dev/null 2>&1 && python3 -c 'import boto3, moto' 2>/dev/null; then
  MOTO_PORT=$(harness_free_port)
  INITIAL_NO_AUTH_ACTION_COUNT=3 setsid python3 tests/suites/hive_s3_moto.py serve "$MOTO_PORT" \
    "$S3_KEY" "$S3_SECRET" >"$TMP/moto.log" 2>&1 &
  MOTO_PID=$!
  harness_wait_port "$MOTO_PORT" 30 &&
    [[ $(python3 tests/suites/s3_moto_setup.py "http://127.0.0.1:$MOTO_PORT" stats 2>"$TMP/moto-setup.err") == "$S3_KEY $S3_SECRET" ]] &&
    HAVE_S3=1
  report moto_setup $((1 - HAVE_S3)) "$(tail -2 "$TMP/moto-setup.err" 2>/dev/null)"
  { echo connector.name=hive; echo hive.metastore.catalog.dir=s3://stats/warehouse
    echo fs.native-s3.enabled=true; echo "s3.endpoint=http://127.0.0.1:$MOTO_PORT"; echo s3.region=us-east-1
    echo s3.path-style-access=true; echo "s3.aws-access-key=$S3_KEY"; echo "s3.aws-secret-key=$S3_SECRET"
  } >"$ETC/catalog/hive_s3.properties"
  ((HAVE_S3)) || rm -f "$ETC/catalog/hive_s3.properties"
else
  echo "hive_stats.sh: moto_server or boto3 missing: the S3 part is skipped"
fi

if harness_ferry_start "$BUILD" "$TMP/ferry.log" "$ETC"; then report ferry_start 0
else report ferry_start 1 "$(tail -3 "$TMP/ferry.log")"; exit 1; fi
F=(psql -X -q -At -F '|' -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch)
FE=(psql -X -q -At -F '|' -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch -v ON_ERROR_STOP=1)
# command tags too (no -q)
FT=(psql -X -At -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch)
# "column|ndv" lines of SHOW STATS (the summary row's column_name is empty)
ndvs() { "${F[@]}" -c "SHOW STATS FOR $1" | awk -F'|' '$1 != "" { print $1 "|" $3 }'; }
rowcount() { "${F[@]}" -c "SHOW STATS FOR $1" | awk -F'|' '$1 == "" { print $5 }'; }

out=$("${FE[@]}" -c "CREATE SCHEMA hive.s" -c "CREATE TABLE hive.s.li AS SELECT * FROM tpch.tiny.lineitem" 2>&1)
report ctas_lineitem $? "$out"
ROWS=$("${F[@]}" -c "SELECT count(*) FROM hive.s.li")
same ctas_row_count "$(rowcount hive.s.li)" "$ROWS"

# --- NDV of every column against count(DISTINCT) ---------------------------------------------
COLS=$("${F[@]}" -c "SHOW STATS FOR hive.s.li" | awk -F'|' '$1 != "" { print $1 }')
sel=""
for c in $COLS; do sel+="${sel:+, }count(DISTINCT $c)"; done
EXACT=$("${F[@]}" -c "SELECT $sel FROM hive.s.li" | tr '|' ' ')
# error % per column (HLL with 2048 registers: 2.3% standard error); fail beyond 7% (3 sigma)
check_ndv() { # check_ndv NAME STATS
  local worst
  worst=$(paste -d'|' <(echo "$2") <(tr ' ' '\n' <<<"$EXACT") | awk -F'|' '
    { err = ($2 - $3) / $3 * 100; printf "  %-14s est %8d exact %8d error %+6.2f%%\n", $1, $2, $3, err > "/dev/stderr"
      if (err < 0) err = -err; if (err > w) w = err }
    END { printf "%.2f", w }')
  echo "$1: worst NDV error $worst%"
  awk -v w="$worst" 'BEGIN { exit !(w <= 7) }'
  report "$1" $? "worst error $worst%"
}
check_ndv ndv_after_ctas "$(ndvs hive.s.li)"
BEFORE=$("${F[@]}" -c "SHOW STATS FOR hive.s.li")

# --- ANALYZE: the row count as the update count, the same figures ------------------------------
start=$(date +%s%N)
tag=$("${FT[@]}" -c "ANALYZE hive.s.li" 2>&1)
ms=$((($(date +%s%N) - start) / 1000000))
echo "ANALYZE hive.s.li ($ROWS rows): $ms ms through psql"
same analyze_tag "$tag" "ANALYZE $ROWS"
same analyze_same_figures "$("${F[@]}" -c "SHOW STATS FOR hive.s.li")" "$BEFORE"
# the document's statistics are Trino's; a decimal column has its range as decimal strings
doc=$WH/s/li/.trinoSchema
got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["columnStatistics"]["extendedprice"]; print(d["parameters"]["numRows"], c["decimalStatistics"]["min"], c["decimalStatistics"]["max"], c["nullsCount"])' "$doc" 2>&1)
same decimal_statistics "$got" "$ROWS $("${F[@]}" -c "SELECT min(extendedprice), max(extendedprice) FROM hive.s.li" | tr '|' ' ') 0"
# ANALYZE of a table whose statistics were lost (numRows removed, as after another engine's
# write): the row count comes from the Parquet footers, the column figures are unknown
python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); del d["parameters"]["numRows"]; d["columnStatistics"]={}; json.dump(d, open(p,"w"))' "$doc"
same footer_rows_without_numrows "$(rowcount hive.s.li)" "$ROWS"
# without columnStatistics the footers give an upper bound: max - min + 1, at most the rows
same footer_ndv_without_stats "$(ndvs hive.s.li | head -1)" \
  "orderkey|$("${F[@]}" -c "SELECT least(max(orderkey) - min(orderkey) + 1, count(orderkey)) FROM hive.s.li")"
"${F[@]}" -c "ANALYZE hive.s.li" >/dev/null 2>&1
same analyze_restores "$("${F[@]}" -c "SHOW STATS FOR hive.s.li")" "$BEFORE"

# --- never analyzed: figures from the Parquet footers -----------------------------------------
# External tables over files Ferry wrote (no numRows, no columnStatistics: as data written by
# another engine). SHOW STATS: null fractions, ranges and, for integers, dates and decimals, the
# distinct-count bound max - min + 1 (at most the rows); strings unknown.
for t in lineitem orders customer supplier; do
  "${FE[@]}" -c "CREATE TABLE hive.s.w_$t AS SELECT * FROM tpch.tiny.$t" >/dev/null 2>&1 || report "ctas_$t" 1
done
ddl=$(python3 - "$WH/s" <<'PY'
import json, sys
types = {"string": "varchar", "int": "integer"}
print("CREATE SCHEMA hive.ext;")
for t in ["lineitem", "orders", "customer", "supplier"]:
    d = json.load(open(f"{sys.argv[1]}/w_{t}/.trinoSchema"))
    cols = ", ".join(f'{c["name"]} {types.get(c["type"], c["type"])}' for c in d["dataColumns"])
    print(f"CREATE TABLE hive.ext.{t} ({cols}) WITH (format = 'PARQUET', external_location = '{sys.argv[1]}/w_{t}');")
PY
)
out=$("${FE[@]}" -c "$ddl" 2>&1)
report external_tables $? "$out"
stats() { "${F[@]}" -c "SHOW STATS FOR $1" | awk -F'|' -v c="$2" '$1 == c { print $3 "|" $4 "|" $6 "|" $7 }'; }
same footer_key_bound "$(stats hive.ext.orders orderkey)" \
  "$("${F[@]}" -c "SELECT least(max(orderkey) - min(orderkey) + 1, count(*)), 0, min(orderkey), max(orderkey) FROM tpch.tiny.orders")"
same footer_low_cardinality "$(stats hive.ext.customer nationkey)" "25|0|0|24"
same footer_date_bound "$(stats hive.ext.orders orderdate)" \
  "$("${F[@]}" -c "SELECT least(max(orderdate) - min(orderdate) + 1, count(*)), 0, min(orderdate), max(orderdate) FROM tpch.tiny.orders")"
same footer_string_unknown "$(stats hive.ext.orders orderstatus)" "|0||"
same footer_row_count "$(rowcount hive.ext.lineitem)" "$ROWS"
# The join order (Q5's core): after lineitem-supplier, orders joins on its key before customer,
# which shares only the nation key with supplier (25 values: each row would meet 1/25 of the
# customers). With row counts alone, the smaller customer came first.
joins=$("${F[@]}" -c "EXPLAIN SELECT count(*) FROM hive.ext.lineitem l, hive.ext.supplier s, hive.ext.customer c,
  hive.ext.orders o WHERE l.suppkey = s.suppkey AND s.nationkey = c.nationkey AND c.custkey = o.custkey
  AND l.orderkey = o.orderkey" | grep -o 'InnerJoin\[criteria = ([^)]*)' |
  awk '/nationkey/ { print "customer"; next } /orderkey/ { print "orders"; next } /suppkey/ { print "supplier" }' | tr '\n' ' ')
# outermost join first: lineitem-supplier at the bottom, then orders, then customer
same footer_join_order "$joins" "customer orders supplier "
same footer_join_result "$("${F[@]}" -c "SELECT count(*) FROM hive.ext.lineitem l, hive.ext.supplier s, hive.ext.customer c,
  hive.ext.orders o WHERE l.suppkey = s.suppkey AND s.nationkey = c.nationkey AND c.custkey = o.custkey
  AND l.orderkey = o.orderkey")" "$("${F[@]}" -c "SELECT count(*) FROM tpch.tiny.lineitem l, tpch.tiny.supplier s,
  tpch.tiny.customer c, tpch.tiny.orders o WHERE l.suppkey = s.suppkey AND s.nationkey = c.nationkey
  AND c.custkey = o.custkey AND l.orderkey = o.orderkey")"

# --- partitions -----------------------------------------------------------------------------
out=$("${FE[@]}" -c "CREATE TABLE hive.s.lp WITH (partitioned_by = ARRAY['linenumber']) AS
  SELECT orderkey, partkey, extendedprice, shipdate, comment, linenumber FROM tpch.tiny.lineitem" 2>&1)
report ctas_partitioned $? "$out"
sum=0
for f in "$WH"/s/lp/linenumber=*/.trinoSchema; do
  n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["parameters"]["numRows"])' "$f")
  sum=$((sum + n))
done
same partition_numrows_sum "$sum" "$ROWS"
same partitioned_row_count "$(rowcount hive.s.lp)" "$ROWS"
# the sketches make the partitions' union count right (max of the partitions' counts would say ~15000/1.x)
got=$("${F[@]}" -c "SHOW STATS FOR hive.s.lp" | awk -F'|' '$1 == "partkey" { print $3 }')
awk -v g="$got" 'BEGIN { exit !(g >= 1900 && g <= 2000) }'
report partitioned_ndv_united $? "partkey NDV $got, 2000 exact"
for q in "linenumber = 3" "linenumber IN (1, 7)" "linenumber >= 5"; do
  same "pruned_rows ($q)" "$(rowcount "(SELECT * FROM hive.s.lp WHERE $q)")" \
    "$("${F[@]}" -c "SELECT count(*) FROM hive.s.lp WHERE $q")"
done
same pruned_ndv "$("${F[@]}" -c "SHOW STATS FOR (SELECT * FROM hive.s.lp WHERE linenumber = 3)" | awk -F'|' '$1 == "linenumber" { print $3 "|" $6 "|" $7 }')" "1|3|3"
# INSERT into one partition adds to its count
"${FE[@]}" -c "INSERT INTO hive.s.lp SELECT orderkey, partkey, extendedprice, shipdate, comment, linenumber FROM tpch.tiny.lineitem WHERE linenumber = 7" >/dev/null
same insert_partition_rows "$(rowcount "(SELECT * FROM hive.s.lp WHERE linenumber = 7)")" \
  "$("${F[@]}" -c "SELECT count(*) FROM hive.s.lp WHERE linenumber = 7")"
# a partition written by another engine: a data file, no metadata. Its rows are counted from
# the footers when a query reads it alone; its column figures are unknown until ANALYZE
mkdir -p "$WH/s/lp/linenumber=9"
cp "$(find "$WH/s/lp/linenumber=3" -type f ! -name '.*' | head -1)" "$WH/s/lp/linenumber=9/from-elsewhere.parquet"
P9=$("${F[@]}" -c "SELECT count(*) FROM hive.s.lp WHERE linenumber = 9")
same foreign_partition_footers "$(rowcount "(SELECT * FROM hive.s.lp WHERE linenumber = 9)")" "$P9"
same foreign_partition_footer_ndv "$(ndvs "(SELECT * FROM hive.s.lp WHERE linenumber = 9)" | sed -n '1p;5p')" \
  "$("${F[@]}" -c "SELECT 'orderkey', least(max(orderkey) - min(orderkey) + 1, count(orderkey)) FROM hive.s.lp WHERE linenumber = 9" \
    -c "SELECT 'comment', NULL")"
# the whole table: the partition without statistics counts as the average of the other seven (Trino's way)
known=$("${F[@]}" -c "SELECT count(*) FROM hive.s.lp WHERE linenumber <> 9")
got=$(rowcount hive.s.lp)
awk -v g="$got" -v k="$known" 'BEGIN { w = k + k / 7; exit !(g > w - 1 && g < w + 1) }'
report foreign_partition_extrapolated $? "got $got, want $known + $known/7"
tag=$("${FT[@]}" -c "ANALYZE hive.s.lp WITH (partitions = ARRAY[ARRAY['9']])" 2>&1)
same analyze_partition_tag "$tag" "ANALYZE $P9"
same analyze_partition_rows "$(rowcount "(SELECT * FROM hive.s.lp WHERE linenumber = 9)")" "$P9"
got=$(ndvs "(SELECT * FROM hive.s.lp WHERE linenumber = 9)" | head -1)
[[ $got =~ ^orderkey\|[0-9]+$ ]]
report analyze_partition_ndv $? "$got"
same analyze_partition_whole "$(rowcount hive.s.lp)" "$("${F[@]}" -c "SELECT count(*) FROM hive.s.lp")"
[[ -f $WH/s/lp/linenumber=9/.trinoSchema ]]
report analyze_writes_partition_document $?
# DELETE rewrites the table: an emptied partition loses its statistics, so rows inserted there
# later are counted from zero, not added to the deleted ones
"${FE[@]}" -c "DELETE FROM hive.s.lp WHERE linenumber = 6" >/dev/null
[[ ! -f $WH/s/lp/linenumber=6/.trinoSchema ]]
report delete_forgets_emptied_partition $?
"${FE[@]}" -c "INSERT INTO hive.s.lp SELECT orderkey, partkey, extendedprice, shipdate, comment, linenumber
  FROM tpch.tiny.lineitem WHERE linenumber = 6 AND orderkey < 30000" >/dev/null
same reinserted_partition_rows "$(rowcount "(SELECT * FROM hive.s.lp WHERE linenumber = 6)")" \
  "$("${F[@]}" -c "SELECT count(*) FROM hive.s.lp WHERE linenumber = 6")"
same rows_after_delete "$(rowcount hive.s.lp)" "$("${F[@]}" -c "SELECT count(*) FROM hive.s.lp")"

# --- timestamp and decimal columns -----------------------------------------------------------
out=$("${FE[@]}" -c "CREATE TABLE hive.s.typed AS SELECT orderkey,
  CAST(orderdate AS timestamp) + CAST(orderkey % 7 AS integer) * interval '1 hour' AS ts,
  CASE WHEN orderkey % 10 = 0 THEN NULL ELSE totalprice END AS price,
  CAST(totalprice AS numeric(30,4)) AS wide FROM tpch.tiny.orders" 2>&1)
report ctas_typed $? "$out"
got=$("${F[@]}" -c "SHOW STATS FOR hive.s.typed" | awk -F'|' '$1 == "price" || $1 == "wide" { print $1 "|" $4 "|" $6 "|" $7 }')
want=$("${F[@]}" -c "SELECT 'price', 0.1, min(totalprice), max(totalprice) FROM tpch.tiny.orders WHERE orderkey % 10 <> 0" \
  -c "SELECT 'wide', 0, min(CAST(totalprice AS numeric(30,4))), max(CAST(totalprice AS numeric(30,4))) FROM tpch.tiny.orders")
same decimal_ranges "$got" "$want"
# timestamps: NDV and nulls only, as Trino's Hive statistics
got=$("${F[@]}" -c "SHOW STATS FOR hive.s.typed" | awk -F'|' '$1 == "ts" { print ($3 > 0) "|" $4 "|" $6 "|" $7 }')
same timestamp_ndv_only "$got" "1|0||"
exact=$("${F[@]}" -c "SELECT count(DISTINCT ts) FROM hive.s.typed")
got=$("${F[@]}" -c "SHOW STATS FOR hive.s.typed" | awk -F'|' '$1 == "ts" { print $3 }')
awk -v g="$got" -v e="$exact" 'BEGIN { d = (g - e) / e; exit !(d < 0.07 && d > -0.07) }'
report timestamp_ndv "$?" "est $got exact $exact"

# --- the same on S3: partition documents are objects there ---------------------------------
if ((HAVE_S3)); then
  out=$("${FE[@]}" -c "CREATE SCHEMA hive_s3.s" -c "CREATE TABLE hive_s3.s.lp WITH (partitioned_by = ARRAY['linenumber'])
    AS SELECT orderkey, comment, linenumber FROM tpch.tiny.lineitem" 2>&1)
  report s3_ctas_partitioned $? "$out"
  same s3_row_count "$(rowcount hive_s3.s.lp)" "$ROWS"
  same s3_pruned_rows "$(rowcount "(SELECT * FROM hive_s3.s.lp WHERE linenumber IN (2, 4))")" \
    "$("${F[@]}" -c "SELECT count(*) FROM hive_s3.s.lp WHERE linenumber IN (2, 4)")"
  same s3_analyze_partition "$("${FT[@]}" -c "ANALYZE hive_s3.s.lp WITH (partitions = ARRAY[ARRAY['2']])" 2>&1)" \
    "ANALYZE $("${F[@]}" -c "SELECT count(*) FROM hive_s3.s.lp WHERE linenumber = 2")"
  keys=$(python3 tests/suites/hive_s3_moto.py list "http://127.0.0.1:$MOTO_PORT" "$S3_KEY" "$S3_SECRET" stats \
    warehouse/s/lp/ | grep -c '/linenumber=[0-9]/.trinoSchema$')
  same s3_partition_documents "$keys" 7
  same s3_ndv_united "$(ndvs hive_s3.s.lp | head -1)" "$(ndvs hive.s.li | head -1)"
fi

# --- errors ----------------------------------------------------------------------------------
got=$("${F[@]}" -c "SHOW STATS FOR hive.s.nope" 2>&1 | head -1)
same show_stats_missing "$got" 'ERROR:  relation "s.nope" does not exist'
got=$("${F[@]}" -c "ANALYZE memory.default.nope" 2>&1 | head -1)
same analyze_missing "$got" 'ERROR:  relation "default.nope" does not exist'
"${FE[@]}" -c "CREATE TABLE memory.default.m AS SELECT 1 AS x" >/dev/null
got=$("${F[@]}" -c "ANALYZE memory.default.m" 2>&1 | head -1)
same analyze_memory_refused "$got" "ERROR:  catalog 'memory' (connector memory) does not support ANALYZE"
got=$("${F[@]}" -c "ANALYZE hive.s.lp WITH (partitions = ARRAY['9'])" 2>&1 | head -1)
same analyze_bad_partitions "$got" "ERROR:  invalid value for analyze property 'partitions': ARRAY['9']"
same bare_analyze "$("${FT[@]}" -c "ANALYZE" 2>&1)" "ANALYZE"

# --- postgresql: ANALYZE forwarded -----------------------------------------------------------
if ((HAVE_PG)); then
  PGC=(psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)
  "${PGC[@]}" -c "CREATE TABLE public.st AS SELECT g AS id, g % 10 AS k FROM generate_series(1, 5000) g" >/dev/null
  same pg_analyze_tag "$("${FT[@]}" -c "ANALYZE postgresql.public.st" 2>&1)" "ANALYZE"
  same pg_row_count "$(rowcount postgresql.public.st)" "5000"
  # k: ten values, all most common (no histogram, so no range); id: distinct, its histogram's ends
  got=$("${F[@]}" -c "SHOW STATS FOR postgresql.public.st" | awk -F'|' '$1 != "" { print $1 "|" $3 "|" $4 "|" $6 "|" $7 }')
  same pg_column_stats "$got" "id|5000|0|1|5000
k|10|0||"
  got=$("${F[@]}" -c "ANALYZE postgresql.public.st WITH (partitions = ARRAY[ARRAY['1']])" 2>&1 | head -1)
  same pg_analyze_property "$got" "ERROR:  catalog 'postgresql': analyze property 'partitions' does not exist"
fi

"${F[@]}" -c "SELECT 1" >/dev/null 2>&1
report ferry_still_up $?
exit $failed
