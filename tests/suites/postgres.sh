#!/usr/bin/env bash
# Ferry: the postgresql connector against a real PostgreSQL 15 that this suite starts
# (and always stops) on a free port. Usage: tests/suites/postgres.sh BUILDDIR TMPDIR.
# Prints "ok NAME" / "FAIL NAME" per test; exit 77 (last line says why) without PG 15.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${1:?usage: tests/suites/postgres.sh BUILDDIR TMPDIR}
TMP=${2:?usage: tests/suites/postgres.sh BUILDDIR TMPDIR}
. scripts/lib.sh

if [[ ! -x $PGBIN/initdb || ! -x $PGBIN/pg_ctl || ! -x $PGBIN/psql ]]; then
  echo "PostgreSQL 15 binaries not found in $PGBIN"
  exit 77
fi
BIN=$BUILD/tests/test_postgres_live
if [[ ! -x $BIN ]]; then
  make --no-print-directory BUILD="$BUILD" "$BIN" >"$TMP/build.log" 2>&1 || {
    cat "$TMP/build.log"; echo "FAIL build test_postgres_live"; exit 1; }
fi

mkdir -p "$TMP"
chmod 755 "$TMP"
PG_DIR=
trap 'harness_pg_stop' EXIT
harness_pg_start "$TMP/pg" || { echo "FAIL start postgresql"; exit 1; }
as=()
[[ $(id -u) -eq 0 ]] && as=(runuser -u postgres --)
psql_do() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }

psql_do -d postgres -c "CREATE DATABASE ferrytest" -c "ALTER SYSTEM SET log_statement = 'all'" \
  -c "CREATE ROLE pwuser LOGIN PASSWORD 'right''pw\\'" -c "SELECT pg_reload_conf()" >/dev/null \
  || { echo "FAIL create database"; exit 1; }
# pwuser must give a password (trust for everyone else)
sed -i '1i host all pwuser 127.0.0.1/32 scram-sha-256' "$TMP/pg/data/pg_hba.conf"
psql_do -d postgres -c "SELECT pg_reload_conf()" >/dev/null

psql_do -d ferrytest >"$TMP/setup.log" 2>&1 <<'SQL' || { cat "$TMP/setup.log"; echo "FAIL create test data"; exit 1; }
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE DOMAIN posint AS int4 CHECK (VALUE > 0);
CREATE TABLE alltypes (
  id int4 PRIMARY KEY, i2 int2, i8 int8, n numeric(12,2), nu numeric, nw numeric(30,5),
  f4 real, f8 double precision, t text, vc varchar(10), c char(5), b boolean, d date,
  tm time, ts timestamp, tstz timestamptz, iv interval, u uuid, j json, jb jsonb, "by" bytea,
  pt point, e mood, dom posint);
COMMENT ON COLUMN alltypes.i2 IS 'small one';
INSERT INTO alltypes VALUES
 (1, -32768, 9223372036854775807, -1234567890.12, 3.1415926, 1234567890123456789012345.12345,
  1.5, -2.25e100, E'h\u00e9llo ''w'' \\ "x"', 'short', 'ab', true, '2024-02-29',
  '13:14:15.5', '2024-02-29 23:59:59.123456', '2024-01-01 12:00:00+02', '1 year 2 mons 3 days 04:00:00',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{"k":"v"}', '\x0001ff', '(1,2)', 'happy', 7),
 (2, 1, 2, 0.05, 0, 0, 0, 0, '', '', '', false, '1970-01-01', '00:00', '1999-12-31 23:59:59',
  '2000-01-01 00:00:00+00', '-1 days', '00000000-0000-0000-0000-000000000000', '[]', '[]', '', '(0,0)', 'sad', 1),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE "a""b" ("we""ird" text, v int);
INSERT INTO "a""b" VALUES ('it''s', 1), (E'back\\slash', 2), (E'both\\'' OR 1=1 --', 3),
  ('''; DROP TABLE big; --', 4);
CREATE TABLE big AS SELECT g::int8 AS id, (g % 100)::int4 AS k, md5(g::text) AS s
  FROM generate_series(1, 200000) g;
ANALYZE big;
CREATE VIEW v_big AS SELECT id, k FROM big WHERE id <= 1000;
CREATE MATERIALIZED VIEW mv AS SELECT k, count(*) AS c FROM big GROUP BY k;
CREATE VIEW v_slow AS SELECT g AS id, repeat('x', 200) || pg_sleep(0.005)::text AS z FROM generate_series(1, 2000) g;
CREATE VIEW v_err AS SELECT 1 / (id - id) AS x FROM big;
CREATE TABLE coll (t_c text COLLATE "C", t_icu text COLLATE "und-x-icu", j json, "by" bytea);
INSERT INTO coll VALUES ('a', 'a', '{}', ''), ('b', 'b', '{}', ''), ('c', 'c', '{}', ''), ('B', 'B', '{}', '');
CREATE SCHEMA other;
CREATE TABLE other.part (id int, r text) PARTITION BY RANGE (id);
CREATE TABLE other.part1 PARTITION OF other.part FOR VALUES FROM (0) TO (100);
CREATE TABLE other.part2 PARTITION OF other.part FOR VALUES FROM (100) TO (1000);
INSERT INTO other.part SELECT g, 'r' || g FROM generate_series(0, 299) g;
CREATE EXTENSION file_fdw;
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
SQL
printf '1,x\n2,y\n3,z\n' >"$TMP/ft.csv"; chmod 644 "$TMP/ft.csv"
psql_do -d ferrytest -c "CREATE FOREIGN TABLE ft (id int, v text) SERVER files OPTIONS (filename '$TMP/ft.csv', format 'csv')" >/dev/null \
  || { echo "FAIL create foreign table"; exit 1; }

ctl=("${as[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg/data" -l "$TMP/pg/pg.log" -w -t 60)
opts="-p $PG_PORT -k $TMP/pg -c listen_addresses=127.0.0.1 -c fsync=off"
export PG_TEST_CONNINFO="jdbc:postgresql://127.0.0.1:$PG_PORT/ferrytest"
export PG_TEST_ADMIN="host=127.0.0.1 port=$PG_PORT user=postgres dbname=ferrytest"
export PG_TEST_LOG=$TMP/pg/pg.log
export PG_TEST_STOP="${ctl[*]} -m fast stop >/dev/null"
export PG_TEST_START="${ctl[*]} -o '$opts' start >/dev/null"

out=$("$BIN" 2>&1); rc=$?
echo "$out" >"$TMP/live.log"
sed -n -E 's/^\[       OK \] (.*)$/ok \1/p; s/^\[  FAILED  \] ([a-z_]+)$/FAIL \1/p; s/^\[  SKIPPED \] ([a-z_]+)$/FAIL \1 (skipped)/p' <<<"$out" | awk '!seen[$0]++'
if ((rc != 0)); then
  grep -E 'error|Error|FAIL|fail' <<<"$out" | head -20 >&2
  exit 1
fi
grep -q '^\[  PASSED  \]' <<<"$out" || exit 1
exit 0
