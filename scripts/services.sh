#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1: starts them if installed but stopped, installs them
# from Debian's packages if missing, and installs Debian's Chromium for the browser tests. Used by scripts/setup.sh and .ci/run. Needs root (or sudo) to install.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

wait_for() {
  local what=$1 check=$2
  for _ in $(seq 1 60); do
    if $check; then return 0; fi
    sleep 0.5
  done
  echo "services: $what did not come up" >&2
  return 1
}

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "services: installing PostgreSQL from Debian's packages"
  apt_install postgresql postgresql-client
fi
if ! pg_ready; then
  echo "services: starting PostgreSQL"
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL pg_ready
fi
# Tests and the apps connect as postgres over TCP without a password (a developer machine or CI, not production).
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; then
  echo "services: allowing local trust authentication for PostgreSQL"
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  $SUDO sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(host\s+all\s+all\s+::1\/128\s+)\S+/\1trust/; s/^(local\s+all\s+postgres\s+)\S+/\1trust/' "$hba"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
fi

if ! command -v redis-server >/dev/null 2>&1; then
  echo "services: installing Redis from Debian's packages"
  apt_install redis-server
fi
if ! redis_ready; then
  echo "services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  wait_for Redis redis_ready
fi
# The agency web dashboard's browser test drives Debian's Chromium through playwright-core (no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  echo "services: installing Chromium from Debian's packages (browser tests)"
  apt_install chromium
fi
# A Chinese font, so the dashboard's screenshots show 汉字 rather than empty boxes.
if ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  apt_install fonts-wqy-zenhei
fi
echo "services: PostgreSQL and Redis are up"
