#!/usr/bin/env bash
# Pushdown into the postgresql connector beyond domains, against the harness's PostgreSQL:
# top-N (ORDER BY ... LIMIT/OFFSET), filter expressions (LIKE/ILIKE with escapes, <>, NOT IN,
# IS DISTINCT FROM, OR across columns, two-column comparisons), remote DELETE/UPDATE.
# Each case: Ferry's rows equal PostgreSQL's own answer to the same query (the oracle), the
# statement PostgreSQL logged (log_statement=all) carries the pushed SQL, EXPLAIN shows it,
# and the declined cases leave the work in Ferry. Prints "ok NAME" / "FAIL NAME".
set -uo pipefail
cd "$(dirname "$0")" || exit 1
: "${FERRY_PORT:?}" "${ORACLE_PGHOST:?}" "${ORACLE_PGPORT:?}"
WORK=${1:-$(mktemp -d /tmp/ferry-pgpush.XXXXXX)}/postgresql_pushdown
mkdir -p "$WORK"
export PGCONNECT_TIMEOUT=10
fails=0
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }
ferry() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch "$@"; }
pg() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres -d postgres "$@"; }

cleanup() {
  pg -c 'ALTER SYSTEM RESET log_statement' -c 'SELECT pg_reload_conf()' >/dev/null 2>&1
  pg -c 'DROP SCHEMA IF EXISTS "p""d" CASCADE' >/dev/null 2>&1
}
trap cleanup EXIT

# A table named a"b in a schema named p"d, with quotes, backslashes and LIKE wildcards in
# its values, a column in another (deterministic) collation and NULLs everywhere.
pg >/dev/null <<'SQL' || { echo "FAIL setup"; exit 1; }
DROP SCHEMA IF EXISTS "p""d" CASCADE;
CREATE SCHEMA "p""d";
CREATE TABLE "p""d"."a""b" (id int8 PRIMARY KEY, n int4, s text, d date, m numeric(12,2),
  f float8, c text COLLATE "C", e text COLLATE "und-x-icu", "se""l" int4, r real,
  ch char(5) COLLATE "C", ci char(3) COLLATE "und-x-icu");
INSERT INTO "p""d"."a""b"
  SELECT i, CASE WHEN i % 9 = 0 THEN NULL ELSE i % 7 END,
    CASE WHEN i % 5 = 0 THEN NULL WHEN i % 3 = 0 THEN 'v' || i || '%_\' ELSE 'v' || i || '''x' END,
    date '2020-01-01' + i, i * 1.25, CASE WHEN i % 11 = 0 THEN 'NaN' ELSE i / 3.0 END,
    'C' || (i % 13), CASE WHEN i % 4 = 0 THEN 'c' || (i % 13) ELSE 'E' || (i % 17) END, i % 10,
    CASE WHEN i % 7 = 0 THEN 'NaN' WHEN i % 50 = 1 THEN '-Infinity' WHEN i % 50 = 2 THEN 'Infinity'
      WHEN i % 50 = 3 THEN '-0' ELSE i / 7.0 - 40 END,
    CASE i % 6 WHEN 0 THEN NULL WHEN 1 THEN 'a' WHEN 2 THEN 'a  ' WHEN 3 THEN E'a\t' WHEN 4 THEN '' ELSE 'ab' || (i % 10) END,
    CASE i % 4 WHEN 0 THEN 'x' WHEN 1 THEN 'x ' WHEN 2 THEN 'xy' ELSE NULL END
  FROM generate_series(1, 600) i;
