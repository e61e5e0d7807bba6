#!/usr/bin/env bash
# pgjdbc client test: compiles JdbcTest.java into the work dir and runs it against Ferry.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/ferry-clients}/jdbc; mkdir -p "$out"
jar=/usr/share/java/postgresql.jar
javac -d "$out" -cp "$jar" "$here/JdbcTest.java"
exec java -cp "$out:$jar" JdbcTest "${FERRY_PORT:?}"
