#!/usr/bin/env bash
# pgjdbc client test: compiles JdbcTest.java and JdbcArrayTest.java into the work dir and runs
# them against Ferry.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/ferry-clients}/jdbc; mkdir -p "$out"
jar=/usr/share/java/postgresql.jar
javac -d "$out" -cp "$jar" "$here/JdbcTest.java" "$here/JdbcArrayTest.java"
java -cp "$out:$jar" JdbcArrayTest "${FERRY_PORT:?}"
exec java -cp "$out:$jar" JdbcTest "${FERRY_PORT:?}"
