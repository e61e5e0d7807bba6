#!/usr/bin/env bash
# A client that vanishes mid-query: its query must be cancelled and leave RUNNING within
# a couple of seconds (system.runtime.queries), and the server must keep serving.
set -uo pipefail
psqlf() { psql -X -q -h 127.0.0.1 -p "${FERRY_PORT:?}" -U admin -d tpch "$@"; }
marker="disconnect_probe_$$"
# psql buffers the whole result, so it reads forever while the server streams.
psql -X -q -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch \
  -c "SELECT orderkey AS $marker FROM tpch.sf100.lineitem" >/dev/null 2>&1 &
pid=$!
state=
for _ in $(seq 50); do
  state=$(psqlf -At -F '|' -c "SELECT state, query FROM system.runtime.queries" | grep "$marker" | cut -d'|' -f1)
  [[ $state == RUNNING ]] && break
  sleep 0.1
done
[[ $state == RUNNING ]] || { echo "FAIL the probe query never showed as RUNNING ($state)"; kill -9 $pid; exit 1; }
sleep 1
kill -9 "$pid"; wait "$pid" 2>/dev/null
for _ in $(seq 30); do
  state=$(psqlf -At -F '|' -c "SELECT state, query FROM system.runtime.queries" | grep "$marker" | cut -d'|' -f1)
  [[ $state != RUNNING ]] && break
  sleep 0.1
done
if [[ $state == FAILED ]]; then echo "ok   query of a vanished client ended as FAILED"
else echo "FAIL query of a vanished client is $state 3 s after the client died"; exit 1; fi
[[ $(psqlf -At -c "SELECT 1") == 1 ]] && echo "ok   server serves after the disconnect" || exit 1
