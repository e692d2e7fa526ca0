#!/usr/bin/env bash
# Install the servers tests/integration/test_celery.py starts itself on 127.0.0.1 (PostgreSQL
# and Redis), and the headless browser tests/integration/test_explorer_browser.py drives
# (Debian's chromium), when this machine lacks them. Debian/Ubuntu (apt-get); quick when nothing
# is missing.
# Nothing is started or enabled here: the test runs its own throwaway instances.
set -euo pipefail

has_pg_binary() {
  command -v "$1" >/dev/null 2>&1 && return 0
  local dir
  for dir in /usr/local/bin /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/$1" ]] && return 0
  done
  return 1
}

packages=()
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
for binary in initdb pg_ctl postgres; do
  if ! has_pg_binary "$binary"; then
    packages+=(postgresql)
    break
  fi
done

if ((${#packages[@]} == 0)); then
  echo "ci-services: redis-server, PostgreSQL server binaries and chromium present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi
echo "ci-services: installing ${packages[*]}"
if [[ " ${packages[*]} " == *" postgresql "* && ! -e /etc/postgresql-common/createcluster.conf ]]; then
  # The test makes its own cluster; don't let the package create (and start) a default one.
  $SUDO mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  -o Dpkg::Options::=--force-confold "${packages[@]}"