ANALYZE "p""d"."a""b";
-- the other side of joins: aid is mostly an id of a"b (some NULL, some absent there)
CREATE TABLE "p""d"."j""k" (aid int8, "x""y" text, k int4, t text COLLATE "C");
INSERT INTO "p""d"."j""k"
  SELECT CASE WHEN i % 10 = 0 THEN NULL ELSE i * 2 END, 'w' || i || '''"', i % 7,
    CASE WHEN i % 3 = 0 THEN 'c' || i ELSE 'w' || i END
  FROM generate_series(1, 350) i;
ANALYZE "p""d"."j""k";
SQL
pg -c "ALTER SYSTEM SET log_statement = 'all'" -c 'SELECT pg_reload_conf()' >/dev/null
sleep 0.5

# logged NAME CMD...: run CMD; what PostgreSQL logged meanwhile goes to $WORK/NAME.log
logged() {
  local name=$1 mark; shift
  mark=$(wc -c <"$ORACLE_PGHOST/pg.log")
  "$@"
  sleep 0.3
  tail -c +"$((mark + 1))" "$ORACLE_PGHOST/pg.log" >"$WORK/$name.log"
}
# run_three NAME FERRY-QUERY ORACLE-QUERY: rows from both, and Ferry's plan
run_three() {
  ferry -At -F '|' -c "$2" >"$WORK/$1.ferry" 2>&1
  ferry -At -c "EXPLAIN $2" >"$WORK/$1.explain" 2>&1
  pg -At -F '|' -c "$3" >"$WORK/$1.pg" 2>&1
}
# check NAME QUERY-WITH-@T EXPECTED-REMOTE-FRAGMENT(or -) PLAN-MUST-NOT-HAVE(or -) [ORACLE-QUERY]
# Ferry and PostgreSQL must return the same rows in the same order (queries order fully).
check() {
  local name=$1 q=$2 want=$3 notin=$4 fq pq sent
  fq=${q//@T/postgresql.\"p\"\"d\".\"a\"\"b\"}; pq=${5:-$q}; pq=${pq//@T/\"p\"\"d\".\"a\"\"b\"}
  logged "$name" run_three "$name" "$fq" "$pq"
  sent=$(grep -o 'COPY (SELECT .*a""b.*) TO STDOUT' "$WORK/$name.log" | head -1)
  if ! cmp -s "$WORK/$name.ferry" "$WORK/$name.pg" || [[ ! -s $WORK/$name.pg ]]; then
    fail "$name: results differ"; diff "$WORK/$name.pg" "$WORK/$name.ferry" | head -6 | sed 's/^/    /'
  elif [[ $want != - && $sent != *"$want"* ]]; then fail "$name: sent ${sent:-nothing}"
  elif [[ $want != - ]] && ! grep -qF "$want" "$WORK/$name.explain"; then fail "$name: EXPLAIN lacks the remote SQL"
  elif [[ $notin != - ]] && grep -qF "$notin" "$WORK/$name.explain"; then
    fail "$name: $notin left in the plan"; grep -F "$notin" "$WORK/$name.explain" | head -2 | sed 's/^/    /'
  else ok "$name: ${sent:-no scan}"; fi
}

# --- top-N ------------------------------------------------------------------------------
check topn "SELECT id, n, s FROM @T ORDER BY n DESC, id LIMIT 7" \
  'ORDER BY "n" DESC NULLS FIRST, "id" ASC NULLS LAST LIMIT 7' -
check topn-offset "SELECT id, s FROM @T ORDER BY s NULLS FIRST, id DESC LIMIT 5 OFFSET 4" \
  'ORDER BY "s" ASC NULLS FIRST, "id" DESC NULLS FIRST LIMIT 9' -
check topn-filtered "SELECT id, d, m FROM @T WHERE m > 100 ORDER BY d DESC LIMIT 3" \
  "WHERE (\"m\" > '100.00'::numeric) ORDER BY \"d\" DESC NULLS FIRST LIMIT 3" -
# NaN sorts above every number in both
check topn-float "SELECT id, f FROM @T ORDER BY f DESC NULLS LAST, id LIMIT 4" \
  'ORDER BY "f" DESC NULLS LAST, "id" ASC NULLS LAST LIMIT 4' -
# A column in a non-"C" collation orders differently: Ferry sorts
check topn-collation "SELECT id, e FROM @T ORDER BY e COLLATE \"C\", id LIMIT 5" - -
if grep -q 'COPY (SELECT.*ORDER BY' "$WORK/topn-collation.log"; then fail "topn-collation: pushed"; fi
# An expression key, or a filter that stays in Ferry: no top-N pushdown
check topn-expr "SELECT id FROM @T ORDER BY n + 1, id LIMIT 3" - -
if grep -q 'COPY (SELECT.*ORDER BY' "$WORK/topn-expr.log"; then fail "topn-expr: pushed"; fi
check topn-grouped "SELECT n, count(*) FROM @T GROUP BY n ORDER BY n NULLS FIRST LIMIT 3" \
  'GROUP BY "n" ORDER BY "n" ASC NULLS FIRST LIMIT 3' 'Aggregate['

# --- ranges (conn_domain) over NaN and char(n) -----------------------------------------
# Ferry orders floats as PostgreSQL does (NaN equals NaN and sorts above every number,
# -0 equals 0), so a range says the same on both sides: `f > 5` takes NaN in both.
check float-gt "SELECT id, f FROM @T WHERE f > 150 ORDER BY id" "WHERE (\"f\" > '150'::float8)" 'Filter['
check float-lt "SELECT id FROM @T WHERE f < 10 AND f >= -1e300 ORDER BY id" \
  "(\"f\" < '10'::float8) AND (\"f\" >= '-1.0000000000000001e+300'::float8)" 'Filter['
check float-nan-eq "SELECT id FROM @T WHERE f = 'NaN' ORDER BY id" "WHERE \"f\" IN ('NaN'::float8)" 'Filter['
check float-nan-ge "SELECT id FROM @T WHERE f >= 'NaN' OR f IS NULL ORDER BY id" \
  "((\"f\" >= 'NaN'::float8) OR (\"f\" IS NULL))" 'Filter['
check float-below-nan "SELECT count(*) FROM @T WHERE f < 'NaN'" "WHERE (\"f\" < 'NaN'::float8)" 'Aggregate['
check real-range "SELECT id, r FROM @T WHERE r BETWEEN REAL '30' AND REAL 'Infinity' ORDER BY id" \
  "WHERE (\"r\" >= '30'::float8 AND \"r\" <= 'Infinity'::float8)" 'Filter['
check real-gt "SELECT id FROM @T WHERE r > REAL '40.5' ORDER BY id" "WHERE (\"r\" > '40.5'::float8)" 'Filter['
check real-zero "SELECT id FROM @T WHERE r IN (REAL '0', REAL '-Infinity') ORDER BY id" \
  "WHERE \"r\" IN ('0'::float8, '-Infinity'::float8)" 'Filter['
# the same through Ferry's comparison (an expression keeps the filter in Ferry)
check real-local "SELECT id FROM @T WHERE r + 0 > 40 ORDER BY id" - -
# char(n): both compare without trailing blanks (only blanks: a tab stays), in "C" bytewise
check char-in "SELECT id FROM @T WHERE ch IN ('a', 'ab5') ORDER BY id" "WHERE \"ch\" IN ('a    ', 'ab5  ')" 'Filter['
check char-eq "SELECT id FROM @T WHERE ch = 'a   ' OR ch IS NULL ORDER BY id" - -
check char-tab "SELECT id FROM @T WHERE ch IN (E'a\\t', '') ORDER BY id" "WHERE \"ch\" IN (" 'Filter['
check char-range "SELECT id, ch FROM @T WHERE ch BETWEEN 'a' AND 'ab5' ORDER BY id" \
  "WHERE (\"ch\" >= 'a    ' AND \"ch\" <= 'ab5  ')" 'Filter['
# an over-long literal is compared whole, as PostgreSQL does (not cut to char(5) / char(3))
check char-in-long "SELECT id FROM @T WHERE ch IN ('a    x', 'ab5', 'ab5  z') ORDER BY id" - -
check char-between-long "SELECT id FROM @T WHERE ch BETWEEN 'a' AND 'a    x' ORDER BY id" - -
check char-icu-in-long "SELECT id FROM @T WHERE ci IN ('x  y', 'xy') ORDER BY id" - -
check char-icu-in "SELECT id FROM @T WHERE ci IN ('x', 'xy') ORDER BY id" "WHERE \"ci\" IN ('x  ', 'xy ')" 'Filter['
check char-icu-range "SELECT id FROM @T WHERE ci BETWEEN 'x' AND 'xz' ORDER BY id" - -
if ! grep -q 'Filter\[' "$WORK/char-icu-range.explain"; then fail "char-icu-range: pushed"; fi

# --- joins (apply_join) ------------------------------------------------------------------
# A join within the catalog is one remote SELECT with each side's pushed work inside it.
J='postgresql."p""d"."j""k"'; JP='"p""d"."j""k"'
jcheck() { # jcheck NAME QUERY-WITH-@J EXPECTED-FRAGMENT|- [ORACLE-QUERY]
  local name=$1
  check "$name" "${2//@J/$J}" "$3" 'Join[' "${4:-${2//@J/$JP}}"
  if [[ $3 != - ]] && ! grep -q 'COPY (SELECT .* JOIN (SELECT .*) AS r ON ' "$WORK/$name.log"; then
    fail "$name: no remote JOIN logged"; fi
}
jcheck join-inner "SELECT a.id, a.s, b.\"x\"\"y\" FROM @T a JOIN @J b ON a.id = b.aid WHERE a.m > 100 AND b.t LIKE 'w%' ORDER BY a.id" \
  ') AS l JOIN (SELECT'
if ! grep -q "WHERE (\"m\" > '100.00'::numeric)" "$WORK/join-inner.log" || ! grep -q "WHERE (\"t\" LIKE 'w%')" "$WORK/join-inner.log"; then
  fail "join-inner: a side's filter is not inside the remote join"; fi
jcheck join-left "SELECT a.id, b.aid, b.t FROM @T a LEFT JOIN (SELECT * FROM @J WHERE k <> 3) b ON b.aid = a.id WHERE a.id < 200 ORDER BY a.id" \
  ') AS l LEFT JOIN (SELECT'
jcheck join-two-keys "SELECT a.id, b.k FROM @T a JOIN @J b ON a.id = b.aid AND a.n = b.k ORDER BY a.id" \
  ' AND (l.c'
# strings of two collations: equal bytes under either, compared under "C"
jcheck join-collations "SELECT a.id, b.aid FROM @T a JOIN @J b ON a.e = b.t ORDER BY a.id, b.aid" \
  '(l.c7 COLLATE "C" = r.c3 COLLATE "C")' "SELECT a.id, b.aid FROM @T a JOIN $JP b ON a.e = b.t COLLATE \"C\" ORDER BY a.id, b.aid"
jcheck join-agg "SELECT b.k, count(*), sum(a.n) FROM @T a JOIN @J b ON a.id = b.aid GROUP BY b.k ORDER BY b.k" \
  ') AS l JOIN (SELECT'
# a join that multiplies rows (about 600 * 350 / 7) is cheaper in Ferry: not pushed
check join-expanding "SELECT count(*) FROM @T a JOIN $J b ON a.n = b.k" - - \
  "SELECT count(*) FROM @T a JOIN $JP b ON a.n = b.k"
if grep -q 'COPY (SELECT .* JOIN ' "$WORK/join-expanding.log"; then fail "join-expanding: pushed"; fi
# another catalog's table (tpch) is never part of a remote join
check join-tpch "SELECT a.id, n.nationkey FROM @T a JOIN tpch.tiny.nation n ON a.id = n.nationkey ORDER BY a.id" - - \
  "SELECT id, id FROM @T WHERE id <= 24 ORDER BY id"
if grep -q 'COPY (SELECT .* JOIN ' "$WORK/join-tpch.log"; then fail "join-tpch: pushed"; fi
if ! grep -q 'Join\[' "$WORK/join-tpch.explain"; then fail "join-tpch: no Join in Ferry's plan"; fi
# join_pushdown_enabled = false keeps the join in Ferry
q="SELECT a.id, b.aid FROM postgresql.\"p\"\"d\".\"a\"\"b\" a JOIN $J b ON a.id = b.aid ORDER BY a.id"
logged join-disabled ferry -At -c 'SET SESSION join_pushdown_enabled = false' -c "$q" -o /dev/null
if grep -q 'COPY (SELECT .* JOIN ' "$WORK/join-disabled.log"; then fail "join-disabled: pushed"
else ok "join-disabled: two scans"; fi
out=$(ferry -At -c 'SET SESSION join_pushdown_enabled = maybe' 2>&1)
if [[ $out == *"invalid value for session property join_pushdown_enabled"* ]]; then ok "join-property-value"
else fail "join-property-value: $out"; fi

# --- filter expressions -----------------------------------------------------------------
check like "SELECT id, s FROM @T WHERE s LIKE 'v1%''x' ORDER BY id" \
  "WHERE (\"s\" LIKE 'v1%''x')" 'Filter['
check like-escaped "SELECT id, s FROM @T WHERE s LIKE '%\\%\\_\\\\' ORDER BY id" \
  "WHERE (\"s\" LIKE E'%\\\\%\\\\_\\\\\\\\')" 'Filter['
check not-like-escape "SELECT id FROM @T WHERE s NOT LIKE '%!%!_\\' ESCAPE '!' ORDER BY id" \
  "WHERE (\"s\" NOT LIKE E'%!%!_\\\\' ESCAPE '!')" 'Filter['
check ilike-c "SELECT id FROM @T WHERE c ILIKE 'c1%' ORDER BY id" \
  "WHERE (\"c\" ILIKE 'c1%')" 'Filter['
check ilike-icu-stays "SELECT id FROM @T WHERE e ILIKE 'e1%' ORDER BY id" - -
if ! grep -q 'Filter\[' "$WORK/ilike-icu-stays.explain"; then fail "ilike-icu-stays: pushed"; fi
check like-icu "SELECT id FROM @T WHERE e LIKE 'E1_' ORDER BY id" "WHERE (\"e\" LIKE 'E1_')" 'Filter['
check not-equal "SELECT id FROM @T WHERE n <> 3 AND e <> 'E5' ORDER BY id" \
  "WHERE (\"n\" <> 3) AND (\"e\" <> 'E5')" 'Filter['
check not-in "SELECT id FROM @T WHERE s NOT IN ('v1''x', 'v3%_\\', 'v4''x') AND n NOT IN (1, 2) ORDER BY id" \
  "(\"s\" NOT IN ('v1''x', E'v3%_\\\\', 'v4''x'))" 'Filter['
check distinct "SELECT id FROM @T WHERE n IS DISTINCT FROM 3 AND s IS NOT DISTINCT FROM 'v2''x' ORDER BY id" \
  "(NOT (\"n\" IS NOT DISTINCT FROM 3))" 'Filter['
check or-columns "SELECT id FROM @T WHERE n = 1 OR s LIKE 'v2%' OR d > DATE '2021-08-01' ORDER BY id" \
  "WHERE ((\"n\" = 1) OR (\"s\" LIKE 'v2%') OR (\"d\" > '2021-08-01'::date))" 'Filter['
check two-columns "SELECT id FROM @T WHERE n < \"se\"\"l\" AND \"se\"\"l\" <> n ORDER BY id" \
  "WHERE (\"n\" < \"se\"\"l\") AND (\"se\"\"l\" <> \"n\")" 'Filter['
# Two text columns of different collations: PostgreSQL would refuse to compare them, so
# both are compared under "C" (Ferry's comparison; for equality, any deterministic one's)
check two-collations "SELECT id FROM @T WHERE e = c OR e IS DISTINCT FROM s ORDER BY id LIMIT 20" \
  '("e" COLLATE "C" = "c" COLLATE "C")' 'Filter[' \
  "SELECT id FROM @T WHERE e = c COLLATE \"C\" OR e IS DISTINCT FROM s COLLATE \"C\" ORDER BY id LIMIT 20"
check not-or "SELECT id FROM @T WHERE NOT (n = 2 OR m > 500) ORDER BY id" \
  "WHERE (NOT ((\"n\" = 2) OR (\"m\" > '500.00'::numeric)))" 'Filter['
# A pattern ending with its escape character is an error in both, never sent
out=$(ferry -At -c "SELECT count(*) FROM postgresql.\"p\"\"d\".\"a\"\"b\" WHERE s LIKE 'v1\\'" 2>&1)
if [[ $out == *"LIKE pattern must not end with escape character"* ]]; then ok "like-trailing-escape: $out"
else fail "like-trailing-escape: $out"; fi
# Filters, then top-N, then the projection, in one remote statement
check all-in-one "SELECT id, s FROM @T WHERE s LIKE 'v%' AND n <> 0 ORDER BY id DESC LIMIT 3" \
  "WHERE (\"s\" LIKE 'v%') AND (\"n\" <> 0) ORDER BY \"id\" DESC NULLS FIRST LIMIT 3" 'Filter['

# --- DELETE / UPDATE (apply_delete, apply_update) ---------------------------------------
# A DELETE or UPDATE ... SET col = constant whose WHERE is pushed entirely is one remote
# statement. Each case runs in Ferry on "p""d"."w""r" and in PostgreSQL on its twin
# "p""d"."w""r_o": the command tags and the rows afterwards must be equal, and PostgreSQL
# must have logged exactly one DELETE/UPDATE of w"r (and no read of it).
pg >/dev/null <<'SQL' || { echo "FAIL dml setup"; exit 1; }
CREATE TABLE "p""d"."w""r" (id int4 PRIMARY KEY, n int4, s text, "x""y" numeric(8,2),
  d date, f float8, v varchar(4), ch char(3), j json, nn text NOT NULL DEFAULT 'z');
INSERT INTO "p""d"."w""r" (id, n, s, "x""y", d, f, v, ch, j)
  SELECT i, i % 4, CASE WHEN i % 5 = 0 THEN NULL ELSE 'q' || i || '''%\' END, i * 0.5,
    date '2021-03-01' + i, i / 4.0, 'v' || (i % 3), 'c' || (i % 2), '{"k": 1}'
  FROM generate_series(1, 40) i;
