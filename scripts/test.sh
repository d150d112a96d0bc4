#!/usr/bin/env bash
# Runs every test: type checking, lint, every package's jest tests (stores on SQLite and on a local
# PostgreSQL that this script installs/starts when needed), then the end-to-end tests in Debian
# Chromium against the built portal. Set up from scratch on a fresh machine.
#   scripts/test.sh            everything
#   scripts/test.sh --no-e2e   skip the browser tests
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
run_e2e=1
for arg in "$@"; do
  case "$arg" in
    --no-e2e) run_e2e=0 ;;
    *) echo "usage: scripts/test.sh [--no-e2e]" >&2; exit 2 ;;
  esac
done

bash "$here/bootstrap.sh"
source "$here/env.sh"
source "$here/postgres.sh"
cd "$MLGOV_ROOT"

step() { printf '\n==> %s\n' "$*"; }

step "PostgreSQL"
mlgov_ensure_postgres
# TestDatabases would try Docker under CI=true for engines without a connection string; there is none here.
export BACKSTAGE_TEST_DISABLE_DOCKER=1

step "Type check"
yarn tsc

step "Lint"
yarn lint:all

step "Unit and integration tests (all packages)"
CI=true yarn test --maxWorkers=2 2>&1 | tee "$MLGOV_ROOT/.test-output.log"
jest_status=${PIPESTATUS[0]}
[ "$jest_status" = 0 ] || exit "$jest_status"

if [ "$run_e2e" = 1 ]; then
  step "End-to-end tests (Chromium)"
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "mlgov: /usr/bin/chromium is missing; install Debian's chromium package" >&2
      exit 1
    fi
  fi
  yarn workspace app build
  yarn test:e2e 2>&1 | tee -a "$MLGOV_ROOT/.test-output.log"
  e2e_status=${PIPESTATUS[0]}
  [ "$e2e_status" = 0 ] || exit "$e2e_status"
fi

node "$here/summarise-tests.js" "$MLGOV_ROOT/.test-output.log"
