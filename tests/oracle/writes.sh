#!/usr/bin/env bash
# Ferry write oracle: each writes/*.sql creates, fills, changes and drops its own tables,
# run once in Ferry's memory catalog and once in a fresh PostgreSQL database. psql's
# whole output (rows, command tags, SQLSTATEs of errors) must be identical.
# Prints "ok writes-NAME" / "FAIL writes-NAME".
# Needs FERRY_PORT, ORACLE_PGHOST (socket dir) and ORACLE_PGPORT (set by scripts/check.sh).
set -uo pipefail
cd "$(dirname "$0")" || exit 1
WORK=${1:-$(mktemp -d /tmp/ferry-writes.XXXXXX)}
mkdir -p "$WORK"
: "${FERRY_PORT:?}" "${ORACLE_PGHOST:?}" "${ORACLE_PGPORT:?}"
# VERBOSITY sqlstate: errors compare by SQLSTATE, not by wording
run() { psql -X -v VERBOSITY=sqlstate "$@" 2>&1; }
for f in writes/*.sql; do
  name=writes-$(basename "$f" .sql)
  schema=w_$(basename "$f" .sql)_$$
  db=writes_$$
  psql -X -q -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null || {
    echo "FAIL $name"; echo "    could not create the PostgreSQL database"; continue; }
  # each run starts in an empty schema of its own, first on the search path
  { echo "CREATE SCHEMA $schema;"; echo "SET search_path = $schema;"; cat "$f"
    echo "RESET search_path;"; echo "DROP SCHEMA $schema CASCADE;"; } >"$WORK/$name.sql"
  run -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d memory -f "$WORK/$name.sql" >"$WORK/$name.ferry"
  run -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres -d "$db" -c 'SET client_min_messages = warning' \
      -f "$WORK/$name.sql" | sed '1{/^SET$/d}' >"$WORK/$name.pg"
  psql -X -q -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres -d postgres -c "DROP DATABASE $db" >/dev/null
  if ! grep -q 'INSERT 0' "$WORK/$name.pg"; then
    echo "FAIL $name"; echo "    PostgreSQL did not run the script"; head -5 "$WORK/$name.pg" | sed 's/^/    /'
  elif cmp -s "$WORK/$name.ferry" "$WORK/$name.pg"; then
    echo "ok $name"
  else
    echo "FAIL $name"; diff "$WORK/$name.pg" "$WORK/$name.ferry" | head -30 | sed 's/^/    /'
  fi
done
