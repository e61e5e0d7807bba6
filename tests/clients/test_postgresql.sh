#!/usr/bin/env bash
# The postgresql connector through the whole engine, against the harness's PostgreSQL
# (regress/etc/catalog/postgresql.properties points at ORACLE_PGPORT, db postgres):
# metadata statements, a federated join checked against PostgreSQL itself (oracle),
# WHERE + LIMIT + aggregate pushdown seen in the server log, hostile names and values, and the source
# going down and coming back under one open session. Prints "ok NAME" / "FAIL NAME".
# The harness's PostgreSQL is shared with later tests: it is always running again at exit.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
: "${FERRY_PORT:?}" "${ORACLE_PGHOST:?}" "${ORACLE_PGPORT:?}"
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
WORK=${1:-$(mktemp -d /tmp/ferry-pgconn.XXXXXX)}/postgresql
mkdir -p "$WORK"
export PGCONNECT_TIMEOUT=10
fails=0
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }
ferry() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch "$@"; }
pg() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres -d postgres "$@"; }

as=()
[[ $(id -u) -eq 0 ]] && as=(runuser -u postgres --)
# Same options as scripts/lib.sh's harness_pg_start, so the server comes back identical.
PG_START="${as[*]} $PGBIN/pg_ctl -D $ORACLE_PGHOST/data -l $ORACLE_PGHOST/pg.log -w -t 60 -o '-p $ORACLE_PGPORT -k $ORACLE_PGHOST -c listen_addresses=127.0.0.1 -c fsync=off' start"
PG_STOP="${as[*]} $PGBIN/pg_ctl -D $ORACLE_PGHOST/data -m fast -w -t 60 stop"
pg_running() { "${as[@]}" "$PGBIN/pg_ctl" -D "$ORACLE_PGHOST/data" status >/dev/null 2>&1; }

cleanup() {
  pg_running || eval "$PG_START" >/dev/null 2>&1 || echo "could not restart PostgreSQL" >&2
  pg -c 'ALTER SYSTEM RESET log_statement' -c 'SELECT pg_reload_conf()' >/dev/null 2>&1
  pg -c 'DROP SCHEMA IF EXISTS "a""b" CASCADE' -c 'DROP SCHEMA IF EXISTS ferry_oracle CASCADE' \
     -c 'DROP TABLE IF EXISTS public.products' -c 'DROP TABLE IF EXISTS public.aggx' >/dev/null 2>&1
}
trap cleanup EXIT

# --- data in PostgreSQL ------------------------------------------------------------------
pg >/dev/null <<'SQL' || { echo "FAIL setup"; exit 1; }
DROP TABLE IF EXISTS public.products;
CREATE TABLE public.products (productkey bigint PRIMARY KEY, name text NOT NULL,
  price numeric(10,2), category varchar(20));
INSERT INTO public.products
  SELECT i, 'product ' || i, (i * 37 % 250) + 0.99, CASE WHEN i % 4 = 0 THEN 'tools' ELSE 'toys' END
  FROM generate_series(1, 400) i;
ANALYZE public.products;
DROP TABLE IF EXISTS public.aggx;
CREATE TABLE public.aggx (g varchar(8), q numeric(12,2), p numeric(12,2), i int, f float8);
INSERT INTO public.aggx
  SELECT CASE WHEN k % 7 = 0 THEN NULL ELSE 'g' || k % 3 END, CASE WHEN k % 11 = 0 THEN NULL ELSE (k % 9) / 100.0 END,
    CASE WHEN k % 13 = 0 THEN NULL ELSE k * 3.17 END, CASE WHEN k % 17 = 0 THEN NULL ELSE k % 40 END, k / 3.0
  FROM generate_series(1, 500) k;
