#!/usr/bin/env bash
# Remote PostgreSQL array columns through the postgresql connector: one-dimensional
# arrays of the supported element types read as Ferry arrays (binary COPY) and print
# exactly as PostgreSQL prints them (oracle), filters on them are evaluated by Ferry,
# unnest over a remote column, and a multidimensional value is 0A000 with the session
# (and the pooled connection) still usable. Prints "ok NAME" / "FAIL NAME".
set -uo pipefail
cd "$(dirname "$0")" || exit 1
: "${FERRY_PORT:?}" "${ORACLE_PGHOST:?}" "${ORACLE_PGPORT:?}"
WORK=${1:-$(mktemp -d /tmp/ferry-pgarr.XXXXXX)}/pg_arrays
mkdir -p "$WORK"
fails=0
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }
ferry() { psql -X -q -A -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch "$@"; }
pg() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -A -v ON_ERROR_STOP=1 -h "$ORACLE_PGHOST" -p "$ORACLE_PGPORT" -U postgres -d postgres "$@"; }
trap 'pg -c "DROP TABLE IF EXISTS public.ferry_arrays" >/dev/null 2>&1' EXIT

pg >/dev/null <<'SQL' || { echo "FAIL setup"; exit 1; }
DROP TABLE IF EXISTS public.ferry_arrays;
CREATE TABLE public.ferry_arrays (id int, ia int[], sa smallint[], la bigint[], ta text[],
  va varchar(3)[], ca char(2)[], na numeric(6,2)[], ba bool[], fa float8[], da date[],
  tsa timestamp[], tza timestamptz[], ua uuid[], ja jsonb[], nm name[], oa oid[], m int[]);
INSERT INTO public.ferry_arrays VALUES
 (1, '{1,2,NULL}', '{-1}', '{9000000000}', '{a,"b c",NULL,"","NULL","q\"x"}', '{abc,d}', '{x}',
  '{1.50,2}', '{t,f,NULL}', '{1.5,NaN,-Infinity}', '{2024-01-02}', '{"2024-01-02 03:04:05.5"}',
  '{"2024-01-02 03:04:05+00"}', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{"{\"a\": 1}"}',
  '{x,y}', '{1,4294967295}', '{7}'),
 (2, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}'),
 (3, NULL, NULL, NULL, '{z}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  '{{1,2},{3,4}}');
SQL

cols="id, ia, sa, la, ta, va, ca, na, ba, fa, da, tsa, tza, ua, ja, nm, oa"
pg -c "SET TimeZone = UTC" -c "SELECT $cols FROM public.ferry_arrays ORDER BY id" >"$WORK/pg.out" 2>&1
ferry -c "SET TimeZone = UTC" -c "SELECT $cols FROM postgresql.public.ferry_arrays ORDER BY id" >"$WORK/ferry.out" 2>&1
if cmp -s "$WORK/pg.out" "$WORK/ferry.out"; then ok read-as-postgresql
else fail read-as-postgresql; diff "$WORK/pg.out" "$WORK/ferry.out" | head -10 | sed 's/^/    /'; fi

# the column is an array for the engine: types, functions, filters (not pushed down)
out=$(ferry -t -c "SELECT ia[2] + 1, ta[2] || '!', array_length(na, 1), la[1] * 2 FROM postgresql.public.ferry_arrays WHERE id = 1" 2>&1)
[[ $out == '3|b c!|2|18000000000' ]] && ok array-values || { fail array-values; echo "    $out"; }
q="SELECT id FROM %s WHERE ia @> ARRAY[2] OR 'z' = ANY(ta) OR cardinality(na) = 0 ORDER BY id"
want=$(pg -t -c "$(printf "$q" public.ferry_arrays)" 2>&1 | tr '\n' ' ')
got=$(ferry -t -c "$(printf "$q" postgresql.public.ferry_arrays)" 2>&1 | tr '\n' ' ')
[[ $got == "$want" && $want == '1 2 3 ' ]] && ok array-filters || { fail array-filters; echo "    want $want got $got"; }
q="SELECT id, x, n FROM %s, unnest(ta) WITH ORDINALITY AS u(x, n) ORDER BY id, n"
want=$(pg -t -c "$(printf "$q" public.ferry_arrays)" 2>&1 | md5sum)
got=$(ferry -t -c "$(printf "$q" postgresql.public.ferry_arrays)" 2>&1 | md5sum)
[[ $got == "$want" ]] && ok unnest-remote-column || fail unnest-remote-column

# a two-dimensional value: 0A000, and the next statements still work
out=$(ferry -v VERBOSITY=verbose -c "SELECT m FROM postgresql.public.ferry_arrays" 2>&1)
if grep -q '0A000' <<<"$out" && grep -q 'multidimensional arrays are not supported' <<<"$out"; then ok multidimensional-0A000
else fail multidimensional-0A000; echo "    $out" | head -3; fi
out=$(ferry -t -c "SELECT m FROM postgresql.public.ferry_arrays WHERE id < 3 ORDER BY id" -c "SELECT count(*) FROM postgresql.public.ferry_arrays" 2>&1 | tr '\n' ' ')
[[ $out == '{7} {} 3 ' ]] && ok after-error || { fail after-error; echo "    $out"; }

echo "$fails failed"
((fails == 0))
