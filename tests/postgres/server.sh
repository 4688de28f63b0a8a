#!/usr/bin/env bash
# A throw-away PostgreSQL server on 127.0.0.1 for the tests and benchmarks
# (Debian's postgresql package). Its state lives in STATE_DIR: `url` (the
# superuser's connection URL) and `datadir` (the cluster, under /tmp so that
# the postgres user can reach it when this runs as root).
#
#   server.sh start STATE_DIR          initialise (first time) and start; prints the URL
#   server.sh kill STATE_DIR           stop at once, as a crash would (data kept)
#   server.sh stop STATE_DIR           stop and delete everything
#   server.sh createdb STATE_DIR NAME  create database NAME; prints its URL
#
# TEST-ONLY credentials: the superuser `passerelle` with the password below.
# fsync is off (a test server need not survive a power cut; a killed server
# loses nothing that was committed, since the WAL is in the OS's cache).
set -euo pipefail

readonly password="test-only-password"  # TEST-ONLY
cmd="${1:-}"
state="${2:-}"
[[ -n "$cmd" && -n "$state" ]] || { sed -n '6,9p' "$0" >&2; exit 2; }

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[[ -x "$bindir/pg_ctl" ]] || { echo "server.sh: no PostgreSQL server installed (Debian package postgresql)" >&2; exit 1; }

# PostgreSQL refuses to run as root: then its programs run as `postgres`.
as_server_user() {
  if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Below Linux's ephemeral range (32768 and up), so that no client socket of a
# busy test run holds the port when the server binds it, now or at a restart.
pick_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 12000))
    port_in_use "$port" || { echo "$port"; return; }
  done
  echo "server.sh: no free port found" >&2
  exit 1
}

start() {
  mkdir -p "$state"
  local datadir port
  if [[ -f "$state/datadir" ]]; then
    datadir="$(cat "$state/datadir")"
    port="$(cat "$state/port")"
  else
    datadir="$(mktemp -d /tmp/passerelle-pg-XXXXXX)"
    port="$(pick_port)"
    local pwfile="$datadir.pw"
    printf '%s\n' "$password" >"$pwfile"
    [[ "$(id -u)" -eq 0 ]] && chown postgres "$datadir" "$pwfile"
    as_server_user "$bindir/initdb" -D "$datadir/data" -U passerelle --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    echo "$datadir" >"$state/datadir"
    echo "$port" >"$state/port"
    echo "postgresql://passerelle:$password@127.0.0.1:$port/postgres" >"$state/url"
  fi
  if ! as_server_user "$bindir/pg_ctl" -D "$datadir/data" -l "$datadir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $datadir -c fsync=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null; then
    echo "server.sh: PostgreSQL did not start; its log ends with:" >&2
    tail -n 5 "$datadir/server.log" >&2 || true
    exit 1
  fi
  cat "$state/url"
}

kill_now() {
  local datadir
  datadir="$(cat "$state/datadir")"
  as_server_user "$bindir/pg_ctl" -D "$datadir/data" -m immediate -w stop >/dev/null
}

stop() {
  [[ -f "$state/datadir" ]] || return 0
  local datadir
  datadir="$(cat "$state/datadir")"
  as_server_user "$bindir/pg_ctl" -D "$datadir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf -- "$datadir" "$state/datadir" "$state/port" "$state/url"
}

createdb() {
  local name="${3:?database name}" port datadir
  [[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "server.sh: database names are [a-z0-9_]+" >&2; exit 2; }
  port="$(cat "$state/port")"
  datadir="$(cat "$state/datadir")"
  as_server_user psql -q -h "$datadir" -p "$port" -U passerelle -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $name" >/dev/null
  echo "postgresql://passerelle:$password@127.0.0.1:$port/$name"
}

case "$cmd" in
  start) start ;;
  kill) kill_now ;;
  stop) stop ;;
  createdb) createdb "$@" ;;
  *) sed -n '6,9p' "$0" >&2; exit 2 ;;
esac
