#!/usr/bin/env bash
# Where Ferry spends its time on one TPC-H query: the query (shared fixtures,
# tpch/queries-duckdb-dialect) on Ferry's tpch catalog, Ferry sampled by `perf record -g` while
# the query runs, then the top symbols (self time, and with their callees). When perf cannot
# sample in this container, Ferry runs under `valgrind --tool=callgrind` instead (much slower:
# use SF=0.01 there) and callgrind_annotate prints the top functions (inclusive counts add up
# over recursive calls, so they can pass 100%).
#   bench/profile.sh QUERY [BUILDDIR]     QUERY: q04, 4 or a path to a .sql file
# Environment: SF (0.01, or 1: the tpch connector's `tiny` and `sf1`), REPEAT (times the query
# runs while sampled, 1), TOP (lines per listing, 25), PERF_FREQ (samples per second, 1999), PROFILER (perf or callgrind; default
# perf when it can sample, else callgrind), PROFILE_OUT (keep the raw profile at this path).
# Installs linux-perf (Debian) when perf is missing. Starts its own Ferry on free ports and stops
# only that one. Not part of make check.
set -euo pipefail
cd "$(dirname "$0")/.."
Q=${1:?usage: bench/profile.sh QUERY [BUILDDIR]}
BUILD=${2:-build}
SF=${SF:-0.01} REPEAT=${REPEAT:-1} TOP=${TOP:-25}
. scripts/lib.sh
FIXTURES=${FERRY_FIXTURES:-$(cd .. && pwd)/shared/fixtures}
[[ -d $FIXTURES/tpch ]] || FIXTURES=/work/shared/fixtures

case $SF in
  0.01|tiny) SCHEMA=tiny ;;
  1|10|100|300|1000) SCHEMA=sf$SF ;;
  *) echo "profile: SF=$SF has no tpch schema (use 0.01, 1, 10, 100, 300 or 1000)" >&2; exit 2 ;;
esac
case $Q in
  *.sql) QFILE=$Q ;;
  q*) QFILE=$FIXTURES/tpch/queries-duckdb-dialect/$Q.sql ;;
  *) QFILE=$FIXTURES/tpch/queries-duckdb-dialect/$(printf 'q%02d' "$((10#$Q))").sql ;;
esac
[[ -f $QFILE ]] || { echo "profile: no query file $QFILE" >&2; exit 2; }
[[ -x $BUILD/ferry ]] || { echo "profile: $BUILD/ferry missing (make)" >&2; exit 1; }

# --- the profiler ---------------------------------------------------------------------------
if [[ -z ${PROFILER:-} || $PROFILER == perf ]] && ! command -v perf >/dev/null; then
  echo "profile: installing linux-perf"
  apt-get install -y -q linux-perf >/dev/null || true
fi
perf_works() { perf record -q -g -o /dev/null -- sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done' >/dev/null 2>&1; }
if [[ -z ${PROFILER:-} ]]; then
  if command -v perf >/dev/null && perf_works; then PROFILER=perf; else PROFILER=callgrind; fi
fi
case $PROFILER in
  perf) perf_works || { echo "profile: perf cannot sample here (PROFILER=callgrind)" >&2; exit 1; } ;;
  callgrind) command -v valgrind >/dev/null || apt-get install -y -q valgrind >/dev/null ;;
  *) echo "profile: PROFILER is perf or callgrind" >&2; exit 2 ;;
esac

TMP=$(mktemp -d /tmp/ferry-profile.XXXXXX)
FERRY_PID= PERF_PID=
stop() {
  [[ -n $PERF_PID ]] && { kill -INT "$PERF_PID" 2>/dev/null || true; wait "$PERF_PID" 2>/dev/null || true; }
  harness_ferry_stop
  rm -rf "$TMP"
}
trap stop EXIT