CREATE TABLE "p""d"."w""r_o" (LIKE "p""d"."w""r" INCLUDING ALL);
INSERT INTO "p""d"."w""r_o" SELECT * FROM "p""d"."w""r";
CREATE TABLE "p""d"."c""h" (pid int4 REFERENCES "p""d"."w""r" (id));
INSERT INTO "p""d"."c""h" VALUES (20);
CREATE TABLE "p""d"."c""h_o" (pid int4 REFERENCES "p""d"."w""r_o" (id));
INSERT INTO "p""d"."c""h_o" VALUES (20);
ANALYZE "p""d"."w""r";
SQL
W='postgresql."p""d"."w""r"'; WO='"p""d"."w""r_o"'
tagged() { psql -X -v ON_ERROR_STOP=1 -v VERBOSITY=verbose "$@" 2>&1 | sed -E '/^(LOCATION|SCHEMA NAME|TABLE NAME|COLUMN NAME|CONSTRAINT NAME|DATATYPE NAME): /d; s/r_o/r/g; s/h_o/h/g'; }
# dml NAME STATEMENT-WITH-@W EXPECTED-REMOTE-STATEMENT
dml() {
  local name=$1 q=$2 want=$3 sent n
  logged "$name" tagged -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch -c "${q//@W/$W}" >"$WORK/$name.ferry"
  tagged -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres -d postgres -c "${q//@W/$WO}" >"$WORK/$name.pg"
  pg -At -c 'SELECT * FROM "p""d"."w""r" ORDER BY id' >"$WORK/$name.rows"
  pg -At -c "SELECT * FROM $WO ORDER BY id" >"$WORK/$name.rows-pg"
  ferry -At -c "EXPLAIN ${q//@W/$W}" >"$WORK/$name.explain" 2>&1
  sent=$(grep -oE 'statement: (DELETE|UPDATE) .*' "$WORK/$name.log")
  n=$(grep -cE 'statement: (DELETE FROM|UPDATE) "p""d"."w""r"' "$WORK/$name.log")
  if ! cmp -s <(sed "s/^\(ERROR:  [0-9A-Z]*: \)catalog 'postgresql': /\1/" "$WORK/$name.ferry") "$WORK/$name.pg"; then
    fail "$name: tags differ: $(head -1 "$WORK/$name.ferry") vs $(head -1 "$WORK/$name.pg")"
  elif ! cmp -s "$WORK/$name.rows" "$WORK/$name.rows-pg"; then
    fail "$name: rows differ"; diff "$WORK/$name.rows-pg" "$WORK/$name.rows" | head -6 | sed 's/^/    /'
  elif [[ $n != 1 || $sent != *"$want" ]]; then fail "$name: sent ${sent:-nothing} ($n statements)"
  elif grep -q 'COPY (SELECT .*w""r' "$WORK/$name.log"; then fail "$name: the table was read"
  elif ! grep -qF "postgresql: $want" "$WORK/$name.explain"; then fail "$name: EXPLAIN lacks the remote statement"
  else ok "$name: $(head -1 "$WORK/$name.ferry"): $sent"; fi
}
dml delete-in "DELETE FROM @W WHERE id IN (3, 5, 7)" \
  'DELETE FROM "p""d"."w""r" WHERE "id" IN (3, 5, 7)'
