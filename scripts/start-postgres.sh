#!/usr/bin/env bash
# Makes sure a PostgreSQL server runs on this machine with a `kiosk` database for the tests,
# installing Debian's package when it is missing, and prints the SQLAlchemy URL to use.
set -euo pipefail
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "start-postgres: installing postgresql" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | grep -q "^$version main"; then
    $sudo pg_createcluster "$version" main >&2
  fi
  # stdout carries only the URL (the caller captures it): pg_ctlcluster says things like
  # "Removed stale pid file." there.
  $sudo pg_ctlcluster "$version" main start >&2
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
psql_as_admin() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -c "psql -qtAX $(printf '%q ' "$@")"
  else sudo -u postgres psql -qtAX "$@"; fi
}
if [ -z "$(psql_as_admin -c "SELECT 1 FROM pg_roles WHERE rolname='kiosk'")" ]; then
  psql_as_admin -c "CREATE ROLE kiosk LOGIN PASSWORD 'kiosk' CREATEDB" >/dev/null
fi
echo "postgresql+psycopg://kiosk:kiosk@127.0.0.1:5432/postgres"
