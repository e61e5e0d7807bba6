#!/usr/bin/env bash
# Regenerates psql.sql: the catalog queries psql 15 sends for \d t, \d+ t, \du, \dt *.*
# and \d, captured with psql -E from a throwaway PostgreSQL 15 holding the shapes Ferry
# has (a table with a primary key and a NOT NULL column, a view, a foreign key). One
# statement per block, separated by lines "-- next"; relation OIDs become {{name}}. The
# replay creates the same objects in Ferry's memory catalog (schema public) first.
. "$(dirname "$0")/capture-lib.sh"
out=tests/clients/catalog-replay/psql.sql
{
  echo "-- psql 15 catalog queries, captured by capture-psql.sh (psql -E) from PostgreSQL 15"
  for cmd in '\d replay_t' '\d+ replay_t' '\du' '\dt *.*' '\d'; do
    echo "-- command: $cmd"
    q -E -c "$cmd" 2>/dev/null | awk '
      /^\*+ QUERY \*+$/ { inq = 1; buf = ""; next }
      /^\*+$/ && inq { inq = 0; print "-- next"; printf "%s", buf; next }
      inq { buf = buf $0 "\n" }'
  done
} >"$out"
# OIDs differ between servers: the replay puts Ferry's OID where PostgreSQL's was
for rel in replay_t replay_child replay_v; do
  oid=$(q -Atc "SELECT 'public.$rel'::regclass::oid")
  sed -i "s/'$oid'/'{{$rel}}'/g" "$out"
done
echo "wrote $out ($(grep -c '^-- next' "$out") statements)"
