#!/usr/bin/env bash
# Writes regress/expected/NAME.out by running regress/sql/NAME.sql through pg_regress.
#   gen-expected.sh --postgres NAME...     real PostgreSQL 15 is the source (types)
#   gen-expected.sh --ferry PORT NAME...   a running Ferry is the source; review the diff
#                                          and cross-check with tests/oracle before committing
# Never hand-edit numbers into expected/: regenerate them with this script.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
mode=${1:?usage}; shift
TMP=$(mktemp -d /tmp/ferry-genexp.XXXXXX); chmod 755 "$TMP"
trap 'harness_pg_stop; rm -rf "$TMP"' EXIT
if [[ $mode == --postgres ]]; then
  harness_pg_start "$TMP/pg"
  psql -X -q -h "$TMP/pg" -p "$PG_PORT" -U postgres -d postgres -c 'CREATE DATABASE tpch' -c 'CREATE ROLE admin SUPERUSER LOGIN'
  host=127.0.0.1; port=$PG_PORT
elif [[ $mode == --ferry ]]; then
  host=127.0.0.1; port=${1:?port}; shift
else
  echo "usage: $0 --postgres NAME... | --ferry PORT NAME..." >&2; exit 2
fi
mkdir -p "$TMP/out"
for t in "$@"; do
  # pg_regress sets PGTZ/PGDATESTYLE/PGINTERVALSTYLE itself, as in scripts/check.sh.
  "$PGBIN/../lib/pgxs/src/test/regress/pg_regress" \
    --use-existing --dbname=tpch --user=admin --host="$host" --port="$port" \
    --bindir="$PGBIN" --inputdir=regress --outputdir="$TMP/out" "$t" >/dev/null 2>&1 || true
  cp "$TMP/out/results/$t.out" "regress/expected/$t.out"
  echo "wrote regress/expected/$t.out"
done
