#!/usr/bin/env bash
# CancelRequest: psycopg2 cancels a long-running count; see cancel_test.py.
exec /usr/bin/python3 "$(dirname "$0")/cancel_test.py" "${FERRY_PORT:?}"
