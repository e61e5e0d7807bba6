#!/usr/bin/env bash
# Ferry: the postgresql connector's metadata cache and key lookups, against a PostgreSQL 15
# and a Ferry that this suite starts (and always stops). Catalog pgs has metadata.cache-ttl=1s,
# pgl 60s. Checks: DDL and writes through Ferry invalidate the cache at once; a change made
# directly on the server is visible after the TTL (pgs) and not before (pgl); a table dropped
# remotely gives the server's error once, then Ferry's; a missing table is not cached; a point
# query on the primary key is one remote statement (no pg_catalog round trip, no ctid splits).
# Usage: tests/suites/postgres_cache.sh BUILDDIR TMPDIR. Prints "ok NAME" / "FAIL NAME".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${1:?usage: tests/suites/postgres_cache.sh BUILDDIR TMPDIR}
TMP=${2:?usage: tests/suites/postgres_cache.sh BUILDDIR TMPDIR}
. scripts/lib.sh

if [[ ! -x $PGBIN/initdb || ! -x $PGBIN/pg_ctl ]]; then
  echo "PostgreSQL 15 binaries not found in $PGBIN"
  exit 77
fi
[[ -x $BUILD/ferry ]] || { echo "FAIL no $BUILD/ferry"; exit 1; }
mkdir -p "$TMP"
chmod 755 "$TMP"
PG_DIR=
FERRY_PID=
trap 'harness_ferry_stop; harness_pg_stop' EXIT
harness_pg_start "$TMP/pg" || { echo "FAIL start postgresql"; exit 1; }
pg() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }
pg -c "ALTER SYSTEM SET log_statement = 'all'" -c 'SELECT pg_reload_conf()' >/dev/null
pg >/dev/null <<'SQL' || { echo "FAIL setup"; exit 1; }
CREATE SCHEMA s;
CREATE TABLE s.t (a int PRIMARY KEY, b text);
INSERT INTO s.t SELECT i, 'v' || i FROM generate_series(1, 100000) i;
CREATE TABLE s.gone (a int);
ANALYZE;
SQL

ETC=$TMP/etc
mkdir -p "$ETC/catalog"
cp regress/etc/config.properties "$ETC/"
cp regress/etc/catalog/tpch.properties "$ETC/catalog/" # the harness connects to database tpch
for c in pgs:1s pgl:60s; do
  printf '%s\n' connector.name=postgresql "connection-url=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
    connection-user=postgres "metadata.cache-ttl=${c#*:}" postgresql.split-min-pages=1 \
    >"$ETC/catalog/${c%%:*}.properties"
done
harness_ferry_start "$BUILD" "$TMP/ferry.log" "$ETC" || { echo "FAIL start ferry"; exit 1; }

