#!/usr/bin/env bash
# information_schema and the relation kinds of a postgresql catalog against PostgreSQL 15
# itself: the same tables (keys, a comment, a view, a materialized view, a partitioned
# table) are created in the harness's PostgreSQL, then each information_schema view's
# column list (\gdesc: names and the types PostgreSQL sends for its domains) and its rows
# for those tables are read from PostgreSQL and through Ferry's catalog "postgresql", as
# are the pg_class, pg_attribute, pg_views, pg_matviews and pg_tables rows. Outputs must be
# identical once the catalog name (postgres / postgresql) and the owning role (postgres /
# ferry) are replaced by one placeholder. Prints "ok NAME" / "FAIL NAME"; exit 1 on any
# failure. Leaves the shared PostgreSQL as it found it.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
: "${FERRY_PORT:?}" "${ORACLE_PGHOST:?}" "${ORACLE_PGPORT:?}"
WORK=${1:-$(mktemp -d /tmp/ferry-infos.XXXXXX)}/information_schema
mkdir -p "$WORK"
export PGCONNECT_TIMEOUT=10
fails=0
TAB=$'\t'
ferry() { psql -X -q -A -F "$TAB" -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d postgresql "$@"; }
pg() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -A -F "$TAB" -v ON_ERROR_STOP=1 -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres -d postgres "$@"; }
cleanup() { pg -c 'DROP SCHEMA IF EXISTS ferry_is CASCADE' >/dev/null 2>&1; }
trap cleanup EXIT

pg >/dev/null <<'SQL' || { echo "FAIL setup"; exit 1; }
DROP SCHEMA IF EXISTS ferry_is CASCADE;
CREATE SCHEMA ferry_is;
CREATE TABLE ferry_is.region (id integer PRIMARY KEY, name varchar(25) NOT NULL, note text);
COMMENT ON COLUMN ferry_is.region.name IS 'region name';
CREATE TABLE ferry_is.kinds (
  k1 smallint, k2 bigint,
  c_int integer, c_num numeric(12,2), c_numu numeric, c_real real, c_dbl double precision,
  c_bool boolean, c_text text, c_vc varchar(40), c_vcu varchar, c_ch char(3),
  c_date date, c_time time, c_ts timestamp, c_tstz timestamptz, c_iv interval,
  c_uuid uuid, c_json json, c_jsonb jsonb, c_bytea bytea, c_ints integer[], c_texts text[],
  c_vcs varchar(10)[], c_nums numeric(8,3)[],
  region integer NOT NULL REFERENCES ferry_is.region (id) ON DELETE CASCADE,
  PRIMARY KEY (k2, k1));
-- not updatable (a join and an aggregate): PostgreSQL says NO as Ferry does
CREATE VIEW ferry_is.region_counts AS
  SELECT r.name, count(*) AS n FROM ferry_is.region r JOIN ferry_is.kinds k ON k.region = r.id
  GROUP BY r.name;
CREATE MATERIALIZED VIEW ferry_is.region_names AS SELECT id, name FROM ferry_is.region;
CREATE TABLE ferry_is.events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
SQL

# norm CATALOG ROLE: the catalog's and the role's name (whole fields) become <catalog>.
norm() { awk -F "$TAB" -v OFS="$TAB" -v c="$1" -v r="$2" \
  '{ for (i = 1; i <= NF; i++) if ($i == c || $i == r) $i = "<catalog>"; print }'; }

# compare NAME STATEMENT...: the statements' output in PostgreSQL and in Ferry must match.
# Each statement is a line of a psql script (";" is added unless it ends in \gdesc); an
# ERROR in PostgreSQL's output fails the test unless NAME ends in "-error".
compare() {
  local name=$1; shift
  local script=$WORK/$name.sql q
  : >"$script"
  for q in "$@"; do
    if [[ $q == *'\gdesc' ]]; then printf '%s\n' "$q"; else printf '%s;\n' "$q"; fi >>"$script"
  done
  # time_stamp is timestamp(2) with time zone; Ferry's timestamptz has no precision modifier
  pg -f "$script" 2>&1 | norm postgres postgres |
    sed 's/timestamp(2) with time zone/timestamp with time zone/' >"$WORK/$name.pg"
  ferry -f "$script" 2>&1 | norm postgresql ferry >"$WORK/$name.ferry"
  if [[ $name != *-error ]] && grep -q 'ERROR' "$WORK/$name.pg"; then
    echo "FAIL $name (PostgreSQL: $(grep -m1 ERROR "$WORK/$name.pg"))"; fails=$((fails + 1))
  elif [[ -s $WORK/$name.pg ]] && cmp -s "$WORK/$name.pg" "$WORK/$name.ferry"; then echo "ok $name"
  else echo "FAIL $name"; diff "$WORK/$name.pg" "$WORK/$name.ferry" | head -20 | sed 's/^/    /'; fails=$((fails + 1)); fi
}

