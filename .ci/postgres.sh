#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 for the tests and print its URL.
# Usage: eval "$(bash .ci/postgres.sh)"   (sets SCHOLARFOLIO_TEST_PG)
set -euo pipefail
PORT="${PGPORT_TEST:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
DATA="$(mktemp -d /tmp/scholarfolio-pg.XXXXXX)"
chown postgres:postgres "$DATA"
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
run "'$BIN/initdb' -D '$DATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
run "'$BIN/pg_ctl' -D '$DATA' -l '$DATA/log' -o \"-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off\" -w start" >/dev/null
run "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U postgres scholarfolio_test"
echo "export SCHOLARFOLIO_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:$PORT/scholarfolio_test"
