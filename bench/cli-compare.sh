#!/usr/bin/env bash
# Start-up of the bundled CLI at another commit against the working tree's, in the same hyperfine run,
# with bare `node -e 0` as the floor (docs/benchmarks.md, CLI start-up):
#   bash bench/cli-compare.sh [base-commit] [runs]
# Builds both bundles with the base commit's own scripts/bundle-cli.js (the sources of the base are
# exported to a temporary folder inside packages/scanner, so they resolve the same node_modules).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../scripts/env.sh"
base="${1:-HEAD}"
runs="${2:-40}"
command -v hyperfine >/dev/null || { echo "cli-compare: needs hyperfine" >&2; exit 1; }
scanner="$here/../packages/scanner"
work="$(mktemp -d "$scanner/.bench-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT

node "$scanner/scripts/bundle-cli.js"
git -C "$here/.." archive "$base" packages/scanner/src packages/scanner/scripts packages/scanner/package.json |
  tar -x -C "$work" --strip-components=2
node "$work/scripts/bundle-cli.js"
# What bin/mlgov does with the build: compile cache on, run(argv). Kept out of dist/ (packed).
cat >"$work/run-bundle.js" <<'JS'
require('node:module').enableCompileCache?.();
require(process.argv[2]).run(process.argv.slice(3)).then(code => (process.exitCode = code));
JS
printf 'import json\n\ndef load(path):\n    with open(path) as f:\n        return json.load(f)\n' >"$work/train.py"
run="node $work/run-bundle.js"
base_bundle="$work/dist/mlgov.cjs.js"
this_bundle="$scanner/dist/mlgov.cjs.js"
cd "$work"
hyperfine -N -i -w 3 -r "$runs" 'node -e 0' \
  "$run $base_bundle --version" "$run $this_bundle --version" \
  "$run $base_bundle scan train.py" "$run $this_bundle scan train.py"