# view, the filter on its rows for the test tables, the order of those rows
views=(
  "schemata|schema_name = 'ferry_is'|1"
  "tables|table_schema = 'ferry_is'|table_name"
  "columns|table_schema = 'ferry_is'|table_name, ordinal_position"
  "views|table_schema = 'ferry_is'|table_name"
  # NOT NULL columns' CHECK constraints: below (their names hold OIDs)
  "table_constraints|table_schema = 'ferry_is' AND constraint_type <> 'CHECK'|constraint_name"
  "key_column_usage|table_schema = 'ferry_is'|constraint_name, ordinal_position"
  "referential_constraints|constraint_schema = 'ferry_is'|constraint_name"
  "constraint_column_usage|constraint_schema = 'ferry_is'|constraint_name, column_name"
  # Ferry's routines are the type I/O functions (PostgreSQL's OIDs) and a few built-ins
  "routines|routine_name IN ('int4in', 'array_in', 'varcharin', 'numeric_out', 'textsend', 'date_recv')|specific_name"
)
for v in "${views[@]}"; do
  IFS='|' read -r view where order <<<"$v"
  compare "$view-columns" "SELECT * FROM information_schema.$view LIMIT 0 \\gdesc"
  compare "$view-rows" "SELECT * FROM information_schema.$view WHERE $where ORDER BY $order"
done
# NOT NULL columns as CHECK constraints: their names hold the schema's and table's OIDs
compare table_constraints-not-null \
  "SELECT regexp_replace(constraint_name, '^[0-9]+_[0-9]+_', ''), table_name, constraint_type,
          split_part(constraint_name, '_', 1)::oid = 'ferry_is'::regnamespace,
          split_part(constraint_name, '_', 2)::oid = (table_schema || '.' || table_name)::regclass
   FROM information_schema.table_constraints
   WHERE table_schema = 'ferry_is' AND constraint_type = 'CHECK' ORDER BY 2, 1"

# relation kinds: views 'v', materialized views 'm', partitioned tables 'p'
compare pg_class \
  "SELECT relname, relkind, relam, relfilenode <> 0, relhasrules, relreplident, relispopulated,
          relhasindex, relnatts, relpersistence, relchecks, relowner::regrole
   FROM pg_catalog.pg_class WHERE relnamespace = 'ferry_is'::regnamespace ORDER BY relname"
compare pg_views "SELECT * FROM pg_catalog.pg_views WHERE schemaname = 'ferry_is' ORDER BY viewname"
compare pg_matviews "SELECT * FROM pg_catalog.pg_matviews WHERE schemaname = 'ferry_is'"
# not hastriggers: PostgreSQL's foreign keys are triggers (pg_trigger), Ferry has none
compare pg_tables \
  "SELECT schemaname, tablename, tableowner, tablespace, hasindexes, hasrules, rowsecurity
   FROM pg_catalog.pg_tables WHERE schemaname = 'ferry_is' ORDER BY tablename"
compare pg_get_viewdef \
  "SELECT pg_catalog.pg_get_viewdef('ferry_is.region_counts'::regclass),
          pg_catalog.pg_get_viewdef('ferry_is.region_names'::regclass, true)"
compare pg_attribute \
  "SELECT attrelid::regclass, attname, atttypid::regtype, attlen, attnum, attndims, atttypmod,
          attbyval, attalign, attstorage, attnotnull, attcollation, format_type(atttypid, atttypmod)
   FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
   WHERE c.relnamespace = 'ferry_is'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
   AND a.attnum > 0 ORDER BY c.relname, a.attnum"
compare pg_description \
  "SELECT objsubid, description FROM pg_catalog.pg_description
   WHERE objoid = 'ferry_is.region'::regclass ORDER BY objsubid"
# index relations by name (regclass input through search_path) and back
compare regclass-index \
  "SET search_path = ferry_is, public" \
  "SELECT 'region_pkey'::regclass, 'ferry_is.kinds_pkey'::regclass::oid = c.oid, c.relkind
   FROM pg_catalog.pg_class c WHERE c.relname = 'kinds_pkey'" \
  "SELECT indexrelid::regclass, indrelid::regclass FROM pg_catalog.pg_index
   WHERE indrelid IN ('ferry_is.region'::regclass, 'ferry_is.kinds'::regclass) ORDER BY indexrelid::regclass::text"
compare regclass-index-missing-error "SELECT 'ferry_is.nosuch_pkey'::regclass"
((fails == 0))