fails=0
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }
ferry() { psql -X -q -At -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch "$@" 2>&1; }
# expect NAME EXPECTED SQL...: the output of the statements equals EXPECTED
expect() {
  local name=$1 want=$2 got
  shift 2
  got=$(ferry "$@")
  if [[ $got == "$want" ]]; then ok "$name"; else fail "$name"; echo "    want: $want"; echo "    got:  $got"; fi
}
cols() { echo "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM $1.information_schema.columns
  WHERE table_schema = 's' AND table_name = '$2'"; }

# --- DDL through Ferry invalidates at once (pgl: a 60 s TTL) ------------------------------
expect read-before 'a,b' -c "$(cols pgl t)" -c 'SELECT 1 FROM pgl.s.t WHERE a = 1 AND b IS NULL'
ferry -c 'CREATE TABLE pgl.s.n AS SELECT a, b FROM pgl.s.t WHERE a <= 3' >/dev/null
expect read-n 'a,b' -c "$(cols pgl n)"
expect drop-create-through-ferry $'3\nx,y,z' -c 'SELECT count(*) FROM pgl.s.n' -c 'DROP TABLE pgl.s.n' \
  -c 'CREATE TABLE pgl.s.n (x bigint, y text, z date)' -c "$(cols pgl n)"
got=$(ferry -c 'DROP TABLE pgl.s.n' -c 'SELECT * FROM pgl.s.n' | head -1)
if [[ $got == 'ERROR:  relation "s.n" does not exist' ]]; then ok drop-through-ferry
else fail drop-through-ferry; echo "    got: $got"; fi

# --- a remote change: not seen within the TTL, seen after it -----------------------------
expect cached-read $'a,b\na,b' -c "$(cols pgs t)" -c "$(cols pgl t)"
pg -c 'ALTER TABLE s.t ADD COLUMN c int DEFAULT 7'
expect remote-alter-cached 'a,b' -c "$(cols pgl t)"
sleep 1.2
expect remote-alter-after-ttl $'a,b,c\n7' -c "$(cols pgs t)" -c 'SELECT c FROM pgs.s.t WHERE a = 5'
# ANALYZE through Ferry invalidates pgl's cache too
expect analyze-through-ferry $'a,b,c\n7' -c 'ANALYZE pgl.s.t' -c "$(cols pgl t)" -c 'SELECT c FROM pgl.s.t WHERE a = 5'
# INSERT through Ferry (into another table) invalidates as well
expect read-gone 'a' -c "$(cols pgl gone)"
pg -c 'ALTER TABLE s.gone ADD COLUMN g int'
expect insert-through-ferry 'a,g' -c "INSERT INTO pgl.s.t (a, b) VALUES (100001, 'x')" -c "$(cols pgl gone)"

# --- a table dropped remotely: the server's error once, then Ferry's ----------------------
pg -c 'DROP TABLE s.gone'
got=$(ferry -c 'SELECT count(*) FROM pgl.s.gone'; ferry -c 'SELECT count(*) FROM pgl.s.gone')
if [[ $(sed -n 1p <<<"$got") == *"catalog 'pgl': relation \"s.gone\" does not exist" &&
      $(sed -n 2p <<<"$got") == 'ERROR:  relation "s.gone" does not exist' ]]; then ok remote-drop
else fail remote-drop; sed 's/^/    /' <<<"$got"; fi

# --- a missing table is not cached (metadata.cache-missing=false) --------------------------
ferry -c 'SELECT * FROM pgl.s.late' >/dev/null
pg -c 'CREATE TABLE s.late (q int)' -c 'INSERT INTO s.late VALUES (42)'
expect missing-not-cached '42' -c 'SELECT q FROM pgl.s.late'

# --- a point query: one COPY, no pg_catalog statement, no ctid range ----------------------
Q='SELECT a, b FROM pgl.s.t WHERE a = 4242'
expect point-warm '4242|v4242' -c "$Q"
lines=$(wc -l <"$TMP/pg/pg.log")
expect point '4242|v4242' -c "$Q"
expect point-in $'7|v7\n8|v8' -c 'SELECT a, b FROM pgl.s.t WHERE a IN (8, 7) ORDER BY a'
sleep 0.3
sent=$(tail -n +"$((lines + 1))" "$TMP/pg/pg.log" | grep -E 'LOG:  (statement|execute)')
if [[ $(grep -c 'COPY' <<<"$sent") -eq 2 ]] && ! grep -q 'pg_catalog\|ctid' <<<"$sent"; then ok point-one-statement
else fail point-one-statement; sed 's/^/    /' <<<"$sent"; fi
# a range on the key still uses ctid splits (split-min-pages=1)
lines=$(wc -l <"$TMP/pg/pg.log")
got=$(ferry -c 'SELECT a, b FROM pgl.s.t WHERE a > 95000 AND a <= 100000' | wc -l)
if [[ $got == 5000 ]]; then ok range; else fail range; echo "    got: $got rows"; fi
sleep 0.3
if tail -n +"$((lines + 1))" "$TMP/pg/pg.log" | grep -q 'ctid'; then ok range-splits
else fail range-splits; fi

exit $((fails > 0))
