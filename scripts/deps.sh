#!/usr/bin/env bash
# Ferry: idempotent installer of build (and, with --test, test) dependencies on Debian 12.
# Must never sudo, never touch anything but apt/npm, and stay quiet when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(gcc make pkg-config libpg-query-dev libprotobuf-c-dev libevent-dev libjansson-dev
      libcurl4-openssl-dev libzstd-dev librdkafka-dev libpq-dev libssl-dev libcmocka-dev
      libsnappy-dev zlib1g-dev liblz4-dev libbrotli-dev libxml2-dev)
test_mode=0
if [[ "${1:-}" == "--test" ]]; then
  test_mode=1
  pkgs+=(postgresql-15 postgresql-client-15 postgresql-server-dev-15 libpostgresql-jdbc-java
         default-jdk-headless python3-psycopg2 nodejs npm
         # make fuzz: clang and libFuzzer's runtime (only a Recommends of clang-14, which
         # --no-install-recommends below would leave out)
         clang libclang-rt-14-dev)
fi

# dpkg-query reports "install ok installed" only for fully configured packages.
missing=()
# Some packages only stand for a command that another package may already provide
# (nodesource's nodejs ships npm and conflicts with Debian's npm; any JDK gives javac).
declare -A provides=([default-jdk-headless]=javac [npm]=npm [nodejs]=node)
for p in "${pkgs[@]}"; do
  if [[ -n "${provides[$p]:-}" ]] && command -v "${provides[$p]}" >/dev/null; then continue; fi
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$st" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "deps.sh: missing packages (run as root): apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm `pg` (node-postgres client test) and `@duckdb/node-api` (tests/suites/parquet_duckdb.sh):
# npm ci whenever the tree does not match package-lock.json, i.e. when the lock's hash differs
# from the stamp the last npm ci left in node_modules/.ferry-lock-hash (or there is none).
if ((test_mode)) && [[ -f package-lock.json ]]; then
  lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [[ ! -d node_modules/pg || "$(cat node_modules/.ferry-lock-hash 2>/dev/null)" != "$lock_hash" ]]; then
    echo "deps.sh: npm ci"
    # npm ci refuses a lock without every platform's optional @duckdb/node-bindings-* entry
    # (a registry mirror without them cannot lock them); npm install --no-save then installs
    # the same locked versions for this platform without rewriting package-lock.json.
    npm ci --silent --no-audit --no-fund >/dev/null 2>&1 ||
      npm install --silent --no-save --no-audit --no-fund >/dev/null
    echo "$lock_hash" >node_modules/.ferry-lock-hash
  fi
fi