# --- Ferry on its own etc dir: the tpch catalog with standard column names --------------------
mkdir -p "$TMP/etc/catalog"
sed -e 's/^query.max-memory-per-node=.*/query.max-memory-per-node=8GB/' \
    -e 's/^node.id=.*/node.id=ferry-profile/' regress/etc/config.properties >"$TMP/etc/config.properties"
printf 'connector.name=tpch\ntpch.column-naming=STANDARD\n' >"$TMP/etc/catalog/tpch_std.properties"
WRAP=()
[[ $PROFILER == callgrind ]] && WRAP=(valgrind -q --tool=callgrind --instr-atstart=no --callgrind-out-file="$TMP/callgrind.out")
FERRY_PORT=$(harness_free_port)
setsid "${WRAP[@]}" "$BUILD/ferry" --etc-dir "$TMP/etc" -D "pgwire.port=$FERRY_PORT" \
  -D "http-server.http.port=$(harness_free_port)" >"$TMP/ferry.log" 2>&1 &
FERRY_PID=$!
F=(psql -X -q -At -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch_std -v ON_ERROR_STOP=1)
for ((i = 0; i < 1200; i++)); do
  kill -0 "$FERRY_PID" 2>/dev/null || { tail -20 "$TMP/ferry.log" >&2; exit 1; }
  "${F[@]}" -c 'select 1' >/dev/null 2>&1 && break
  sleep 0.1
done

# --- the query, sampled ------------------------------------------------------------------------
# Only the query is profiled: perf attaches to the running Ferry; callgrind starts counting
# (callgrind_control -i on) once Ferry is up.
if [[ $PROFILER == callgrind ]]; then
  callgrind_control -i on "$FERRY_PID" >/dev/null 2>&1
else
  perf record -q --call-graph "${PERF_CALLGRAPH:-dwarf}" -F "${PERF_FREQ:-999}" -p "$FERRY_PID" -o "$TMP/perf.data" >"$TMP/perf.log" 2>&1 &
  PERF_PID=$!
  sleep 0.5
fi
t0=$(date +%s.%N)
for ((i = 0; i < REPEAT; i++)); do
  PGOPTIONS="-c search_path=$SCHEMA" "${F[@]}" -f "$QFILE" >"$TMP/answer.txt"
done
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')
echo "profile: $(basename "$QFILE") on tpch_std.$SCHEMA (SF $SF), $REPEAT run(s), $(wc -l <"$TMP/answer.txt") rows," \
  "$secs s under $PROFILER"

if [[ $PROFILER == perf ]]; then
  kill -INT "$PERF_PID"; wait "$PERF_PID" 2>/dev/null || true; PERF_PID=
  [[ -n ${PROFILE_OUT:-} ]] && cp "$TMP/perf.data" "$PROFILE_OUT"
  echo "== top symbols, self time (perf report --no-children)"
  perf report -i "$TMP/perf.data" --stdio --no-children --sort symbol -g none --percent-limit 0.5 2>/dev/null |
    grep -E '^ +[0-9]' | head -n "$TOP" || true
  echo "== top symbols with their callees (perf report --children)"
  perf report -i "$TMP/perf.data" --stdio --children --sort symbol -g none --percent-limit 2 2>/dev/null |
    grep -E '^ +[0-9]' | head -n "$TOP" || true
else
  # callgrind writes its file when Ferry exits
  harness_ferry_stop
  [[ -n ${PROFILE_OUT:-} ]] && cp "$TMP/callgrind.out" "$PROFILE_OUT"
  echo "== top functions, self instructions (callgrind_annotate)"
  callgrind_annotate "$TMP/callgrind.out" 2>/dev/null | grep -E '^ *[0-9,]+ ' | head -n "$TOP" || true
  echo "== top functions with their callees (callgrind_annotate --inclusive=yes)"
  callgrind_annotate --inclusive=yes "$TMP/callgrind.out" 2>/dev/null | grep -E '^ *[0-9,]+ ' | head -n "$TOP" || true
fi
