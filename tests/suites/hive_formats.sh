#!/usr/bin/env bash
# Ferry: the hive connector's text formats (CSV, TEXTFILE, JSON) through psql, on a local
# warehouse and on a moto S3 warehouse: CREATE TABLE AS and INSERT of each format read back with
# the same answers as the source, table properties (separators, quotes, escapes, null format,
# header and footer lines), partitions, a large TEXTFILE file read in several splits, a failing
# INSERT that leaves no file behind, corrupt files that fail naming the file; and
# interoperability with DuckDB both ways: DuckDB reads the files Ferry wrote (read_csv,
# read_json) with the same rows, Ferry reads files DuckDB wrote (plain and .gz/.zst).
# Usage: tests/suites/hive_formats.sh BUILDDIR TMPDIR
# Prints "ok NAME" / "FAIL NAME"; exits 77 when DuckDB for node is missing (the S3 part is
# skipped, with a line saying so, when moto is missing). Only kills the processes it started.
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
BUCKET=ferry-formats
AK=AKIAFERRYFORMATS0001
SK=FerryFormatsSuiteSecretKey0123456789abc

if ! node tests/tools/duckdb_sql.mjs 'SELECT 1' >/dev/null 2>&1; then
  echo "hive_formats.sh: DuckDB for node (npm @duckdb/node-api) not available: skipped"
  exit 77
fi
[[ -x $BUILD/ferry ]] || { echo "FAIL build: $BUILD/ferry missing"; exit 1; }
HAVE_MOTO=0
command -v moto_server >/dev/null 2>&1 && python3 -c 'import boto3, moto' >/dev/null 2>&1 && HAVE_MOTO=1

failed=0
report() { # report NAME RC [why]
  if [[ $2 -eq 0 ]]; then echo "ok $1"; else echo "FAIL $1${3:+: $3}"; failed=1; fi
}
same() { # same NAME GOT WANT
  if [[ -n $2 && $2 == "$3" ]]; then report "$1" 0
  else report "$1" 1; printf '  got:  %s\n  want: %s\n' "${2//$'\n'/ ; }" "${3//$'\n'/ ; }" >&2; fi
}
duck() { node tests/tools/duckdb_sql.mjs "$@"; }

MOTO_PID= FERRY_PID=
cleanup() {
  [[ -n $FERRY_PID ]] && { kill -TERM -- "-$FERRY_PID" 2>/dev/null; wait "$FERRY_PID" 2>/dev/null; }
  [[ -n $MOTO_PID ]] && { kill -TERM -- "-$MOTO_PID" 2>/dev/null; wait "$MOTO_PID" 2>/dev/null; }
}
trap cleanup EXIT

WH=$TMP/warehouse
EXT=$TMP/external
rm -rf "$WH" "$EXT"
mkdir -p "$WH" "$EXT"
ETC=$TMP/etc
mkdir -p "$ETC/catalog"
cp regress/etc/config.properties "$ETC/"
cp regress/etc/catalog/{tpch,memory}.properties "$ETC/catalog/"
printf 'connector.name=hive\nhive.metastore.catalog.dir=%s\nhive.max-split-size=1MB\n' "$WH" \
  >"$ETC/catalog/hive.properties"
CATALOGS=(hive)
if ((HAVE_MOTO)); then
  MOTO_PORT=$(harness_free_port)
  INITIAL_NO_AUTH_ACTION_COUNT=3 setsid python3 "$SUITE/hive_s3_moto.py" serve "$MOTO_PORT" "$AK" "$SK" \
    >"$TMP/moto.log" 2>&1 &
  MOTO_PID=$!
  if harness_wait_port "$MOTO_PORT" 30 &&
    creds=$(python3 "$SUITE/s3_moto_setup.py" "http://127.0.0.1:$MOTO_PORT" "$BUCKET" 2>"$TMP/setup.err") &&
    [[ $creds == "$AK $SK" ]]; then
    cat >"$ETC/catalog/hive_s3.properties" <<EOF
connector.name=hive
hive.metastore.catalog.dir=s3://$BUCKET/warehouse
fs.native-s3.enabled=true
s3.endpoint=http://127.0.0.1:$MOTO_PORT
s3.region=us-east-1
s3.path-style-access=true
s3.aws-access-key=$AK
s3.aws-secret-key=$SK
s3.max-error-retries=2
EOF
    CATALOGS+=(hive_s3)
    report moto_setup 0
  else
    report moto_setup 1 "$(tail -3 "$TMP/setup.err" 2>/dev/null)"
  fi
else
  echo "hive_formats.sh: moto_server or boto3 missing: the S3 part is skipped"
