#!/usr/bin/env bash
# The scanner as adopters get it: builds and packs @ml-governance/scanner (what `npm publish` would
# upload), then, in empty temporary folders and with nothing from this repository on the path,
#   1. `npx --package <tarball> -- mlgov …` (what `npx @ml-governance/scanner scan .` runs once published);
#   2. the CI examples of docs/ci.md: install as a dev dependency, `npx mlgov scan … --sarif --cyclonedx`,
#      exit-code handling, reports written;
#   3. the commands packages/scanner/Dockerfile runs (global install with --omit=dev, compile-cache
#      warm-up, a scan as an unprivileged user is not possible here: no Docker engine);
#   4. start-up timings of the installed CLI (bench/cli.bench.ts), printed, not enforced (shared CI
#      machines vary; docs/benchmarks.md has the targets).
# Needs the registry for the scanner's own dependencies. Called by scripts/test.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
cd "$MLGOV_ROOT"

fail() { echo "test-cli-package: $*" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/mlgov-cli-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# A private npm cache: nothing from the machine's cache or a previous run makes it pass.
export npm_config_cache="$work/npm-cache" npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

echo "-- build and pack"
yarn workspace @ml-governance/scanner build >/dev/null
(cd packages/scanner && yarn pack --out "$work/mlgov-scanner.tgz" >/dev/null)
tarball="$work/mlgov-scanner.tgz"
files="$(tar tzf "$tarball")"
grep -qx 'package/dist/mlgov.cjs.js' <<<"$files" || fail "the tarball has no dist/mlgov.cjs.js"
if grep -q '^package/src/' <<<"$files"; then fail "the tarball ships TypeScript sources"; fi
version="$(node -p "require('./packages/scanner/package.json').version")"

echo "-- npx from the tarball in an empty folder"
mkdir -p "$work/npx/models"
cp -r examples/services/fraud-batch-scoring "$work/npx/service"
printf 'import json\n' > "$work/npx/models/ok.py"
cd "$work/npx"
[ "$(npx --yes --package "$tarball" -- mlgov --version)" = "mlgov $version" ] || fail "mlgov --version"
npx --yes --package "$tarball" -- mlgov scan models >/dev/null || fail "a clean folder does not PASS"
set +e
npx --yes --package "$tarball" -- mlgov scan . --sarif mlgov.sarif >/dev/null
code=$?
set -e
[ "$code" = 20 ] || fail "the example service should BLOCK (exit 20), got $code"
node -e "const s=JSON.parse(require('fs').readFileSync('mlgov.sarif','utf8')); if (s.version!=='2.1.0' || !s.runs[0].results.length) process.exit(1)" \
  || fail "no SARIF results"

echo "-- docs/ci.md: dev dependency, npx mlgov, SARIF and CycloneDX"
mkdir -p "$work/ci" && cd "$work/ci"
cp -r "$MLGOV_ROOT/examples/services/fraud-batch-scoring/." .
echo '{ "name": "ci-example", "private": true }' > package.json
npm install --save-dev --no-audit --no-fund "$tarball" >/dev/null
set +e
npx mlgov scan . --policy .mlgov/policy.yaml --sarif mlgov.sarif --cyclonedx mlgov.cdx.json >/dev/null
code=$?
set -e
case $code in 0|10|20) ;; *) fail "scan with the example policy exited $code" ;; esac
[ -s mlgov.sarif ] && [ -s mlgov.cdx.json ] || fail "reports not written"
node -e "const b=require('./mlgov.cdx.json'); if (b.bomFormat!=='CycloneDX') process.exit(1)" || fail "not a CycloneDX BOM"

echo "-- Dockerfile commands (global install, --omit=dev)"
prefix="$work/global"
npm install --global --prefix "$prefix" --omit=dev --no-audit --no-fund "$tarball" >/dev/null
export NODE_COMPILE_CACHE="$work/compile-cache"
mkdir -p "$NODE_COMPILE_CACHE"
"$prefix/bin/mlgov" --version >/dev/null
"$prefix/bin/mlgov" scan "$prefix/lib/node_modules/@ml-governance/scanner/package.json" >/dev/null \
  || fail "the Dockerfile's warm-up scan does not PASS"
grep -q "mlgov scan /usr/local/lib/node_modules/@ml-governance/scanner/package.json" \
  "$MLGOV_ROOT/packages/scanner/Dockerfile" || fail "the Dockerfile's warm-up scan changed; update this script"

echo "-- start-up of the installed CLI"
cd "$MLGOV_ROOT"
MLGOV_BIN="$prefix/bin/mlgov" node bench/run.js cli "${MLGOV_BENCH_RUNS:-11}"
