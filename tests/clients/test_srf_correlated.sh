#!/usr/bin/env bash
# Set-returning functions over an outer query's columns in correlated subqueries (psql's \d
# footers' shapes) over tables: the same tables created in Ferry's memory catalog and in the
# harness's PostgreSQL, the same queries through psql on both, and the outputs must be
# identical; then over the remote tables themselves through the postgresql catalog.
# Prints "ok NAME" / "FAIL NAME"; exit 1 on any failure. Leaves both servers as it found them.
set -uo pipefail
: "${FERRY_PORT:?}" "${ORACLE_PGHOST:?}" "${ORACLE_PGPORT:?}"
WORK=${1:-$(mktemp -d /tmp/ferry-srfcorr.XXXXXX)}/srf_correlated
mkdir -p "$WORK" || exit 1
ferry() { psql -X -q -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d memory "$@"; }
pg() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres -d postgres "$@"; }
drop='DROP TABLE IF EXISTS srfc.t; DROP TABLE IF EXISTS srfc.names; DROP SCHEMA IF EXISTS srfc'
cleanup() {
  ferry -c 'DROP TABLE IF EXISTS srfc.t' -c 'DROP TABLE IF EXISTS srfc.names' -c 'DROP SCHEMA IF EXISTS srfc' >/dev/null 2>&1
  pg -c "$drop" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup

setup="CREATE SCHEMA srfc;
CREATE TABLE srfc.t (id integer PRIMARY KEY, lo integer, hi integer, a integer[], opts text[]);
CREATE TABLE srfc.names (num integer, name text);
INSERT INTO srfc.t VALUES (1, 1, 3, ARRAY[10, 20, 30], ARRAY['x', 'y']), (2, 5, 4, ARRAY[]::integer[], NULL),
  (3, NULL, 2, NULL, ARRAY['z']), (4, 2, 2, ARRAY[5, NULL], ARRAY[]::text[]), (5, 1, 3, ARRAY[10, 20, 30], NULL);
INSERT INTO srfc.names VALUES (1, 'one'), (2, 'two'), (3, 'three'), (5, 'five'), (20, 'twenty');"
pg -v ON_ERROR_STOP=1 -c "$setup" >/dev/null || { echo "FAIL setup in PostgreSQL"; exit 1; }
# Ferry's memory catalog: one statement at a time
while IFS= read -r -d ';' stmt; do
  [[ -n ${stmt//[$' \n']/} ]] || continue
  ferry -v ON_ERROR_STOP=1 -c "$stmt" >/dev/null || { echo "FAIL setup in Ferry: $stmt"; exit 1; }
done <<<"$setup;"

queries=(
  "SELECT id, (SELECT sum(s) FROM generate_series(t.lo, t.hi) s) AS total,
     (SELECT count(*) FROM generate_series(t.lo, t.hi) s) AS n FROM srfc.t ORDER BY id"
  "SELECT id, (SELECT string_agg(name, ',' ORDER BY num) FROM generate_series(t.lo, t.hi) s, srfc.names
     WHERE names.num = s) AS picked FROM srfc.t ORDER BY id"
  "SELECT id, (SELECT string_agg(name, ', ' ORDER BY name) FROM generate_series(1, array_upper(t.a, 1)) s,
     srfc.names WHERE num = t.a[s]) AS cols FROM srfc.t ORDER BY id"
  "SELECT id, (SELECT max(x) FROM unnest(t.a) x) AS m, (SELECT count(*) FROM unnest(t.a) x) AS n FROM srfc.t ORDER BY id"
  "SELECT id, (SELECT x FROM unnest(t.a) WITH ORDINALITY AS u(x, i) ORDER BY i DESC LIMIT 1) AS last FROM srfc.t ORDER BY id"
  "SELECT id, array_to_string(ARRAY['fillfactor=70'] || array(SELECT 'toast.' || x FROM unnest(t.opts) x), ', ') AS o
     FROM srfc.t ORDER BY id"
  "SELECT id FROM srfc.t WHERE EXISTS (SELECT 1 FROM unnest(t.a) x WHERE x > 15) ORDER BY id"
  "SELECT id, 20 IN (SELECT x FROM unnest(t.a) x) AS has20, NOT EXISTS (SELECT FROM unnest(t.opts)) AS none
     FROM srfc.t ORDER BY id"
  "SELECT t.id, u.x, u.i FROM srfc.t, LATERAL (SELECT x, i FROM unnest(t.a) WITH ORDINALITY AS u(x, i) WHERE x > 10) u
     ORDER BY 1, 3"
)
# run NAME CATALOG_PREFIX: every query in Ferry (tables under the prefix) against PostgreSQL
fails=0
run() {
  local name=$1 prefix=$2 i=0 q
  for q in "${queries[@]}"; do
    i=$((i + 1))
    pg -c "$q" >"$WORK/$name-$i.pg" 2>&1
    ferry -c "${q//srfc./$prefix}" >"$WORK/$name-$i.ferry" 2>&1
    if [[ -s $WORK/$name-$i.pg ]] && ! grep -q ERROR "$WORK/$name-$i.pg" &&
       cmp -s "$WORK/$name-$i.pg" "$WORK/$name-$i.ferry"; then echo "ok $name/$i"
    else
      echo "FAIL $name/$i: $q"
      diff "$WORK/$name-$i.pg" "$WORK/$name-$i.ferry" | head -12 | sed 's/^/    /'
      fails=$((fails + 1))
    fi
  done
}
run memory srfc.
run postgresql postgresql.srfc.
echo "$fails failed"
((fails == 0))
