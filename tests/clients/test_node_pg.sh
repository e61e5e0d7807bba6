#!/usr/bin/env bash
# node-postgres client test; `pg` comes from the top-level package.json (npm ci in deps.sh).
root=$(cd "$(dirname "$0")/../.." && pwd)
exec env NODE_PATH="$root/node_modules" node "$root/tests/clients/node_test.js" "${FERRY_PORT:?}"
