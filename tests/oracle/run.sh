#!/usr/bin/env bash
# Ferry oracle test: copies tpch.tiny out of Ferry into a real PostgreSQL 15, runs each
# queries/*.sql in both and compares the sorted output exactly. It must never write
# expected numbers by hand: PostgreSQL is the judge. Prints "ok NAME" / "FAIL NAME".
# Needs FERRY_PORT, ORACLE_PGHOST (socket dir) and ORACLE_PGPORT (set by scripts/check.sh).
set -uo pipefail
cd "$(dirname "$0")" || exit 1
WORK=${1:-$(mktemp -d /tmp/ferry-oracle.XXXXXX)}
mkdir -p "$WORK"
: "${FERRY_PORT:?}" "${ORACLE_PGHOST:?}" "${ORACLE_PGPORT:?}"
ferry() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch "$@"; }
oracle() { psql -X -q -v ON_ERROR_STOP=1 -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres "$@"; }

read -r -a tables <<<"${ORACLE_TABLES:-region nation supplier customer part partsupp orders lineitem}"

# Build the oracle database once per run; the DDL comes from Ferry's own DESCRIBE so the
# column types are Ferry's (Trino spells "double", PostgreSQL "double precision").
oracle -d postgres -c 'DROP DATABASE IF EXISTS tpch' -c 'CREATE DATABASE tpch' >/dev/null || exit 1
oracle -d tpch -c 'CREATE SCHEMA tiny' >/dev/null || exit 1
load_ok=1
for t in "${tables[@]}"; do
  # DESCRIBE first (Trino's form); information_schema as the fallback, so one missing
  # feature does not hide every other oracle result.
  if ! ferry -At -F '|' -c "DESCRIBE tpch.tiny.$t" >"$WORK/$t.desc" 2>"$WORK/$t.err" &&
     ! ferry -At -F '|' -c "SELECT column_name, data_type FROM tpch.information_schema.columns
                            WHERE table_schema = 'tiny' AND table_name = '$t' ORDER BY ordinal_position" \
           >"$WORK/$t.desc" 2>>"$WORK/$t.err"; then
    echo "FAIL load-$t"; sed 's/^/    /' "$WORK/$t.err"; load_ok=0; continue
  fi
  [[ -s $WORK/$t.desc ]] || { echo "FAIL load-$t"; echo "    no columns for tpch.tiny.$t"; load_ok=0; continue; }
  cols=$(awk -F'|' '{ ty = $2; sub(/^double$/, "double precision", ty); sub(/^varchar$/, "text", ty);
                      printf "%s%s %s", (NR > 1 ? ", " : ""), $1, ty }' "$WORK/$t.desc")
  if ferry --csv -c "SELECT * FROM tpch.tiny.$t" >"$WORK/$t.csv" 2>"$WORK/$t.err" &&
     oracle -d tpch -c "CREATE TABLE tiny.$t ($cols)" \
            -c "\\copy tiny.$t FROM '$WORK/$t.csv' WITH (FORMAT csv, HEADER true)" >/dev/null 2>"$WORK/$t.err"; then
    echo "ok load-$t"
  else
    echo "FAIL load-$t"; sed 's/^/    /' "$WORK/$t.err"; load_ok=0
  fi
done
((load_ok)) || { echo "oracle: data did not load; queries not run" >&2; }

for q in queries/*.sql; do
  name=$(basename "$q" .sql)
  ((load_ok)) || { echo "FAIL $name"; continue; }
  # Errors go to separate files: two identical errors must never compare as a pass.
  ferry -At -F '|' -f "$q" >"$WORK/$name.ferry.raw" 2>"$WORK/$name.ferry.err"; frc=$?
  oracle -d tpch -At -F '|' -f "$q" >"$WORK/$name.pg.raw" 2>"$WORK/$name.pg.err"; prc=$?
  LC_ALL=C sort "$WORK/$name.ferry.raw" >"$WORK/$name.ferry"
  LC_ALL=C sort "$WORK/$name.pg.raw" >"$WORK/$name.pg"
  if ((prc != 0)) || ! grep -q . "$WORK/$name.pg"; then
    echo "FAIL $name"; echo "    PostgreSQL failed or returned nothing: the query itself is broken"
    sed 's/^/    /' "$WORK/$name.pg.err" | head -5
  elif ((frc != 0)); then
    echo "FAIL $name"; sed 's/^/    /' "$WORK/$name.ferry.err" | head -5
  elif cmp -s "$WORK/$name.ferry" "$WORK/$name.pg"; then
    echo "ok $name"
  else
    echo "FAIL $name"; diff "$WORK/$name.pg" "$WORK/$name.ferry" | head -20 | sed 's/^/    /'
  fi
done