fi

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
FE=(psql -X -q -At -F '|' -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch -v ON_ERROR_STOP=1)
# every key under a prefix of the test bucket, sorted; open multipart uploads
s3_keys() { python3 "$SUITE/hive_s3_moto.py" list "http://127.0.0.1:$MOTO_PORT" "$AK" "$SK" "$BUCKET" "$1" | sort; }
s3_uploads() { python3 "$SUITE/hive_s3_moto.py" uploads "http://127.0.0.1:$MOTO_PORT" "$AK" "$SK" "$BUCKET"; }
# data files (not hidden) under a local directory
files_in() { find "$1" -type f ! -name '.*' 2>/dev/null | sort; }

CUST="SELECT custkey, name, address, acctbal, mktsegment, custkey % 3 = 0 AS third,
  DATE '2020-01-01' + CAST(custkey AS integer) AS d FROM tpch.tiny.customer"
Q="SELECT count(*), sum(custkey), sum(acctbal), count(DISTINCT name), max(address), count(*) FILTER (WHERE third), max(d)"
WANT=$("${F[@]}" -c "$Q FROM ($CUST) c")

for C in "${CATALOGS[@]}"; do
  out=$("${FE[@]}" -c "CREATE SCHEMA $C.f" 2>&1)
  report "${C}_create_schema" $? "$out"
  # --- each format written by CREATE TABLE AS and read back ------------------------------------
  for fmt in TEXTFILE JSON; do
    out=$("${FE[@]}" -c "CREATE TABLE $C.f.cust_$fmt WITH (format = '$fmt') AS $CUST" 2>&1)
    report "${C}_ctas_$fmt" $? "$out"
    same "${C}_${fmt}_reads_back" "$("${F[@]}" -c "$Q FROM $C.f.cust_$fmt" 2>&1)" "$WANT"
  done
  # CSV holds strings only: the typed columns are cast back when read
  out=$("${FE[@]}" -c "CREATE TABLE $C.f.cust_csv WITH (format = 'CSV') AS
    SELECT CAST(custkey AS varchar) AS custkey, CAST(name AS varchar) AS name, CAST(address AS varchar) AS address,
      CAST(acctbal AS varchar) AS acctbal, CAST(mktsegment AS varchar) AS mktsegment, CAST(third AS varchar) AS third,
      CAST(d AS varchar) AS d FROM ($CUST) c" 2>&1)
  report "${C}_ctas_CSV" $? "$out"
  same "${C}_CSV_reads_back" "$("${F[@]}" -c "$Q FROM (SELECT CAST(custkey AS bigint) AS custkey, name,
    address, CAST(acctbal AS decimal(12,2)) AS acctbal, CAST(third AS boolean) AS third,
    CAST(d AS date) AS d FROM $C.f.cust_csv) c" 2>&1)" "$WANT"
  got=$("${F[@]}" -c "CREATE TABLE $C.f.bad (a integer, b varchar) WITH (format = 'CSV')" 2>&1 | head -1)
  same "${C}_csv_refuses_typed_columns" "$got" \
    "ERROR:  Hive CSV storage format only supports VARCHAR (unbounded). Unsupported columns: a integer"

  # --- properties: separators, quotes, escapes, null format, header --------------------------
  VALS="VALUES ('plain', 'semi;colon'), ('it''s', 'back\\slash'), (NULL, 'new
line'), ('', 'x|y')"
  out=$("${FE[@]}" -c "CREATE TABLE $C.f.csv_props (a varchar, b varchar) WITH (format = 'CSV',
      csv_separator = ';', csv_quote = '''', csv_escape = '#', skip_header_line_count = 1)" \
    -c "INSERT INTO $C.f.csv_props $VALS" 2>&1)
  report "${C}_csv_properties_insert" $? "$out"
  # CSV has no NULL: it reads back as an empty string, as in Trino
  same "${C}_csv_properties_read" "$("${F[@]}" -c "SELECT a, b FROM $C.f.csv_props ORDER BY b" 2>&1)" \
    "it's|back\\slash
|new
line
plain|semi;colon
|x|y"
  out=$("${FE[@]}" -c "CREATE TABLE $C.f.txt_props (a varchar, n integer, b varchar) WITH (format = 'TEXTFILE',
      textfile_field_separator = '|', textfile_field_separator_escape = '\\', null_format = 'NULL')" \
    -c "INSERT INTO $C.f.txt_props VALUES ('p|ipe', 1, 'NULL'), (NULL, NULL, 'two
lines'), ('back\\slash', 3, '')" 2>&1)
  report "${C}_textfile_properties_insert" $? "$out"
  same "${C}_textfile_properties_read" "$("${F[@]}" -c "SELECT coalesce(a, '<null>'), coalesce(n, -1),
    coalesce(b, '<null>') FROM $C.f.txt_props ORDER BY n" 2>&1)" "p|ipe|1|<null>
back\\slash|3|
<null>|-1|two
lines"
  got=$("${F[@]}" -c "CREATE TABLE $C.f.bad2 (a varchar) WITH (format = 'JSON', csv_separator = ';')" 2>&1 | head -1)
  same "${C}_property_of_other_format" "$got" \
    "ERROR:  Cannot specify csv_separator table property for storage format: JSON"

  # --- partitions --------------------------------------------------------------------------
  out=$("${FE[@]}" -c "CREATE TABLE $C.f.part_json WITH (format = 'JSON', partitioned_by = ARRAY['mktsegment'])
    AS SELECT custkey, name, acctbal, mktsegment FROM tpch.tiny.customer" 2>&1)
  report "${C}_partitioned_json_ctas" $? "$out"
  same "${C}_partitioned_json_read" \
    "$("${F[@]}" -c "SELECT mktsegment, count(*), sum(acctbal) FROM $C.f.part_json WHERE mktsegment >= 'H' GROUP BY 1 ORDER BY 1" 2>&1)" \
    "$("${F[@]}" -c "SELECT mktsegment, count(*), sum(acctbal) FROM tpch.tiny.customer WHERE mktsegment >= 'H' GROUP BY 1 ORDER BY 1")"

  # --- a failing INSERT leaves no file and the table as it was --------------------------------
  before=$("${F[@]}" -c "SELECT count(*), sum(custkey), count(DISTINCT name) FROM $C.f.cust_TEXTFILE")
  local_before=$(find "$WH/f/cust_textfile" -type f | sort)
  [[ $C == hive_s3 ]] && s3_before=$(s3_keys warehouse/f/cust_textfile/)
  got=$("${F[@]}" -c "INSERT INTO $C.f.cust_TEXTFILE SELECT custkey, name, address, acctbal, mktsegment,
      CAST(CASE WHEN custkey = 1490 THEN 'maybe' ELSE 'true' END AS boolean), DATE '2021-01-01'
    FROM tpch.tiny.customer" 2>&1)
  [[ $got == ERROR:* ]]
  report "${C}_failing_insert_fails" $? "$got"
  same "${C}_failing_insert_leaves_table" "$("${F[@]}" -c "SELECT count(*), sum(custkey), count(DISTINCT name) FROM $C.f.cust_TEXTFILE")" "$before"
  if [[ $C == hive_s3 ]]; then
    # the same objects as before, no staging object or multipart upload left
    same hive_s3_failing_insert_no_objects "$(s3_keys warehouse/f/cust_textfile/)" "$s3_before"
    same hive_s3_no_multipart_uploads "$(s3_uploads; echo "exit $?")" "exit 0"
    # the successful writes above published their staging objects and deleted them
    same hive_s3_no_staging_objects "$(s3_keys warehouse/ | grep -c 'ferry-staging')" 0
  fi
done

# local files: the same files as before the failure, no temp file left
same local_failing_insert_no_files "$(find "$WH/f/cust_textfile" -type f | sort)" "$local_before"

# numRows in Trino's file metastore: CTAS recorded it, the failed INSERT did not change it
same local_num_rows_recorded "$(grep -o '"numRows": "[0-9]*"' "$WH/f/cust_textfile/.trinoSchema")" '"numRows": "1500"'

# column statistics in Trino's columnStatistics: CTAS recorded them from the data (custkey 1..1500,
# NDV within HyperLogLog's error, the date range, no NULLs) and the failed INSERT left them alone
cs_ok=$(python3 - "$WH/f/cust_textfile/.trinoSchema" <<'PY' 2>&1
import json, sys
cs = json.load(open(sys.argv[1]))["columnStatistics"]
k, d, n = cs["custkey"], cs["d"], cs["name"]
ok = (k["integerStatistics"] == {"min": 1, "max": 1500} and abs(k["distinctValuesCount"] - 1500) <= 100
      and k["nullsCount"] == 0 and d["dateStatistics"] == {"min": "2020-01-02", "max": "2024-02-09"}
      and n["maxValueSizeInBytes"] == 18 and cs["third"]["booleanStatistics"] == {"trueCount": 500, "falseCount": 1000})
print("ok" if ok else json.dumps(cs))
PY
)
same local_column_statistics_recorded "$cs_ok" ok

# --- a large TEXTFILE file in several splits (hive.max-split-size=1MB) ---------------------------
LI="SELECT orderkey, linenumber, quantity, extendedprice, shipdate, comment FROM tpch.tiny.lineitem"
out=$("${FE[@]}" -c "CREATE TABLE hive.f.li WITH (format = 'TEXTFILE') AS $LI" 2>&1)
report ctas_lineitem_textfile $? "$out"
size=$(stat -c %s $(files_in "$WH/f/li" | head -1) 2>/dev/null || echo 0)
QL="SELECT count(*), sum(orderkey * 10 + linenumber), sum(extendedprice), max(comment), min(shipdate)"
same "lineitem_textfile_${size}_bytes_splits_read_each_line_once" \
  "$("${F[@]}" -c "$QL FROM hive.f.li" 2>&1)" "$("${F[@]}" -c "$QL FROM ($LI) l")"
echo "  (lineitem TEXTFILE: $size bytes read as splits of 1MB)"

# --- DuckDB reads the files Ferry wrote -------------------------------------------------------
QD="SELECT count(*), sum(custkey), sum(acctbal)::VARCHAR, count(DISTINCT name), max(address), count(*) FILTER (WHERE third), max(d)::VARCHAR"
WANTD=$("${F[@]}" -c "SELECT count(*), sum(custkey), sum(acctbal), count(DISTINCT name), max(address),
  count(*) FILTER (WHERE third), max(d) FROM ($CUST) c")
COLS="{'custkey': 'BIGINT', 'name': 'VARCHAR', 'address': 'VARCHAR', 'acctbal': 'DECIMAL(12,2)',
  'mktsegment': 'VARCHAR', 'third': 'BOOLEAN', 'd': 'DATE'}"
list() { files_in "$1" | sed "s/.*/'&'/" | paste -sd, -; }
same duckdb_reads_ferry_json "$(duck "$QD FROM read_json([$(list "$WH/f/cust_json")], format = 'newline_delimited', columns = $COLS)" 2>&1)" "$WANTD"
same duckdb_reads_ferry_textfile "$(duck "$QD FROM read_csv([$(list "$WH/f/cust_textfile")], delim = E'\\x01', quote = '', escape = '',
  header = false, nullstr = '\\N', columns = $COLS)" 2>&1)" "$WANTD"
same duckdb_reads_ferry_csv "$(duck "$QD FROM read_csv([$(list "$WH/f/cust_csv")], delim = ',', quote = '\"', escape = '\\',
  header = false, columns = $COLS)" 2>&1)" "$WANTD"
same duckdb_reads_ferry_csv_properties "$(duck "SELECT a, b FROM read_csv([$(list "$WH/f/csv_props")], delim = ';', quote = '''',
  escape = '#', header = true, columns = {'a': 'VARCHAR', 'b': 'VARCHAR'}) ORDER BY b" 2>&1 | sed 's/^|/|/')" \
  "$("${F[@]}" -c "SELECT nullif(a, ''), b FROM hive.f.csv_props ORDER BY b")"

# --- Ferry reads the files DuckDB wrote -------------------------------------------------------
GEN="CREATE TABLE t AS SELECT i AS id, 'name ' || i || CASE WHEN i % 7 = 0 THEN ', with \"quotes\"' ELSE '' END AS name,
  CAST(i * 1.25 AS DECIMAL(12,2)) AS amount, DATE '2024-01-01' + CAST(i % 300 AS INTEGER) AS day,
  CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END AS flag FROM range(20000) r(i)"
mkdir -p "$EXT/csv" "$EXT/json" "$EXT/csvgz" "$EXT/jsonzst"
if duck "$GEN" \
  "COPY (SELECT * FROM t WHERE id < 10000) TO '$EXT/csv/a.csv' (FORMAT csv, HEADER true, QUOTE '\"', ESCAPE '\"')" \
  "COPY (SELECT * FROM t WHERE id >= 10000) TO '$EXT/csvgz/b.csv.gz' (FORMAT csv, HEADER true, QUOTE '\"', ESCAPE '\"', COMPRESSION gzip)" \
  "COPY (SELECT * FROM t WHERE id < 10000) TO '$EXT/json/a.json' (FORMAT json)" \
  "COPY (SELECT * FROM t WHERE id >= 10000) TO '$EXT/jsonzst/b.json.zst' (FORMAT json, COMPRESSION zstd)" \
  "SELECT 1" >/dev/null 2>"$TMP/duckdb.err"; then
  report duckdb_writes_files 0
else
  report duckdb_writes_files 1 "$(head -3 "$TMP/duckdb.err")"
fi
WANTX=$(duck "$GEN" "SELECT count(*), sum(id), sum(amount)::VARCHAR, count(flag), count(*) FILTER (WHERE flag), max(day)::VARCHAR, max(name) FROM t")
QX="SELECT count(*), sum(id), sum(amount), count(flag), count(*) FILTER (WHERE flag), max(day), max(name)"
for d in csv csvgz; do
  out=$("${FE[@]}" -c "CREATE TABLE hive.f.duck_$d (id varchar, name varchar, amount varchar, day varchar, flag varchar)
    WITH (format = 'CSV', csv_escape = '\"', skip_header_line_count = 1, external_location = '$EXT/$d')" 2>&1)
  report "external_duckdb_$d" $? "$out"
done
got=$("${F[@]}" -c "$QX FROM (SELECT CAST(id AS bigint) AS id, name, CAST(amount AS decimal(12,2)) AS amount,
  CAST(day AS date) AS day, CAST(nullif(flag, '') AS boolean) AS flag
  FROM (SELECT * FROM hive.f.duck_csv UNION ALL SELECT * FROM hive.f.duck_csvgz) u) x" 2>&1)
same ferry_reads_duckdb_csv_and_gz "$got" "$WANTX"
for d in json jsonzst; do
  out=$("${FE[@]}" -c "CREATE TABLE hive.f.duck_$d (ID bigint, name varchar, amount decimal(12,2), day date, flag boolean,
    missing varchar) WITH (format = 'JSON', external_location = '$EXT/$d')" 2>&1)
  report "external_duckdb_$d" $? "$out"
done
got=$("${F[@]}" -c "$QX FROM (SELECT * FROM hive.f.duck_json UNION ALL SELECT * FROM hive.f.duck_jsonzst) u" 2>&1)
same ferry_reads_duckdb_json_and_zst "$got" "$WANTX"
same json_missing_key_is_null "$("${F[@]}" -c "SELECT count(missing) FROM hive.f.duck_json")" "0"

# --- TEXTFILE values Hive cannot parse read as NULL; corrupt files fail naming the file ----------
mkdir -p "$EXT/typed" "$EXT/badjson" "$EXT/badcsv" "$EXT/badutf8"
printf '1\x01x\x012020-01-01\n\x01ok\x01not a date\nabc\x01\\N\x012020-02-30\n' >"$EXT/typed/f"
"${FE[@]}" -c "CREATE TABLE hive.f.typed (n integer, s varchar, d date) WITH (format = 'TEXTFILE', external_location = '$EXT/typed')" >/dev/null 2>&1
same textfile_unparsable_is_null "$("${F[@]}" -c "SELECT coalesce(n, -1), coalesce(s, '<null>'), coalesce(CAST(d AS varchar), '<null>') FROM hive.f.typed ORDER BY 1, 2" 2>&1)" \
  "-1|<null>|<null>
-1|ok|<null>
1|x|2020-01-01"
printf '{"a": 1}\n{"a": 2,\n' >"$EXT/badjson/broken.json"
"${FE[@]}" -c "CREATE TABLE hive.f.badjson (a bigint) WITH (format = 'JSON', external_location = '$EXT/badjson')" >/dev/null 2>&1
got=$("${F[@]}" -c "SELECT sum(a) FROM hive.f.badjson" 2>&1)
[[ $got == *22P02* || $got == *broken.json*line\ 2* ]]
report corrupt_json_names_file $? "$got"
printf 'a,b\n"open,b\nmore\n' >"$EXT/badcsv/open.csv"
"${FE[@]}" -c "CREATE TABLE hive.f.badcsv (a varchar, b varchar) WITH (format = 'CSV', external_location = '$EXT/badcsv')" >/dev/null 2>&1
got=$("${F[@]}" -c "SELECT count(*) FROM hive.f.badcsv" 2>&1)
[[ $got == *unterminated*open.csv* || $got == *open.csv*unterminated* ]]
report unterminated_csv_quote_names_file $? "$got"
printf 'ok\nbad \xff byte\n' >"$EXT/badutf8/x.txt"
"${FE[@]}" -c "CREATE TABLE hive.f.badutf8 (s varchar) WITH (format = 'TEXTFILE', external_location = '$EXT/badutf8')" >/dev/null 2>&1
got=$("${F[@]}" -c "SELECT count(s) FROM hive.f.badutf8" 2>&1)
[[ $got == *x.txt*UTF8* ]]
report invalid_utf8_names_file $? "$got"

"${F[@]}" -c "SELECT 1" >/dev/null 2>&1
report ferry_still_up $?
exit $failed
