#!/usr/bin/env bash
# Regenerates psycopg2.sql and node-pg.sql: what psycopg2 (Debian python3-psycopg2) and
# node-postgres (npm pg, the top-level package.json) send when an application connects,
# runs one query and closes (psycopg2 opens its transaction with BEGIN and commits), from
# the statement log of a throwaway PostgreSQL 15. Neither reads a catalog at connect time;
# the files keep that checked. Replayed through psql (both use the simple protocol here).
. "$(dirname "$0")/capture-lib.sh"
capture_log_on
here=tests/clients/catalog-replay
/usr/bin/python3 - "$PG_PORT" <<'PY'
import sys, psycopg2
c = psycopg2.connect(host='127.0.0.1', port=int(sys.argv[1]), user='postgres', dbname='postgres',
                     application_name='ferry-capture-psycopg2')
cur = c.cursor()
cur.execute('SELECT 1')
cur.fetchall()
c.commit()
c.close()
PY
NODE_PATH=$PWD/node_modules node -e '
const { Client } = require("pg");
const c = new Client({ host: "127.0.0.1", port: +process.argv[1], user: "postgres",
                       database: "postgres", application_name: "ferry-capture-node" });
c.connect().then(() => c.query("SELECT 1")).then(() => c.end())
  .catch((e) => { console.error(e); process.exit(1); });' "$PG_PORT"
sleep 1
for tool in psycopg2 node-pg; do
  app=ferry-capture-${tool%-pg}
  {
    echo "-- $tool: connect, SELECT 1, close; captured by capture-drivers.sh from a PostgreSQL 15"
    echo "-- statement log (log_statement = all)"
    /usr/bin/python3 "$here/capture-log.py" "$TMP/pg/pg.log" "$app"
  } >"$here/$tool.sql"
  echo "wrote $here/$tool.sql ($(grep -c '^-- next$' "$here/$tool.sql") statements)"
done
