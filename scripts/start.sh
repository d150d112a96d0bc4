#!/usr/bin/env bash
# Starts the portal for local use: frontend on :3000, backend on :7007, embedded SQLite, the example
# catalog and guest sign-in. Extra arguments go to `backstage-cli repo start`.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/bootstrap.sh"
source "$here/env.sh"
cd "$MLGOV_ROOT"
exec yarn start "$@"
