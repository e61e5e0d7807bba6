# shellcheck shell=bash
# Ferry test harness helpers (sourced by check.sh and tests/*): free ports, a throwaway
# PostgreSQL 15 and a Ferry process. Must never touch a server it did not start itself.
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

# harness_free_port: a loopback TCP port nobody listens on right now.
harness_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# harness_wait_port PORT SECONDS: wait until something accepts on 127.0.0.1:PORT.
harness_wait_port() {
  local port=$1 secs=$2 i
  for ((i = 0; i < secs * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# harness_pg_start DIR: initdb + start PostgreSQL 15 owned by user postgres; sets PG_PORT.
harness_pg_start() {
  local dir=$1
  PG_PORT=$(harness_free_port)
  mkdir -p "$dir"
  chown postgres "$dir"
  local as=()
  [[ $(id -u) -eq 0 ]] && as=(runuser -u postgres --)
  "${as[@]}" "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 \
      --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  "${as[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -t 60 \
      -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
      || { cat "$dir/pg.log" >&2; return 1; }
  PG_DIR=$dir
}

harness_pg_stop() {
  [[ -n "${PG_DIR:-}" && -d "$PG_DIR/data" ]] || return 0
  local as=()
  [[ $(id -u) -eq 0 ]] && as=(runuser -u postgres --)
  "${as[@]}" "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  PG_DIR=
}

# harness_ferry_start BUILDDIR LOG [ETCDIR]: start Ferry (configuration from ETCDIR, default
# regress/etc) in its own process group; sets FERRY_PORT and FERRY_PID.
harness_ferry_start() {
  local build=$1 log=$2 etc=${3:-regress/etc}
  # regress/etc/catalog/postgresql.properties reads ${ENV:ORACLE_PGPORT}; an unset variable
  # would stop Ferry from starting. Default: the PostgreSQL harness_pg_start started, else
  # port 1 (nothing listens there: the catalog loads, its queries fail with 08001).
  export ORACLE_PGPORT=${ORACLE_PGPORT:-${PG_PORT:-1}}
  # regress/etc/catalog/hive.properties: the warehouse of the test hive catalog
  if [[ -z ${FERRY_HIVE_DIR:-} ]]; then
    FERRY_HIVE_DIR=$(mktemp -d /tmp/ferry-hive.XXXXXX); export FERRY_HIVE_DIR
    FERRY_HIVE_DIR_OWNED=1
  fi
  FERRY_PORT=$(harness_free_port)
  local http; http=$(harness_free_port)
  setsid "$build/ferry" --etc-dir "$etc" -D "pgwire.port=$FERRY_PORT" \
      -D "http-server.http.port=$http" >"$log" 2>&1 &
  FERRY_PID=$!
  local i
  for ((i = 0; i < 300; i++)); do
    if ! kill -0 "$FERRY_PID" 2>/dev/null; then
      echo "ferry exited during start-up:" >&2; tail -20 "$log" >&2; FERRY_PID=; return 1
    fi
    # Accepting TCP is not enough: wait for a real query to succeed.
    timeout 5 psql -X -q -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch -Atc 'select 1' >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "ferry did not answer 'select 1' within 30 s" >&2; tail -20 "$log" >&2
  return 1
}

harness_ferry_stop() {
  [[ -n "${FERRY_PID:-}" ]] || return 0
  kill -TERM -- "-$FERRY_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 50; i++)); do kill -0 "$FERRY_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$FERRY_PID" 2>/dev/null || true
  wait "$FERRY_PID" 2>/dev/null || true
  FERRY_PID=
  if [[ -n ${FERRY_HIVE_DIR_OWNED:-} ]]; then rm -rf "$FERRY_HIVE_DIR"; unset FERRY_HIVE_DIR FERRY_HIVE_DIR_OWNED; fi
}

# harness_moto_start PORT AK SK BUCKET LOG ERRLOG: moto_server on 127.0.0.1:PORT in
# signature-checking mode (tests/suites/hive_s3_moto.py serve: its IAM key is the fixed AK/SK,
# so a restarted server accepts the same credentials), in its own process group, output
# appended to LOG; then the IAM user, key and BUCKET (tests/suites/s3_moto_setup.py, its errors
# appended to ERRLOG). Sets MOTO_PID. Needs moto_server and boto3 in the python3 on PATH.
harness_moto_start() {
  local port=$1 ak=$2 sk=$3 bucket=$4 log=$5 err=$6 creds
  INITIAL_NO_AUTH_ACTION_COUNT=3 setsid python3 tests/suites/hive_s3_moto.py serve "$port" "$ak" "$sk" \
      >>"$log" 2>&1 &
  MOTO_PID=$!
  harness_wait_port "$port" 30 || { echo "moto did not start" >&2; return 1; }
  creds=$(python3 tests/suites/s3_moto_setup.py "http://127.0.0.1:$port" "$bucket" 2>>"$err") || return 1
  [[ $creds == "$ak $sk" ]] || { echo "moto gave the key '$creds'" >&2; return 1; }
}

# harness_moto_stop: stops the moto_server harness_moto_start started (its process group).
harness_moto_stop() {
  [[ -n "${MOTO_PID:-}" ]] || return 0
  kill -TERM -- "-$MOTO_PID" 2>/dev/null || true
  wait "$MOTO_PID" 2>/dev/null || true
  MOTO_PID=
}
