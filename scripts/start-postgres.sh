#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 server for the archive tests and print its SQLAlchemy URL.
#
#   export REPORTGEN_TEST_POSTGRES="$(scripts/start-postgres.sh)"
#
# Input: nothing (optional REPORTGEN_PG_PORT, REPORTGEN_PG_DATA, REPORTGEN_PG_BIN).
# Output: one line on stdout, the URL; progress and errors on stderr.
# Needs Debian's `postgresql-15` (apt-get install -y postgresql). Run as root, the server runs as
# the `postgres` user; run as anyone else, it runs as that user. Trust authentication, listening
# on 127.0.0.1 only, fsync off: for tests, never for data you want to keep. Idempotent: when the
# server is already up it just makes sure the database exists and prints the URL again.
# Stop it with: runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/reportgen-pg15 stop
set -euo pipefail

PORT="${REPORTGEN_PG_PORT:-54329}"
DATA="${REPORTGEN_PG_DATA:-/tmp/reportgen-pg15}"
BIN="${REPORTGEN_PG_BIN:-/usr/lib/postgresql/15/bin}"
DB=reportgen_test
URL="postgresql+psycopg://postgres@127.0.0.1:${PORT}/${DB}"

say() { echo "start-postgres: $*" >&2; }

if [ ! -x "$BIN/initdb" ]; then
    say "no PostgreSQL 15 in $BIN; install it with: apt-get install -y postgresql"
    exit 1
fi

if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        say "running as root but there is no 'postgres' user; install the postgresql package"
        exit 1
    fi
    as_server() { runuser -u postgres -- "$@"; }
    OWNER=postgres
else
    as_server() { "$@"; }
    OWNER="$(id -un)"
fi

if [ ! -s "$DATA/PG_VERSION" ]; then
    say "creating a cluster in $DATA"
    install -d -m 700 -o "$OWNER" "$DATA"
    as_server "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-locale \
        >"$DATA.initdb.log" 2>&1 || { cat "$DATA.initdb.log" >&2; exit 1; }
fi

if ! as_server "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    say "starting PostgreSQL on 127.0.0.1:$PORT"
    options="-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DATA"
    options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if ! as_server "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 -o "$options" \
        start >/dev/null; then
        say "the server did not start; its log says:"
        tail -n 20 "$DATA/server.log" >&2
        exit 1
    fi
fi

psql() { as_server "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    psql -d postgres -c "CREATE DATABASE $DB"
fi

echo "$URL"
