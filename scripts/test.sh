#!/usr/bin/env bash
# Runs every test: type checking, lint, every package's jest tests (stores on SQLite and on a local
# PostgreSQL that this script installs/starts when needed), then the end-to-end tests in Debian
# Chromium against the built portal; then what adopters rely on: formatting, one copy of every
# dependency, knip, API reports, changesets, the packed scanner CLI, and the adoption test (a fresh
# create-app portal with our packages installed as the READMEs say). Set up from scratch on a fresh
# machine.
#   scripts/test.sh                 everything
#   scripts/test.sh --no-e2e        skip the browser tests
#   scripts/test.sh --no-adoption   skip the adoption test (~10 min; also MLGOV_SKIP_ADOPTION=1)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
run_e2e=1
for arg in "$@"; do
  case "$arg" in
    --no-e2e) run_e2e=0 ;;
    --no-adoption) export MLGOV_SKIP_ADOPTION=1 ;;
    *) echo "usage: scripts/test.sh [--no-e2e] [--no-adoption]" >&2; exit 2 ;;
  esac
done

bash "$here/bootstrap.sh"
source "$here/env.sh"
source "$here/postgres.sh"
source "$here/system-packages.sh"
cd "$MLGOV_ROOT"

step() { printf '\n==> %s\n' "$*"; }

step "PostgreSQL"
mlgov_ensure_postgres

step "Debian packages the tests drive (Chromium, docker-registry, skopeo, zstd, openssl)"
mlgov_ensure_system_packages
# TestDatabases would try Docker under CI=true for engines without a connection string; there is none here.
export BACKSTAGE_TEST_DISABLE_DOCKER=1

step "Type check"
yarn tsc

step "Lint"
yarn lint:all

step "Formatting (prettier --check)"
yarn prettier --check .

step "Dependencies: one copy each (yarn dedupe --check), none unused or unlisted (knip)"
yarn dedupe --check
yarn knip

step "API reports (report.api.md, from the type check's dist-types)"
yarn test:api-reports

step "Changesets"
if git rev-parse --verify --quiet main >/dev/null; then
  yarn changeset status
else
  echo "no main branch to compare with; skipped"
fi

step "Unit and integration tests (all packages)"
CI=true yarn test --maxWorkers=2 2>&1 | tee "$MLGOV_ROOT/.test-output.log"
jest_status=${PIPESTATUS[0]}
[ "$jest_status" = 0 ] || exit "$jest_status"

if [ "$run_e2e" = 1 ]; then
  step "End-to-end tests (Chromium)"
  [ -x /usr/bin/chromium ] || { echo "mlgov: /usr/bin/chromium is missing; install Debian's chromium package" >&2; exit 1; }
  yarn workspace app build
  yarn test:e2e 2>&1 | tee -a "$MLGOV_ROOT/.test-output.log"
  e2e_status=${PIPESTATUS[0]}
  [ "$e2e_status" = 0 ] || exit "$e2e_status"
fi

step "Scanner package: npx from the tarball, CI examples, Dockerfile commands, start-up"
bash "$here/test-cli-package.sh"

step "Adoption: a fresh create-app portal with the packed plugins"
bash "$MLGOV_ROOT/test/adoption/run.sh"

node "$here/summarise-tests.js" "$MLGOV_ROOT/.test-output.log"
