#!/usr/bin/env bash
# psql against the catalog emulation, as a user types it: \conninfo, \l, \dn, \dt in the
# connection's catalog and in another one (the database name is the catalog), \x with a
# catalog query, and \d's first queries through psql -E. Each output is compared with
# what it must contain; a crash or a wrong line fails.
set -euo pipefail
port=${FERRY_PORT:?}
fail=0
run() { psql -X -h 127.0.0.1 -p "$port" -U admin "$@" 2>&1; }
expect() { # expect WHAT OUTPUT PATTERN...
  local what=$1 out=$2; shift 2
  for p in "$@"; do
    if ! grep -qE -- "$p" <<<"$out"; then
      echo "FAIL $what: no line matching '$p' in:"; sed 's/^/    /' <<<"$out"; fail=1; return
    fi
  done
  echo "ok   $what"
}
expect conninfo "$(run tpch -c '\conninfo')" 'You are connected to database "tpch" as user "admin"'
expect '\l' "$(run tpch -c '\l')" '^ tpch +\| ferry +\| UTF8' '^ tpch_std +\|' '^ system +\|'
expect '\dn' "$(run tpch -c '\dn')" '^ tiny +\| ferry' '^ sf1 +\| ferry' '\(6 rows\)'
out=$(run tpch -c 'SET search_path = tiny' -c '\dt')
expect '\dt tiny' "$out" '^ tiny +\| nation +\| table +\| ferry' '\(8 rows\)'
expect '\dt in tpch_std' "$(run tpch_std -c '\dt tiny.*')" '^ tiny +\| nation +\| table' '\(8 rows\)'
expect '\dt no match' "$(run tpch -c '\dt tiny.no_such*')" 'Did not find any relation named'
out=$(run tpch -c '\x' -c "SELECT relname, relkind FROM pg_class WHERE relname = 'pg_type'")
expect '\x' "$out" 'Expanded display is on' '^relname +\| pg_type' '^relkind +\| r'
# psql -E shows the catalog queries it sends; \d gets through the relation lookup, the
# table's properties and its columns (correlated subqueries per column), then reads
# pg_policy's array column polroles, which waits for arrays: that must be a clean error.
out=$(run tpch -E -c 'SET search_path = tiny' -c '\d nation' || true)
expect '\d nation (psql -E)' "$out" 'pg_catalog.pg_get_expr\(d.adbin, d.adrelid, true\)' \
  'column pol.polroles does not exist'
# a view of the memory catalog: relkind v in pg_class, its text from pg_get_viewdef
out=$(run memory -c 'CREATE VIEW public.pgcatalog_test_v AS SELECT 1 AS x' -c '\dv public.pgcatalog_test*' \
  -c "SELECT pg_get_viewdef('public.pgcatalog_test_v'::regclass) AS def" \
  -c 'DROP VIEW public.pgcatalog_test_v')
expect '\dv in memory' "$out" '^ public +\| pgcatalog_test_v +\| view +\| ferry' '^ *SELECT 1 AS x'
expect 'server alive' "$(run tpch -Atc 'SELECT 1')" '^1$'
exit $fail
