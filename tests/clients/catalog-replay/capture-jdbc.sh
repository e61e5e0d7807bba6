#!/usr/bin/env bash
# Regenerates pgjdbc.sql: every statement pgjdbc (/usr/share/java/postgresql.jar) sends for
# JdbcCapture.java's DatabaseMetaData calls, connection set-up included, taken from the
# statement log (log_statement = all) of a throwaway PostgreSQL 15 holding the objects the
# replay creates (a table with a primary key, a table with a foreign key to it, a view).
# Extended-protocol parameters are put into the text as the literals they were; relation
# OIDs become {{name}}. test_catalog_replay.sh replays the file through pgjdbc.
. "$(dirname "$0")/capture-lib.sh"
q -c "ALTER SYSTEM SET log_statement = 'all'" -c "ALTER SYSTEM SET log_line_prefix = '<%a> '" \
  -c 'SELECT pg_reload_conf()' >/dev/null
sleep 1
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
  /usr/bin/python3 - "$TMP/pg/pg.log" "$oids" <<'PY'
import re, sys
log, oids = open(sys.argv[1]).read().split('\n'), dict(kv.split('=') for kv in sys.argv[2].split())
entries, cur = [], None
for line in log:
    m = re.match(r'^<([^>]*)> (LOG|DETAIL|ERROR|STATEMENT):  (.*)$', line)
    if m:
        cur = [m.group(1), m.group(2), m.group(3)]
        entries.append(cur)
    elif cur is not None and line.startswith('\t'):
        cur[2] += '\n' + line[1:]
stmts = []
for i, (app, kind, text) in enumerate(entries):
    if app != 'ferry-capture' or kind != 'LOG':
        continue
    m = re.match(r'^(?:statement|execute [^:]*): (.*)$', text, re.S)
    if not m:
        continue
    sql = m.group(1)
    if i + 1 < len(entries) and entries[i + 1][1] == 'DETAIL' and entries[i + 1][2].startswith('parameters: '):
        params = dict(re.findall(r"\$(\d+) = ((?:'(?:[^']|'')*')|NULL)", entries[i + 1][2]))
        sql = re.sub(r'\$(\d+)\b', lambda p: params.get(p.group(1), p.group(0)), sql)
    for name, oid in oids.items():
        sql = re.sub(r"\b%s\b" % oid, '{{%s}}' % name, sql)
    stmts.append(sql.strip())
for s in stmts:
    print('-- next')
    print(s)
PY
} >"$out"
echo "wrote $out ($(grep -c '^-- next$' "$out") statements)"
