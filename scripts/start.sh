#!/usr/bin/env bash
# Starts the portal for local use: frontend on :3000, backend on :7007, embedded SQLite, the example
# catalog and guest sign-in. Extra arguments go to `backstage-cli repo start`.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/bootstrap.sh"
source "$here/env.sh"
cd "$MLGOV_ROOT"
# Stand-ins for the remote example entities (MLGOV_FAKE_REMOTE=0 to skip, e.g. with real sources configured).
if [ "${MLGOV_FAKE_REMOTE:-1}" != 0 ]; then
  node scripts/fake-remote-sources.js &
  fake_remote=$!
  node scripts/fake-cloud-storage.js &
  fake_cloud=$!
  trap 'kill "$fake_remote" "$fake_cloud" 2>/dev/null || true' EXIT
fi
yarn start "$@"
