# Prints the statements application app_name sent, from a PostgreSQL statement log
# (log_statement = all, log_line_prefix '<%a> '), as a replay file's blocks ("-- next"
# lines between them): extended-protocol parameters put into the text as the literals
# they were, relation OIDs (name=oid pairs) replaced by {{name}}.
# usage: capture-log.py LOG APP_NAME "name=oid ..."
import re, sys
log, app_name = open(sys.argv[1]).read().split('\n'), sys.argv[2]
oids = dict(kv.split('=') for kv in sys.argv[3].split()) if len(sys.argv) > 3 else {}
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
    if app != app_name or kind != 'LOG':
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