dml delete-like "DELETE FROM @W WHERE s LIKE 'q1%''\\%\\\\' AND n <> 2" \
  "DELETE FROM \"p\"\"d\".\"w\"\"r\" WHERE (\"s\" LIKE E'q1%''\\\\%\\\\\\\\') AND (\"n\" <> 2)"
dml delete-none "DELETE FROM @W WHERE id > 1000" \
  'DELETE FROM "p""d"."w""r" WHERE ("id" > 1000)'
dml update-hostile "UPDATE @W SET s = 'it''s \\ \"q\"', \"x\"\"y\" = 42.456 WHERE n = 1 AND d < DATE '2021-03-30'" \
  "UPDATE \"p\"\"d\".\"w\"\"r\" SET \"s\" = E'it''s \\\\ \"q\"', \"x\"\"y\" = '42.46'::numeric WHERE \"n\" IN (1) AND (\"d\" < '2021-03-30'::date)"
dml update-types "UPDATE @W SET d = '2024-02-29', f = 1e-3, v = 'ab  ', ch = 'x', n = NULL WHERE id BETWEEN 10 AND 14" \
  "UPDATE \"p\"\"d\".\"w\"\"r\" SET \"d\" = '2024-02-29'::date, \"f\" = '0.001'::float8, \"v\" = 'ab  ', \"ch\" = 'x  ', \"n\" = NULL WHERE (\"id\" >= 10 AND \"id\" <= 14)"
