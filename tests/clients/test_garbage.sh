#!/usr/bin/env bash
# Random bytes on the pgwire port, then a normal psql query must still work.
set -euo pipefail
/usr/bin/python3 "$(dirname "$0")/garbage.py" "${FERRY_PORT:?}"
r=$(psql -X -At -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch -c 'SELECT 1')
[[ $r == 1 ]] || { echo "SELECT 1 after garbage returned '$r'"; exit 1; }
echo "ok: SELECT 1 after garbage"
