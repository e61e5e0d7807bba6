#!/usr/bin/env bash
# Regenerates pgjdbc.sql: every statement pgjdbc (/usr/share/java/postgresql.jar) sends for
# JdbcCapture.java's DatabaseMetaData calls, connection set-up included, taken from the
# statement log (log_statement = all) of a throwaway PostgreSQL 15 holding the objects the
# replay creates (a table with a primary key, a table with a foreign key to it, a view).
# Extended-protocol parameters are put into the text as the literals they were; relation
# OIDs become {{name}}. test_catalog_replay.sh replays the file through pgjdbc.
. "$(dirname "$0")/capture-lib.sh"
capture_log_on
jar=/usr/share/java/postgresql.jar
here=tests/clients/catalog-replay
javac -d "$TMP" -cp "$jar" "$here/JdbcCapture.java"
java -cp "$TMP:$jar" JdbcCapture \
  "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres?user=postgres&ApplicationName=ferry-capture"
oids=$(q -Atc "SELECT string_agg(c.relname || '=' || c.oid, ' ') FROM pg_class c
               WHERE c.relname IN ('replay_t', 'replay_child', 'replay_v')")
out=$here/pgjdbc.sql
{
  echo "-- via: pgjdbc"
  echo "-- pgjdbc $(unzip -p "$jar" META-INF/MANIFEST.MF | sed -n 's/^Implementation-Version: //p' | tr -d '\r')"
  echo "-- DatabaseMetaData calls of JdbcCapture.java against PostgreSQL 15, captured by"
  echo "-- capture-jdbc.sh from the server's statement log (log_statement = all)"
  /usr/bin/python3 "$here/capture-log.py" "$TMP/pg/pg.log" ferry-capture "$oids"
} >"$out"
echo "wrote $out ($(grep -c '^-- next$' "$out") statements)"
