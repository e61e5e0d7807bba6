#!/usr/bin/env bash
# pgjdbc DatabaseMetaData over the catalog emulation: compiles JdbcMetadataTest.java into
# the work dir and runs it against Ferry (and, for result shapes, the harness's PostgreSQL).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/ferry-clients}/jdbc_metadata; mkdir -p "$out"
jar=/usr/share/java/postgresql.jar
javac -d "$out" -cp "$jar" "$here/JdbcMetadataTest.java"
# ORACLE_PGPORT (the harness's PostgreSQL 15): compare result shapes with it
exec java -cp "$out:$jar" JdbcMetadataTest "${FERRY_PORT:?}" "${ORACLE_PGPORT:-}"
