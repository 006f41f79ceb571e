#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster:
#   scripts/with-postgres.sh make test
# The cluster lives in a fresh temp folder, listens on 127.0.0.1:${CIAPP_PG_PORT:-5433} (or,
# when that port is taken, say by another cluster of the same script, the next free one), has
# a database ciapp_test, and is stopped and removed when the command ends (or fails, or is
# interrupted). The command sees TEST_DATABASE_URL pointing at it. As root, the Debian
# `postgresql` package is installed when its server binaries are missing, and the cluster
# runs as the postgres user (initdb refuses root).
set -euo pipefail

port=${CIAPP_PG_PORT:-5433}
# Two runs side by side (a developer's and CI's) must not fight over one port.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
while port_taken "$port"; do port=$((port + 1)); done
here=$(cd "$(dirname "$0")" && pwd)

find_bindir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bindir=$(find_bindir)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "postgres: server binaries are missing; installing Debian's postgresql package"
    "$here/apt-install.sh" postgresql
    bindir=$(find_bindir)
fi

if [ "$(id -u)" = 0 ]; then
    # From /, since the postgres user may not be allowed into the caller's folder.
    as_pg() { (cd / && runuser -u postgres -- "$@"); }
else
    as_pg() { "$@"; }
fi

# Not under /root (the postgres user cannot enter it) and not in the work tree.
dir=$(mktemp -d "${TMPDIR:-/tmp}/ciapp-pg.XXXXXX")
[ "$(id -u)" = 0 ] && chown postgres: "$dir"

stop_cluster() {
    local status=$?
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    echo "postgres: cluster stopped and removed"
    return "$status"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

echo "postgres: $("$bindir/postgres" --version), cluster in $dir"
as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" \
    || { cat "$dir/initdb.log" >&2; exit 1; }
# Another cluster may take the port between the check above and the start: try the next.
for attempt in 1 2 3 4 5; do
    if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
        break
    fi
    grep -q "Address already in use" "$dir/server.log" && [ "$attempt" -lt 5 ] \
        || { cat "$dir/server.log" >&2; exit 1; }
    port=$((port + 1))
    while port_taken "$port"; do port=$((port + 1)); done
done
as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres ciapp_test

export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/ciapp_test"
echo "postgres: TEST_DATABASE_URL=$TEST_DATABASE_URL"
"$@"
