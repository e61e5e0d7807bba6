#!/usr/bin/env bash
# psql against the catalog emulation, as a user types it: \conninfo, \l, \dn, \dt in the
# connection's catalog and in another one (the database name is the catalog), \x with a
# catalog query, \d's queries through psql -E, and \d / \d+ of tables of every kind of
# catalog compared with psql's output for the same tables in the harness's PostgreSQL.
# Each other output is compared with what it must contain; a crash or a wrong line fails.
set -euo pipefail
port=${FERRY_PORT:?}
fail=0
run() { psql -X -h 127.0.0.1 -p "$port" -U admin "$@" 2>&1; }
expect() { # expect WHAT OUTPUT PATTERN...
  local what=$1 out=$2; shift 2
  for p in "$@"; do
    if ! grep -qE -- "$p" <<<"$out"; then
      echo "FAIL $what: no line matching '$p' in:"; sed 's/^/    /' <<<"$out"; fail=1; return
    fi
  done
  echo "ok   $what"
}
expect conninfo "$(run tpch -c '\conninfo')" 'You are connected to database "tpch" as user "admin"'
expect '\l' "$(run tpch -c '\l')" '^ tpch +\| ferry +\| UTF8' '^ tpch_std +\|' '^ system +\|'
expect '\dn' "$(run tpch -c '\dn')" '^ tiny +\| ferry' '^ sf1 +\| ferry' '\(6 rows\)'
out=$(run tpch -c 'SET search_path = tiny' -c '\dt')
expect '\dt tiny' "$out" '^ tiny +\| nation +\| table +\| ferry' '\(8 rows\)'
expect '\dt in tpch_std' "$(run tpch_std -c '\dt tiny.*')" '^ tiny +\| nation +\| table' '\(8 rows\)'
expect '\dt no match' "$(run tpch -c '\dt tiny.no_such*')" 'Did not find any relation named'
out=$(run tpch -c '\x' -c "SELECT relname, relkind FROM pg_class WHERE relname = 'pg_type'")
expect '\x' "$out" 'Expanded display is on' '^relname +\| pg_type' '^relkind +\| r'
# psql -E shows the catalog queries it sends; \d gets through the relation lookup, the
# table's properties and its columns (correlated subqueries per column), pg_policy
# (polroles is oid[]) with ARRAY(SELECT rolname ...), the extended statistics, the
# publications (generate_series in FROM over an outer query's column) and, on a table with
# keys, the foreign keys both ways (pg_partition_ancestors) and the triggers.
out=$(run tpch -E -c 'SET search_path = tiny' -c '\d nation' || true)
expect '\d nation (psql -E)' "$out" 'pg_catalog.pg_get_expr\(d.adbin, d.adrelid, true\)' \
  "pol.polroles = '\{0\}'" 'stxrelid::pg_catalog.regclass' 'pg_catalog.generate_series\(0, '
if grep -q 'ERROR' <<<"$out"; then echo "FAIL \\d nation: an error"; grep ERROR <<<"$out"; fail=1; fi
# array columns carry PostgreSQL's array types (int2vector and oidvector as smallint[] and
# oid[]); a primary key's conkey and indkey hold the key's attnums
out=$(run memory <<'SQL'
CREATE TABLE public.pgcatalog_arr (a integer, b text, c integer PRIMARY KEY);
SELECT c.conkey, i.indkey, i.indclass, p.proargtypes, s.enumvals, current_schemas(true) AS cs,
  cl.reloptions FROM pg_constraint c, pg_index i, pg_proc p, pg_settings s, pg_class cl LIMIT 0 \gdesc
SELECT 'keys ' || c.conkey::text || ' ' || i.indkey::text || ' ' || i.indcollation::text
  || ' ' || (current_schemas(true))[2] || ' ' || array_upper(current_schemas(false), 1)
  FROM pg_constraint c JOIN pg_index i ON i.indrelid = c.conrelid
  WHERE c.conrelid = 'public.pgcatalog_arr'::regclass;
DROP TABLE public.pgcatalog_arr;
SQL
)
expect 'array-typed catalog columns' "$out" '^ conkey +\| smallint\[\]' '^ indkey +\| smallint\[\]' \
  '^ indclass +\| oid\[\]' '^ proargtypes +\| oid\[\]' '^ enumvals +\| text\[\]' \
  '^ cs +\| text\[\]' '^ reloptions +\| text\[\]' '^ keys \{3\} \{3\} \{0\} public 1$'
