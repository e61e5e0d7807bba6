#!/usr/bin/env bash
# Ferry: live S3 suite. Starts moto_server on loopback in signature-checking mode (and a second
# one without authentication for keys moto cannot verify), runs build/tests/test_s3_live against
# them, then kills the server and checks that requests fail fast with connection errors.
# Usage: tests/suites/s3.sh BUILDDIR TMPDIR
# Prints "ok NAME" or "FAIL NAME" per test; exits 77 (last line says why) when moto_server or boto3
# is missing, non-zero when anything failed. Only ever kills the servers it started.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
TMP=${2:-$(mktemp -d)}
mkdir -p "$TMP"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

BUCKET=ferry-test
SUITE=tests/suites

if ! command -v moto_server >/dev/null 2>&1; then
  echo "s3.sh: moto_server not found (pip install 'moto[server]' in the python3 on PATH): skipped"
  exit 77
fi
if ! python3 -c 'import boto3, botocore' >/dev/null 2>&1; then
  echo "s3.sh: python3 has no boto3/botocore: skipped"
  exit 77
fi
for bin in test_s3_live test_s3_sigv4; do
  if [[ ! -x "$BUILD/tests/$bin" ]]; then
    echo "FAIL build: $BUILD/tests/$bin missing (make unit-bins)"
    exit 1
  fi
done

failed=0
report() { # report NAME RC
  if [[ $2 -eq 0 ]]; then echo "ok $1"; else echo "FAIL $1"; failed=1; fi
}

MOTO_PIDS=()
cleanup() {
  local p
  for p in "${MOTO_PIDS[@]}"; do
    kill -TERM -- "-$p" 2>/dev/null || true
  done
  for p in "${MOTO_PIDS[@]}"; do
    wait "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT

# start_moto NAME [ENV=VALUE...]: a moto_server in its own process group; sets MOTO_PORT, MOTO_PID.
start_moto() {
  local name=$1; shift
  MOTO_PORT=$(harness_free_port)
  env "$@" setsid moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$TMP/moto-$name.log" 2>&1 &
  MOTO_PID=$!
  MOTO_PIDS+=("$MOTO_PID")
  if ! harness_wait_port "$MOTO_PORT" 30; then
    echo "FAIL moto_start_$name (see $TMP/moto-$name.log)"
    tail -5 "$TMP/moto-$name.log" >&2
    exit 1
  fi
}

# run_cmocka NAME BIN [ENV=VALUE...]: one ok/FAIL line per cmocka test of BIN.
run_cmocka() {
  local name=$1 bin=$2; shift 2
  local log="$TMP/$name.log" rc
  env "$@" timeout 600 "$bin" >"$log" 2>&1; rc=$?
  local t seen=0
  while read -r t; do
    seen=1
    if grep -qE "^\[  (FAILED  |SKIPPED |ERROR   )\] $t\$" "$log"; then
      echo "FAIL $t"; failed=1
      sed -n "/^\[ RUN      \] $t\$/,/^\[ *[A-Z]* *\] $t\$/p" "$log" | tail -15 >&2
    else
      echo "ok $t"
    fi
  done < <(sed -n 's/^\[ RUN      \] \(.*\)$/\1/p' "$log")
  if ((rc != 0)) && ! grep -q '^\[  FAILED  \]' "$log"; then
    echo "FAIL $name (exit $rc: crashed or timed out; see $log)"; failed=1
    tail -20 "$log" >&2
  elif ((seen == 0)); then
    echo "FAIL $name (no tests ran; see $log)"; failed=1
  fi
}

# 1. The botocore reference block embedded in test_s3_sigv4.c is what botocore produces today.
python3 "$SUITE/s3_sigv4_reference.py" >"$TMP/sigv4-reference.inc" 2>"$TMP/sigv4-reference.err"
gen_rc=$?
sed -n '/^\/\* BEGIN GENERATED/,/^\/\* END GENERATED \*\//p' tests/unit/test_s3_sigv4.c >"$TMP/sigv4-embedded.inc"
if ((gen_rc == 0)) && diff -u "$TMP/sigv4-embedded.inc" "$TMP/sigv4-reference.inc" >"$TMP/sigv4.diff"; then
  report sigv4_reference_matches_botocore 0
else
  report sigv4_reference_matches_botocore 1
  head -20 "$TMP/sigv4.diff" "$TMP/sigv4-reference.err" >&2
fi
run_cmocka test_s3_sigv4 "$BUILD/tests/test_s3_sigv4"

# 2. moto with authentication: 3 unauthenticated calls create the IAM user, policy and key.
start_moto auth INITIAL_NO_AUTH_ACTION_COUNT=3
AUTH_PORT=$MOTO_PORT AUTH_PID=$MOTO_PID
start_moto noauth
NOAUTH_PORT=$MOTO_PORT
if creds=$(python3 "$SUITE/s3_moto_setup.py" "http://127.0.0.1:$AUTH_PORT" "$BUCKET" 2>"$TMP/setup.err"); then
  # The setup itself checks that a wrong secret key gets HTTP 403.
  report moto_rejects_wrong_secret_key 0
else
  report moto_rejects_wrong_secret_key 1
  tail -5 "$TMP/setup.err" >&2
  echo "s3.sh: moto setup failed"
  exit 1
fi
read -r KEY SECRET <<<"$creds"
python3 - "http://127.0.0.1:$NOAUTH_PORT" "$BUCKET" <<'EOF' 2>"$TMP/noauth-setup.err" \
  || { echo "FAIL moto_noauth_setup"; failed=1; }
import sys, boto3
boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="x",
             aws_secret_access_key="x").create_bucket(Bucket=sys.argv[2])
EOF

LIVE_ENV=(S3_TEST_ENDPOINT="http://127.0.0.1:$AUTH_PORT" S3_TEST_KEY="$KEY" S3_TEST_SECRET="$SECRET"
          S3_TEST_BUCKET="$BUCKET" S3_TEST_NOAUTH_ENDPOINT="http://127.0.0.1:$NOAUTH_PORT")
run_cmocka test_s3_live "$BUILD/tests/test_s3_live" "${LIVE_ENV[@]}"

# 3. Kill the server: requests must fail with a connection error after the retries, quickly.
kill -KILL -- "-$AUTH_PID" 2>/dev/null
wait "$AUTH_PID" 2>/dev/null
run_cmocka test_s3_live_dead "$BUILD/tests/test_s3_live" "${LIVE_ENV[@]}" S3_TEST_DEAD=1

exit "$failed"
