#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server and TEST_DATABASE_URL pointing at it.
# PostgreSQL refuses to run as root, so the cluster belongs to the `postgres` user (or the caller when not root).
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d /tmp/fieldbook-pg.XXXXXX)
port=${PGPORT_TEST:-55432}
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  run_as=(runuser -u postgres --)
fi
"${run_as[@]}" "$bin/initdb" -D "$dir/data" -U fieldbook --auth=trust -E UTF8 >/dev/null
"${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" -l "$dir/log" -w start >/dev/null
cleanup() { "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
"${run_as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U fieldbook fieldbook
export TEST_DATABASE_URL="postgres://fieldbook@127.0.0.1:$port/fieldbook"
"$@"
