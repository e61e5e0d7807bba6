#!/usr/bin/env bash
# Ferry: the postgresql connector's TLS options against a real PostgreSQL 15 that accepts
# only TLS (hostssl) with a certificate signed by a throwaway CA made here.
# Usage: tests/suites/postgres_tls.sh BUILDDIR TMPDIR. Prints "ok NAME" / "FAIL NAME";
# exit 77 (last line says why) without PostgreSQL 15 or openssl.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${1:?usage: tests/suites/postgres_tls.sh BUILDDIR TMPDIR}
TMP=${2:?usage: tests/suites/postgres_tls.sh BUILDDIR TMPDIR}
. scripts/lib.sh

if [[ ! -x $PGBIN/initdb || ! -x $PGBIN/pg_ctl ]] || ! command -v openssl >/dev/null; then
  echo "PostgreSQL 15 binaries or openssl not found"
  exit 77
fi
[[ -x $BUILD/ferry ]] || { echo "FAIL build: $BUILD/ferry missing"; exit 1; }
mkdir -p "$TMP"
chmod 755 "$TMP"
PG_DIR= FERRY_PID=
trap 'harness_ferry_stop; harness_pg_stop' EXIT
fails=0
report() { # NAME OK(0/1) DETAIL
  if [[ $2 == 0 ]]; then echo "ok   $1"; else echo "FAIL $1"; printf '%s\n' "$3" | sed 's/^/    /'; fails=$((fails + 1)); fi
}

# A CA, a server certificate for 127.0.0.1 signed by it, and a second CA that signed nothing.
C=$TMP/certs
mkdir -p "$C"
{
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ferry test CA" \
    -keyout "$C/ca.key" -out "$C/ca.crt" &&
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=other CA" \
    -keyout "$C/other.key" -out "$C/other.crt" &&
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$C/server.key" -out "$C/server.csr" &&
  printf 'subjectAltName=IP:127.0.0.1\n' >"$C/ext.cnf" &&
  openssl x509 -req -in "$C/server.csr" -CA "$C/ca.crt" -CAkey "$C/ca.key" -CAcreateserial \
    -days 2 -extfile "$C/ext.cnf" -out "$C/server.crt"
} >"$TMP/openssl.log" 2>&1 || { cat "$TMP/openssl.log"; echo "FAIL certificates"; exit 1; }
chmod 644 "$C"/*.crt

harness_pg_start "$TMP/pg" || { echo "FAIL start postgresql"; exit 1; }
cp "$C/server.crt" "$C/server.key" "$TMP/pg/data/"
chown postgres "$TMP/pg/data/server.crt" "$TMP/pg/data/server.key"
chmod 600 "$TMP/pg/data/server.key"
# TLS only over TCP: no plain host line at all
printf 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n' >"$TMP/pg/data/pg_hba.conf"
as=()
[[ $(id -u) -eq 0 ]] && as=(runuser -u postgres --)
"${as[@]}" "$PGBIN/psql" -X -q -h "$TMP/pg" -p "$PG_PORT" -U postgres -d postgres \
  -c "ALTER SYSTEM SET ssl = on" -c "SELECT pg_reload_conf()" >/dev/null ||
  { echo "FAIL enable ssl"; exit 1; }
sleep 1
"${as[@]}" "$PGBIN/psql" -X -q -h "$TMP/pg" -p "$PG_PORT" -U postgres -d postgres \
  -c "CREATE TABLE public.secret (k int PRIMARY KEY, v text)" \
  -c "INSERT INTO public.secret VALUES (1, 'over tls'), (2, 'still tls')" >/dev/null ||
  { echo "FAIL create table"; exit 1; }

# One catalog per TLS setting (Trino's JDBC URL parameters, passed on to libpq).
ETC=$TMP/etc
mkdir -p "$ETC/catalog"
cp regress/etc/config.properties "$ETC/"
cp regress/etc/catalog/tpch.properties "$ETC/catalog/"
cat_props() { # NAME URL-PARAMETERS
  printf 'connector.name=postgresql\nconnection-url=jdbc:postgresql://127.0.0.1:%s/postgres?%s\nconnection-user=postgres\n' \
    "$PG_PORT" "$2" >"$ETC/catalog/$1.properties"
}
cat_props pg_verify "sslmode=verify-full&sslrootcert=$C/ca.crt"
cat_props pg_require "ssl=true&sslmode=require"
cat_props pg_wrongca "sslmode=verify-full&sslrootcert=$C/other.crt"
cat_props pg_plain "sslmode=disable"

up=0
harness_ferry_start "$BUILD" "$TMP/ferry.log" "$ETC" || up=1
report ferry_start "$up" "$(tail -3 "$TMP/ferry.log")"
((up == 0)) || exit 1
ferry() { psql -X -q -h 127.0.0.1 -p "$FERRY_PORT" -U admin -d tpch -At "$@" 2>&1; }

out=$(ferry -c "SELECT v FROM pg_verify.public.secret ORDER BY k")
[[ $out == $'over tls\nstill tls' ]]
report tls_verify_full_reads "$?" "$out"
out=$(ferry -c "SELECT count(*) FROM pg_require.public.secret")
[[ $out == 2 ]]
report tls_require_reads "$?" "$out"
# The server says which of its backends run TLS: Ferry's connections must all be.
out=$("${as[@]}" "$PGBIN/psql" -X -q -h "$TMP/pg" -p "$PG_PORT" -U postgres -d postgres -At -c \
  "SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
   WHERE a.application_name = 'ferry'")
[[ $out =~ ^([1-9][0-9]*)\|([0-9]+)$ && ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]]
report tls_server_sees_ssl "$?" "ssl/total of ferry's backends: $out"
# A certificate from another CA: the connection is refused, the error names the catalog.
out=$(ferry -v VERBOSITY=verbose -c "SELECT count(*) FROM pg_wrongca.public.secret")
[[ $out == *08001* && $out == *pg_wrongca* && $out == *certificate* ]]
report tls_wrong_ca_refused "$?" "$out"
# No TLS against a server that only takes TLS: refused (pg_hba has no plain host line).
out=$(ferry -v VERBOSITY=verbose -c "SELECT count(*) FROM pg_plain.public.secret")
[[ $out == *pg_plain* && $out == *no\ pg_hba.conf\ entry* ]]
report tls_plain_refused "$?" "$out"
# ...and the session and the server keep working.
out=$(ferry -c "SELECT count(*) FROM pg_verify.public.secret")
[[ $out == 2 ]]
report tls_after_errors "$?" "$out"
exit $((fails > 0))
