#!/usr/bin/env bash
# Installs everything the repository needs on a fresh machine: a supported Node (from the npm
# registry, when the machine's is not 22 or 24) and the Yarn workspace's dependencies.
# Safe to run repeatedly; it does nothing that is already done.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MLGOV_ROOT"

lock_stamp="node_modules/.mlgov-installed"
if [ ! -f "$lock_stamp" ] || [ yarn.lock -nt "$lock_stamp" ] || [ package.json -nt "$lock_stamp" ]; then
  echo "mlgov: installing dependencies (yarn install)" >&2
  if [ -n "${CI:-}" ]; then
    yarn install --immutable
  else
    yarn install
  fi
  touch "$lock_stamp"
fi
