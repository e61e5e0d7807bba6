#!/usr/bin/env bash
# pgbench: 8 clients, prepared protocol, 10 s of point lookups; passes on 0 failed transactions.
set -uo pipefail
out=${1:-/tmp/ferry-clients}/pgbench; mkdir -p "$out"
cat >"$out/lookup.sql" <<'SQL'
\set k random(1, 1500)
SELECT name, acctbal FROM tpch.tiny.customer WHERE custkey = :k;
SQL
pgbench -n -M prepared -c 8 -T 10 -h 127.0.0.1 -p "${FERRY_PORT:?}" -U admin -f "$out/lookup.sql" tpch \
  >"$out/pgbench.out" 2>&1
rc=$?
cat "$out/pgbench.out"
((rc == 0)) || { echo "pgbench exited $rc"; exit 1; }
done_tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out/pgbench.out")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out/pgbench.out")
[[ -n $done_tx && $done_tx -gt 0 ]] || { echo "no transactions processed"; exit 1; }
# pgbench 15 prints the failed line only when retries are configured; absent means 0.
[[ -z $failed || $failed -eq 0 ]] || { echo "$failed failed transactions"; exit 1; }
echo "ok: $done_tx transactions, 0 failed"
