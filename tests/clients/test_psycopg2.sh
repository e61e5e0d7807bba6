#!/usr/bin/env bash
# psycopg2 client test; Debian's python3-psycopg2 lives under /usr/bin/python3, not pyenv.
exec /usr/bin/python3 "$(dirname "$0")/psycopg2_test.py" "${FERRY_PORT:?}"