DROP SCHEMA IF EXISTS "a""b" CASCADE;
CREATE SCHEMA "a""b";
CREATE TABLE "a""b"."a""b" (id int, v text, "select" int);
INSERT INTO "a""b"."a""b" VALUES (1, 'it''s', 10), (2, 'back\slash', 20), (3, '''\''; --', 30),
  (4, 'plain', 40);
SQL

# --- metadata ----------------------------------------------------------------------------
check_out() { # NAME EXPECTED-FILE ACTUAL-FILE
  if cmp -s "$2" "$3"; then ok "$1"; else fail "$1"; diff "$2" "$3" | head -10 | sed 's/^/    /'; fi
}
ferry -At -c 'SHOW SCHEMAS FROM postgresql' >"$WORK/schemas" 2>&1
if grep -qx 'public' "$WORK/schemas" && grep -qx 'a"b' "$WORK/schemas" &&
   ! grep -qE '^(pg_catalog|information_schema)$' "$WORK/schemas"; then ok show-schemas
else fail show-schemas; sed 's/^/    /' "$WORK/schemas"; fi
ferry -At -c 'SHOW TABLES FROM postgresql.public' >"$WORK/tables" 2>&1
if grep -qx products "$WORK/tables"; then ok show-tables; else fail show-tables; sed 's/^/    /' "$WORK/tables"; fi
ferry -At -F '|' -c 'DESCRIBE postgresql.public.products' >"$WORK/describe" 2>&1
printf '%s\n' 'productkey|bigint||' 'name|text||' 'price|numeric(10,2)||' \
  'category|character varying(20)||' >"$WORK/describe.exp"
check_out describe "$WORK/describe.exp" "$WORK/describe"

# --- federated join: tpch.tiny.orders x PostgreSQL products, oracle = PostgreSQL ----------
pg -c 'DROP SCHEMA IF EXISTS ferry_oracle CASCADE' -c 'CREATE SCHEMA ferry_oracle' \
   -c 'CREATE TABLE ferry_oracle.orders (orderkey bigint, custkey bigint, orderstatus varchar(1),
         totalprice numeric(12,2), orderdate date, orderpriority varchar(15), clerk varchar(15),
         shippriority integer, comment varchar(79))' >/dev/null
if ferry --csv -c 'SELECT * FROM tpch.tiny.orders' >"$WORK/orders.csv" 2>"$WORK/orders.err" &&
   pg -c "\\copy ferry_oracle.orders FROM '$WORK/orders.csv' WITH (FORMAT csv, HEADER true)" \
      >/dev/null 2>>"$WORK/orders.err"; then ok copy-orders
else fail copy-orders; sed 's/^/    /' "$WORK/orders.err"; fi
JOIN="SELECT o.orderkey, o.orderdate, p.name, p.price, o.totalprice * p.price AS value,
       o.totalprice - p.price AS diff
FROM %s o JOIN %s p ON o.custkey = p.productkey
WHERE p.category = 'tools' AND p.price > 100 AND o.orderdate < DATE '1995-01-01'
  AND o.orderstatus = 'F'
ORDER BY value DESC, o.orderkey"
# shellcheck disable=SC2059
ferry -At -F '|' -c "$(printf "$JOIN" tpch.tiny.orders postgresql.public.products)" \
  >"$WORK/join.ferry.raw" 2>"$WORK/join.ferry.err"; frc=$?
# shellcheck disable=SC2059
pg -At -F '|' -c "$(printf "$JOIN" ferry_oracle.orders public.products)" \
  >"$WORK/join.pg.raw" 2>"$WORK/join.pg.err"; prc=$?
LC_ALL=C sort "$WORK/join.ferry.raw" >"$WORK/join.ferry"; LC_ALL=C sort "$WORK/join.pg.raw" >"$WORK/join.pg"
if ((prc != 0)) || [[ $(wc -l <"$WORK/join.pg") -lt 10 ]]; then
  fail federated-join; echo "    PostgreSQL side failed or too few rows"; sed 's/^/    /' "$WORK/join.pg.err"
elif ((frc != 0)); then fail federated-join; sed 's/^/    /' "$WORK/join.ferry.err"
elif cmp -s "$WORK/join.ferry" "$WORK/join.pg" && cmp -s "$WORK/join.ferry.raw" "$WORK/join.pg.raw"; then
  ok "federated-join ($(wc -l <"$WORK/join.pg") rows)"
else fail federated-join; diff "$WORK/join.pg" "$WORK/join.ferry" | head -10 | sed 's/^/    /'; fi

# --- pushdown visible in PostgreSQL's log --------------------------------------------------
pg -c "ALTER SYSTEM SET log_statement = 'all'" -c 'SELECT pg_reload_conf()' >/dev/null
sleep 0.5
mark=$(wc -c <"$ORACLE_PGHOST/pg.log")
Q='SELECT productkey, price FROM postgresql.public.products WHERE price > 100 LIMIT 5'
ferry -At -F '|' -c "$Q" >"$WORK/pushdown" 2>&1
ferry -At -c "EXPLAIN $Q" >"$WORK/pushdown.explain" 2>&1
sleep 0.3
tail -c +"$((mark + 1))" "$ORACLE_PGHOST/pg.log" >"$WORK/pushdown.log"
sent=$(grep -o 'COPY (SELECT .*products.*) TO STDOUT.*' "$WORK/pushdown.log" | head -1)
if [[ $(wc -l <"$WORK/pushdown") -eq 5 ]] && ! awk -F'|' '$2 <= 100 { bad = 1 } END { exit !bad }' "$WORK/pushdown" &&
   [[ $sent == *"WHERE (\"price\" > '100.00'::numeric) LIMIT 5"* ]]; then ok "pushdown-log: $sent"
else
  fail pushdown-log; echo "    sent: ${sent:-nothing}"; sed 's/^/    /' "$WORK/pushdown" | head -8
fi
if grep -q "WHERE (\"price\" > '100.00'::numeric) LIMIT 5" "$WORK/pushdown.explain" &&
   ! grep -q 'Filter\[' "$WORK/pushdown.explain"; then ok pushdown-explain
else fail pushdown-explain; grep -E 'TableScan|Filter' "$WORK/pushdown.explain" | sed 's/^/    /'; fi
# A literal the column cannot hold exactly stays in Ferry (and still gives the right rows).
n_f=$(ferry -At -c 'SELECT count(*) FROM postgresql.public.products WHERE price > 100.001' 2>&1)
n_p=$(pg -At -c 'SELECT count(*) FROM public.products WHERE price > 100.001' 2>&1)
if [[ $n_f == "$n_p" ]]; then ok "inexact-literal ($n_f rows)"; else fail "inexact-literal: ferry $n_f, postgresql $n_p"; fi
# Aggregation: GROUP BY, count/sum/min/max and the WHERE under them run in PostgreSQL
# (one row per group crosses the wire); avg stays in Ferry. Results equal PostgreSQL's own.
agg_check() { # NAME QUERY-WITH-%s EXPECTED-REMOTE-SQL PUSHED(1|0) [TABLE]
  local name=$1 q fq pq sent tab=${5:-products}
  # shellcheck disable=SC2059
  fq=$(printf "$2" "postgresql.public.$tab"); pq=$(printf "$2" "public.$tab")
  mark=$(wc -c <"$ORACLE_PGHOST/pg.log")
  ferry -At -F '|' -c "$fq" >"$WORK/$name.ferry" 2>&1
  ferry -At -c "EXPLAIN $fq" >"$WORK/$name.explain" 2>&1
  pg -At -F '|' -c "$pq" >"$WORK/$name.pg" 2>&1
  sleep 0.3
  tail -c +"$((mark + 1))" "$ORACLE_PGHOST/pg.log" >"$WORK/$name.log"
  sent=$(grep -o "COPY (SELECT .*$tab.*) TO STDOUT" "$WORK/$name.log" | head -1)
  if ! cmp -s "$WORK/$name.ferry" "$WORK/$name.pg" || [[ ! -s $WORK/$name.pg ]]; then
    fail "$name: results differ"; diff "$WORK/$name.pg" "$WORK/$name.ferry" | head -6 | sed 's/^/    /'
  elif [[ $sent != *"$3"* ]]; then fail "$name: sent ${sent:-nothing}"
  elif (($4)) && grep -q 'Aggregate\[' "$WORK/$name.explain"; then fail "$name: Aggregate left in the plan"
  elif (($4)) && ! grep -qF "${3%)}" "$WORK/$name.explain"; then fail "$name: EXPLAIN lacks the remote SQL"
  elif ((!$4)) && ! grep -q 'Aggregate\[' "$WORK/$name.explain"; then fail "$name: aggregate wrongly pushed"
  else ok "$name: $sent"; fi
}
agg_check agg-grouped "SELECT category, count(*), count(price), sum(price), min(price), max(productkey),
  min(category), sum(productkey) FROM %s WHERE productkey > 10 GROUP BY category ORDER BY category" \
  'SELECT "category", count(*), count("price"), sum("price"), min("price"), max("productkey"), min("category"), sum("productkey") FROM "public"."products" WHERE ("productkey" > 10) GROUP BY "category")' 1
agg_check agg-global "SELECT count(*), max(price) FROM %s WHERE price < 50" \
  'SELECT count(*), max("price") FROM "public"."products" WHERE ("price" < '"'50.00'"'::numeric))' 1
# avg of numeric(p,s) and integers: PostgreSQL's quotient at select_div_scale is Ferry's
agg_check agg-avg "SELECT category, avg(price), avg(productkey) FROM %s GROUP BY category ORDER BY 1" \
  'SELECT "category", avg("price"), avg("productkey") FROM "public"."products" GROUP BY "category")' 1
# Aggregates over arithmetic (TPC-H q01 and q06 shapes), NULLs in every column
agg_check agg-expr "SELECT g, sum(q), sum(p * (1 - q)), sum(p * (1 - q) * (1 + q)), avg(q), avg(p * q), count(*)
  FROM %s WHERE i > 2 GROUP BY g ORDER BY g" \
  'SELECT "g", sum("q"), sum(("p" * ('"'1'"'::numeric - "q"))), sum((("p" * ('"'1'"'::numeric - "q")) * ('"'1'"'::numeric + "q"))), avg("q"), avg(("p" * "q")), count(*) FROM "public"."aggx" WHERE ("i" > 2) GROUP BY "g")' 1 aggx
agg_check agg-expr-global "SELECT sum(p * q) FROM %s WHERE q BETWEEN 0.05 AND 0.07 AND i < 24" \
  'SELECT sum(("p" * "q")) FROM "public"."aggx" WHERE' 1 aggx
agg_check agg-int-expr "SELECT sum(i * 2), min(-i), max(i + i), count(i - 1) FROM %s" \
  'SELECT sum(("i" * '"'2'"'::int4)), min((- "i")), max(("i" + "i")), count(("i" - '"'1'"'::int4)) FROM "public"."aggx")' 1 aggx
agg_check agg-count-distinct "SELECT count(DISTINCT g), count(DISTINCT q), count(*) FROM %s" \
  'SELECT count(DISTINCT "g"), count(DISTINCT "q"), count(*) FROM "public"."aggx")' 1 aggx
# Not pushed: a float sum (the order of additions), a function without a translation
agg_check agg-float-sum-stays "SELECT g, sum(f * 2) FROM %s GROUP BY g ORDER BY 1" \
  'SELECT "g", "f" FROM "public"."aggx")' 0 aggx
agg_check agg-function-stays "SELECT sum(abs(q - 0.04)) FROM %s" \
  'SELECT "q" FROM "public"."aggx")' 0 aggx
# A parameter ($1 over the extended protocol, as pgjdbc and psycopg's server-side binds
# send it) reaches the source with its value: pgbench -M extended, one fixed key.
mark=$(wc -c <"$ORACLE_PGHOST/pg.log")
printf '\\set k 4242\nSELECT name FROM postgresql.public.products WHERE productkey = :k;\n' >"$WORK/param.sql"
pgbench -n -h 127.0.0.1 -p "$FERRY_PORT" -U admin -M extended -t 3 -f "$WORK/param.sql" tpch >"$WORK/param.out" 2>&1
prc=$?
sleep 0.3
tail -c +"$((mark + 1))" "$ORACLE_PGHOST/pg.log" >"$WORK/param.log"
sent=$(grep -o 'COPY (SELECT .*products.*) TO STDOUT' "$WORK/param.log" | head -1)
if ((prc == 0)) && grep -q 'number of failed transactions: 0' "$WORK/param.out" &&
   [[ $sent == *'WHERE "productkey" IN (4242)'* ]]; then ok "param-pushdown: $sent"
else fail "param-pushdown: rc $prc, sent ${sent:-nothing}"; tail -3 "$WORK/param.out" | sed 's/^/    /'; fi
pg -c 'ALTER SYSTEM RESET log_statement' -c 'SELECT pg_reload_conf()' >/dev/null

# --- hostile names and values ------------------------------------------------------------
hostile() { # NAME SQL EXPECTED (rows joined by ;)
  local got
  got=$(ferry -At -F '|' -c "$2" 2>&1 | paste -sd ';')
  if [[ $got == "$3" ]]; then ok "hostile-$1"; else fail "hostile-$1"; echo "    got:  $got"; echo "    want: $3"; fi
}
T='postgresql."a""b"."a""b"'
hostile all "SELECT id, v, \"select\" FROM $T ORDER BY id" \
  "1|it's|10;2|back\\slash|20;3|'\\'; --|30;4|plain|40"
hostile quote "SELECT id, \"select\" FROM $T WHERE v = 'it''s'" "1|10"
hostile backslash "SELECT id FROM $T WHERE v = 'back\\slash'" "2"
hostile injection "SELECT id FROM $T WHERE v = '''\\''; --'" "3"
hostile in-list "SELECT id FROM $T WHERE v IN ('it''s', 'plain', 'nope') ORDER BY id" "1;4"
hostile keyword-column "SELECT id FROM $T WHERE \"select\" >= 20 AND \"select\" < 40 ORDER BY id" "2;3"
hostile describe "DESCRIBE $T" "id|integer||;v|text||;select|integer||"

# --- the source goes down and comes back under one session --------------------------------
/usr/bin/python3 - "$FERRY_PORT" "$PG_STOP" "$PG_START" >"$WORK/restart.out" 2>&1 <<'PY'
import subprocess, sys
import psycopg2
port, stop, start = sys.argv[1], sys.argv[2], sys.argv[3]
Q = "SELECT count(*) FROM postgresql.public.products WHERE price > 100"
conn = psycopg2.connect(host="127.0.0.1", port=port, user="admin", dbname="tpch")
conn.autocommit = True
cur = conn.cursor()
def res(name, good, detail=""):
    print(("ok " if good else "FAIL ") + name + (": " + detail if detail else ""), flush=True)
cur.execute(Q); before = cur.fetchone()[0]
res("source-up", before > 0, str(before))
subprocess.run(stop, shell=True, check=True, stdout=subprocess.DEVNULL)
try:
    cur.execute(Q); cur.fetchall()
    res("source-down", False, "query succeeded with PostgreSQL stopped")
except psycopg2.Error as e:
    msg = (e.pgerror or str(e)).strip().splitlines()[0]
    res("source-down", e.pgcode in ("08001", "08006") and "postgresql" in msg, "%s %s" % (e.pgcode, msg))
finally:
    subprocess.run(start, shell=True, check=True, stdout=subprocess.DEVNULL)
cur.execute("SELECT 1"); res("session-alive", cur.fetchone()[0] == 1)
cur.execute(Q); after = cur.fetchone()[0]
res("source-back", after == before, "%s rows" % after)
conn.close()
PY
rc=$?
cat "$WORK/restart.out"
fails=$((fails + $(grep -c '^FAIL' "$WORK/restart.out")))
((rc == 0)) || fail "source-restart script (exit $rc)"
pg_running && pg -At -c 'SELECT 1' >/dev/null 2>&1 || fail "postgresql running at the end"
exit $((fails > 0))
