#!/usr/bin/env bash
# Raw protocol 3.0 test: message sequences for startup, simple/extended query, errors.
set -euo pipefail
exec /usr/bin/python3 "$(dirname "$0")/protocol_test.py" "${FERRY_PORT:?}"