# a view of the memory catalog: relkind v in pg_class, its text from pg_get_viewdef
out=$(run memory -c 'CREATE VIEW public.pgcatalog_test_v AS SELECT 1 AS x' -c '\dv public.pgcatalog_test*' \
  -c "SELECT pg_get_viewdef('public.pgcatalog_test_v'::regclass) AS def" \
  -c 'DROP VIEW public.pgcatalog_test_v')
expect '\dv in memory' "$out" '^ public +\| pgcatalog_test_v +\| view +\| ferry' '^ *SELECT 1 AS x'
# \d and \d+ of a table of each kind of catalog against psql's output for the same table
# created in the harness's PostgreSQL: tpch (tiny.nation), memory and hive tables and a
# postgresql table with a primary key and foreign keys both ways (read from that same
# PostgreSQL). Only the table title's schema may differ (tpch's is "tiny").
if [[ -n ${ORACLE_PGHOST:-} && -n ${ORACLE_PGPORT:-} ]]; then
  pg() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres -d postgres "$@" 2>&1; }
  shape='(id integer PRIMARY KEY, label varchar(20) NOT NULL, price numeric(10,2), tags text[],
    created timestamp, flag boolean, day date, big bigint, note text, c char(3), r real,
    d double precision, sm smallint, tz timestamptz, b bytea, u uuid, j json, iv interval, tm time)'
  hshape='(id bigint, region varchar(10), amount decimal(12,2), day date, note text, f double precision)'
  setup=$(pg -v ON_ERROR_STOP=1 <<SQL
DROP SCHEMA IF EXISTS ferry_describe CASCADE;
CREATE SCHEMA ferry_describe;
SET search_path = ferry_describe;
CREATE TABLE nation (nationkey bigint NOT NULL, name varchar(25) NOT NULL, regionkey bigint NOT NULL,
  comment varchar(152) NOT NULL);
CREATE TABLE item $shape;
CREATE TABLE sales $hshape;
CREATE TABLE region (id int PRIMARY KEY, name text);
CREATE TABLE city (id bigint PRIMARY KEY, name varchar(40) NOT NULL, region int REFERENCES region,
  pop numeric(12,2), twin bigint REFERENCES city);
SQL
) || { echo "FAIL \\d setup in PostgreSQL: $setup"; fail=1; }
  ferry_setup=$(run memory -q -v ON_ERROR_STOP=1 -c 'CREATE SCHEMA IF NOT EXISTS ferry_describe' \
    -c 'DROP TABLE IF EXISTS ferry_describe.item' -c "CREATE TABLE ferry_describe.item $shape" &&
    run hive -q -v ON_ERROR_STOP=1 -c 'CREATE SCHEMA IF NOT EXISTS ferry_describe' \
    -c 'DROP TABLE IF EXISTS ferry_describe.sales' -c "CREATE TABLE ferry_describe.sales $hshape") ||
    { echo "FAIL \\d setup in Ferry: $ferry_setup"; fail=1; }
  # title: the table name without its schema, unpadded (its centring depends on the length)
  norm() { sed -E 's/^ *Table "[^".]*\.([^"]*)"$/Table "\1"/'; }
  # describe NAME DATABASE SCHEMA TABLE: \d and \d+ in Ferry against PostgreSQL's ferry_describe
  describe() {
    local name=$1 db=$2 schema=$3 table=$4 want got
    want=$(pg -c 'SET search_path = ferry_describe' -c "\\d $table" -c "\\d+ $table" | norm || true)
    got=$(run "$db" -q -c "SET search_path = $schema" -c "\\d $table" -c "\\d+ $table" | norm || true)
    if [[ $want == "$got" && $want == *'Table "'* ]]; then echo "ok   \\d $name"
    else
      echo "FAIL \\d $name (< PostgreSQL, > Ferry):"
      diff <(echo "$want") <(echo "$got") | sed 's/^/    /' || true
      fail=1
    fi
  }
  describe 'tpch tiny.nation' tpch tiny nation
  describe 'memory table with a primary key' memory ferry_describe item
  describe 'hive table' hive ferry_describe sales
  describe 'postgresql table with foreign keys' postgresql ferry_describe city
  describe 'postgresql table referenced by a foreign key' postgresql ferry_describe region
  run memory -c 'DROP TABLE ferry_describe.item' -c 'DROP SCHEMA ferry_describe' >/dev/null || true
  run hive -c 'DROP TABLE ferry_describe.sales' -c 'DROP SCHEMA ferry_describe' >/dev/null || true
  pg -c 'DROP SCHEMA ferry_describe CASCADE' >/dev/null || true
else
  echo "skip \\d against PostgreSQL: no ORACLE_PGHOST/ORACLE_PGPORT"
fi
expect 'server alive' "$(run tpch -Atc 'SELECT 1')" '^1$'
exit $fail
