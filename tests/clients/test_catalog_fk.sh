#!/usr/bin/env bash
# Foreign keys (and primary keys) of the postgresql catalog as pg_catalog and
# information_schema show them: the same catalog queries run against the harness's
# PostgreSQL and against Ferry's emulation of the catalog "postgresql" (which reads the
# remote pg_constraint), and their outputs must be identical. Prints "ok NAME" /
# "FAIL NAME"; exit 1 on any failure. Leaves the shared PostgreSQL as it found it.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
: "${FERRY_PORT:?}" "${ORACLE_PGHOST:?}" "${ORACLE_PGPORT:?}"
WORK=${1:-$(mktemp -d /tmp/ferry-catfk.XXXXXX)}/catalog_fk
mkdir -p "$WORK"
export PGCONNECT_TIMEOUT=10
fails=0
ferry() { psql -X -q -A -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d postgresql "$@"; }
pg() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -A -v ON_ERROR_STOP=1 -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres -d postgres "$@"; }
cleanup() { pg -c 'DROP SCHEMA IF EXISTS ferry_fk CASCADE' -c 'DROP SCHEMA IF EXISTS ferry_fk2 CASCADE' >/dev/null 2>&1; }
trap cleanup EXIT

pg >/dev/null <<'SQL' || { echo "FAIL setup"; exit 1; }
DROP SCHEMA IF EXISTS ferry_fk CASCADE;
DROP SCHEMA IF EXISTS ferry_fk2 CASCADE;
CREATE SCHEMA ferry_fk;
CREATE SCHEMA ferry_fk2;
CREATE TABLE ferry_fk2.region (id int PRIMARY KEY, name text);
CREATE TABLE ferry_fk.parent (b int, a int, label text, PRIMARY KEY (a, b));
CREATE TABLE ferry_fk.coded (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE ferry_fk.child (
  id bigint PRIMARY KEY,
  pa int, pb int, region int, code text, "Mixed Case" int,
  CONSTRAINT child_parent_fk FOREIGN KEY (pb, pa) REFERENCES ferry_fk.parent (b, a)
    MATCH FULL ON UPDATE SET NULL ON DELETE CASCADE,
  FOREIGN KEY (region) REFERENCES ferry_fk2.region ON DELETE RESTRICT,
  FOREIGN KEY (code) REFERENCES ferry_fk.coded (code) ON UPDATE CASCADE ON DELETE SET DEFAULT,
  FOREIGN KEY ("Mixed Case") REFERENCES ferry_fk.child (id));
SQL

# compare NAME SQL...: the statements' output in PostgreSQL and in Ferry must match.
compare() {
  local name=$1; shift
  local args=()
  for q in "$@"; do args+=(-c "$q"); done
  pg "${args[@]}" >"$WORK/$name.pg" 2>&1
  ferry "${args[@]}" >"$WORK/$name.ferry" 2>&1
  if [[ -s $WORK/$name.pg ]] && cmp -s "$WORK/$name.pg" "$WORK/$name.ferry"; then echo "ok $name"
  else echo "FAIL $name"; diff "$WORK/$name.pg" "$WORK/$name.ferry" | head -20 | sed 's/^/    /'; fails=$((fails + 1)); fi
}

compare pg_constraint \
  "SELECT conname, contype, conrelid::regclass, confrelid::regclass, confupdtype, confdeltype,
          confmatchtype, conkey::text, confkey::text, pg_get_constraintdef(oid)
   FROM pg_catalog.pg_constraint WHERE connamespace = 'ferry_fk'::regnamespace
   AND contype IN ('p', 'f') ORDER BY conname"
# pgjdbc's and psql's way in: the constraints of one table by conrelid
compare pg_constraint-conrelid \
  "SET search_path = ferry_fk, public" \
  "SELECT conname, pg_catalog.pg_get_constraintdef(r.oid, true) AS condef
   FROM pg_catalog.pg_constraint r
   WHERE r.conrelid = 'ferry_fk.child'::regclass AND r.contype = 'f' ORDER BY 1"
# psql's \d "Referenced by": keys of other tables that point at parent
compare referenced-by \
  "SELECT conname, conrelid::pg_catalog.regclass AS ontable
   FROM pg_catalog.pg_constraint c
   WHERE confrelid = 'ferry_fk.parent'::regclass AND contype = 'f' ORDER BY conname"
compare referential_constraints \
  "SELECT constraint_schema, constraint_name, unique_constraint_schema, unique_constraint_name,
          match_option, update_rule, delete_rule
   FROM information_schema.referential_constraints
   WHERE constraint_schema = 'ferry_fk' AND constraint_name <> 'child_code_fkey'
   ORDER BY constraint_name"
compare key_column_usage \
  "SELECT constraint_schema, constraint_name, table_schema, table_name, column_name,
          ordinal_position, position_in_unique_constraint
   FROM information_schema.key_column_usage
   WHERE table_schema = 'ferry_fk' AND constraint_name <> 'coded_code_key'
   ORDER BY constraint_name, ordinal_position"
compare table_constraints \
  "SELECT constraint_schema, constraint_name, table_name, constraint_type, is_deferrable,
          initially_deferred, enforced
   FROM information_schema.table_constraints
   WHERE table_schema = 'ferry_fk' AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')
   ORDER BY constraint_name"
compare constraint_column_usage \
  "SELECT table_schema, table_name, column_name, constraint_schema, constraint_name
   FROM information_schema.constraint_column_usage
   WHERE constraint_schema = 'ferry_fk' AND constraint_name <> 'coded_code_key'
   ORDER BY constraint_name, table_name, column_name"

# A key referencing a UNIQUE constraint: Ferry shows no UNIQUE constraints, so there is
# no unique constraint to name, but the rules and the key columns' positions are there.
ferry -c "SELECT unique_constraint_name IS NULL, update_rule, delete_rule
          FROM information_schema.referential_constraints
          WHERE constraint_name = 'child_code_fkey'" >"$WORK/unique-ref" 2>&1
if grep -qx 't|CASCADE|SET DEFAULT' "$WORK/unique-ref"; then echo "ok unique-ref"
else echo "FAIL unique-ref"; sed 's/^/    /' "$WORK/unique-ref"; fails=$((fails + 1)); fi
((fails == 0))
