#!/usr/bin/env bash
# Replays the catalog queries real clients send (tests/clients/catalog-replay/*.sql, each
# captured from the tool against PostgreSQL 15; see the capture scripts there) against
# Ferry's memory catalog, one statement at a time, after creating the same objects: through
# pgjdbc (JdbcReplay.java, extended protocol) for a file whose first line is
# "-- via: pgjdbc", else through psql. Each failure is listed with its error. The gate
# (catalog-replay/expected-failures.txt, one "file#n" a line) holds the statements known
# to fail: a failure not in it fails the test, and so does a gated statement that now
# passes (remove it: the gate may only shrink).
set -uo pipefail
port=${FERRY_PORT:?}
dir=$(dirname "$0")/catalog-replay
gate=$dir/expected-failures.txt
psqlf() { psql -X -q -h 127.0.0.1 -p "$port" -U admin -d memory -v ON_ERROR_STOP=1 "$@"; }
psqlf -c 'DROP VIEW IF EXISTS public.replay_v' -c 'DROP TABLE IF EXISTS public.replay_child' \
  -c 'DROP TABLE IF EXISTS public.replay_t' >/dev/null 2>&1
psqlf -c 'CREATE TABLE public.replay_t (a integer PRIMARY KEY, b text NOT NULL, c numeric(10,2))' \
  -c 'CREATE TABLE public.replay_child (id integer PRIMARY KEY, t_a integer)' \
  -c 'CREATE VIEW public.replay_v AS SELECT a, b FROM public.replay_t' || exit 1
declare -A oid
for rel in replay_t replay_child replay_v; do
  oid[$rel]=$(psqlf -Atc "SELECT 'public.$rel'::regclass::oid") || exit 1
done
# replay_t's primary key: its index and its constraint
oid[replay_t_pkey]=$(psqlf -Atc "SELECT indexrelid FROM pg_catalog.pg_index WHERE indrelid = ${oid[replay_t]}") || exit 1
oid[replay_t_pkey_constraint]=$(psqlf -Atc "SELECT oid FROM pg_catalog.pg_constraint
  WHERE conrelid = ${oid[replay_t]} AND contype = 'p'") || exit 1
fail=0 total=0 failed=0
declare -A failing
work=${1:-/tmp/ferry-clients}/catalog_replay; mkdir -p "$work"
jar=/usr/share/java/postgresql.jar
subst=(); for rel in "${!oid[@]}"; do subst+=("$rel=${oid[$rel]}"); done
# check NAME N ERROR: a failing statement, against the gate
check() {
  failing["$1#$2"]=1 failed=$((failed + 1))
  if ! grep -qx "$1#$2" "$gate"; then echo "FAIL $1#$2 (not in the gate): $3"; fail=1
  else echo "gated $1#$2: $3"; fi
}
for f in "$dir"/*.sql; do
  name=$(basename "$f" .sql)
  if [[ $(head -1 "$f") == '-- via: pgjdbc' ]]; then
    [[ -f $work/JdbcReplay.class ]] || javac -d "$work" -cp "$jar" "$dir/JdbcReplay.java" || exit 1
    total=$((total + $(grep -c '^-- next$' "$f")))
    out=$(java -cp "$work:$jar" JdbcReplay "jdbc:postgresql://127.0.0.1:$port/memory?user=admin" \
            "$f" "${subst[@]}") || { echo "FAIL $name: the replay did not run"; fail=1; continue; }
    while read -r _ n err; do check "$name" "$n" "$err"; done < <(grep '^ERR ' <<<"$out")
    continue
  fi
  # statements are separated by "-- next" lines
  n=0
  while IFS= read -r -d $'\x1e' stmt; do
    [[ -n ${stmt//[$' \n']/} ]] || continue
    n=$((n + 1)) total=$((total + 1))
    for rel in "${!oid[@]}"; do stmt=${stmt//\{\{$rel\}\}/${oid[$rel]}}; done
    if ! err=$(psqlf -c "$stmt" 2>&1 >/dev/null); then check "$name" "$n" "$(head -1 <<<"$err")"; fi
  done < <(awk '/^-- next$/ { printf "\x1e"; next } /^-- / { next } { print }' "$f"; printf '\x1e')
done
while read -r id; do
  [[ -z $id || $id == \#* ]] && continue
  if [[ -z ${failing[$id]:-} ]]; then
    echo "FAIL $id passes now: remove it from $gate"
    fail=1
  fi
done <"$gate"
psqlf -c 'DROP VIEW public.replay_v' -c 'DROP TABLE public.replay_child' -c 'DROP TABLE public.replay_t' >/dev/null 2>&1
echo "catalog replay: $((total - failed)) of $total statements pass, $failed fail"
exit $fail