dml update-all "UPDATE @W SET nn = 'all'" 'UPDATE "p""d"."w""r" SET "nn" = '"'all'"
# remote constraint errors keep their SQLSTATE, prefixed with the catalog
dml delete-fk "DELETE FROM @W WHERE id = 20" 'DELETE FROM "p""d"."w""r" WHERE "id" IN (20)'
if ! grep -q "ERROR:  23503: catalog 'postgresql': update or delete on table \"w\"r\" violates foreign key" "$WORK/delete-fk.ferry"; then
  fail "delete-fk: $(head -1 "$WORK/delete-fk.ferry")"; fi
dml update-not-null "UPDATE @W SET nn = NULL WHERE id = 21" 'UPDATE "p""d"."w""r" SET "nn" = NULL WHERE "id" IN (21)'
if ! grep -q "ERROR:  23502: catalog 'postgresql': null value in column \"nn\"" "$WORK/update-not-null.ferry"; then
  fail "update-not-null: $(head -1 "$WORK/update-not-null.ferry")"; fi
# inside BEGIN: committed with the statement, ROLLBACK warns
out=$(tagged -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch -c 'BEGIN' -c "DELETE FROM $W WHERE id = 22" -c 'ROLLBACK')
left=$(pg -At -c 'SELECT count(*) FROM "p""d"."w""r" WHERE id = 22')
if [[ $out == *"DELETE 1"* && $out == *"ROLLBACK did not undo them"* && $left == 0 ]]; then ok "dml-in-transaction"
else fail "dml-in-transaction: $out / $left left"; fi
pg -c "DELETE FROM $WO WHERE id = 22" -c 'DELETE FROM "p""d"."w""r" WHERE id = 22' 
# not pushed: still refused with 0A000 and nothing sent
refused() { # refused NAME STATEMENT-WITH-@W
  logged "$1" tagged -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch -c "${2//@W/$W}" >"$WORK/$1.ferry"
  if ! grep -q "ERROR:  0A000: catalog 'postgresql': the postgresql connector cannot replace the rows of a table" "$WORK/$1.ferry"; then
    fail "$1: $(head -1 "$WORK/$1.ferry")"
  elif grep -qE 'statement: (DELETE|UPDATE|BEGIN)' "$WORK/$1.log"; then fail "$1: something was sent"
  else ok "$1: 0A000"; fi
}
refused delete-json "DELETE FROM @W WHERE j::text = '{\"k\": 1}'"
refused delete-function "DELETE FROM @W WHERE lower(s) = 'q1''%\\'"
refused update-column-ref "UPDATE @W SET n = n + 1 WHERE id = 1"
refused update-json "UPDATE @W SET j = '{}' WHERE id = 1"
refused update-default "UPDATE @W SET nn = DEFAULT WHERE id = 1"
# a value that does not fit is PostgreSQL's own assignment error, before anything is sent
out=$(ferry -c "UPDATE $W SET v = 'abcde' WHERE id = 1" 2>&1)
if [[ $out == *"value too long for type character varying(4)"* ]]; then ok "update-too-long"
else fail "update-too-long: $out"; fi
pg -c 'DROP TABLE "p""d"."c""h", "p""d"."c""h_o"'
dml delete-all "DELETE FROM @W" 'DELETE FROM "p""d"."w""r"'

pg -c 'ALTER SYSTEM RESET log_statement' -c 'SELECT pg_reload_conf()' >/dev/null
exit $((fails > 0))
