# shellcheck shell=bash
# Sourced by the capture-*.sh scripts: a throwaway PostgreSQL 15 (stopped on exit) holding
# the objects test_catalog_replay.sh creates in Ferry (a table with a primary key and a NOT
# NULL column, a table with a foreign key to it, a view), and q to run psql on it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
. scripts/lib.sh
TMP=$(mktemp -d /tmp/ferry-capture.XXXXXX); chmod 755 "$TMP"
trap 'harness_pg_stop; rm -rf "$TMP"' EXIT
harness_pg_start "$TMP/pg"
q() { psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }
q -c 'CREATE TABLE replay_t (a integer PRIMARY KEY, b text NOT NULL, c numeric(10,2))' \
  -c 'CREATE TABLE replay_child (id integer PRIMARY KEY, t_a integer REFERENCES replay_t (a))' \
  -c 'CREATE VIEW replay_v AS SELECT a, b FROM replay_t'
# capture_log_on: log every statement with the application name first (capture-log.py).
capture_log_on() {
  q -c "ALTER SYSTEM SET log_statement = 'all'" -c "ALTER SYSTEM SET log_line_prefix = '<%a> '" \
    -c 'SELECT pg_reload_conf()' >/dev/null
  sleep 1
}
