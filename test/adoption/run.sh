#!/usr/bin/env bash
# Adoption test: does ML Governance install into a portal the way its READMEs say?
#   1. builds and packs the five published packages (what `npm publish` would upload);
#   2. creates a new app with `npx @backstage/create-app` (the release in backstage.json) in a temporary
#      folder and applies only the toolchain pins below;
#   3. installs the tarballs with the READMEs' `yarn --cwd packages/... add` lines and adds the README's
#      `backend.add(import(...))` line; the frontend plugin is discovered (`app.packages: all`);
#   4. registers one ML model in the app's example catalog, starts the app (`yarn start`) on free ports,
#      and checks in Debian Chromium that the model's entity page shows the ML Governance card with a
#      release decision (check.js).
# ~10 minutes on 2 cores (most of it the app's first `yarn install`). Skip with MLGOV_SKIP_ADOPTION=1;
# keep the app for a look with MLGOV_ADOPTION_KEEP=1. Pins are explained in docs/development.md.
set -euo pipefail
if [ "${MLGOV_SKIP_ADOPTION:-}" = 1 ]; then
  echo "adoption test skipped (MLGOV_SKIP_ADOPTION=1)"
  exit 0
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../scripts/env.sh"
root="$MLGOV_ROOT"
started=$SECONDS
log() { printf '[adoption %4ss] %s\n' "$((SECONDS - started))" "$*"; }
fail() { echo "adoption test: $*" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/mlgov-adoption.XXXXXX")"
app="$work/app"
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then kill -- "-$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  if [ "${MLGOV_ADOPTION_KEEP:-}" = 1 ]; then echo "app kept in $app"; else rm -rf "$work"; fi
}
trap cleanup EXIT
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (apt-get install chromium)"

release="$(node -p "require('$root/backstage.json').version")"
manifest="$root/test/release-manifests/$release.json"
create_app="$(node -p "require('$manifest').source.match(/create-app@([0-9.]+)/)?.[1] ?? 'latest'")"

log "build and pack the published packages"
mkdir -p "$work/tarballs"
packages=(packages/scanner plugins/ml-governance-common plugins/ml-governance-node plugins/ml-governance-backend plugins/ml-governance)
(cd "$root" && yarn tsc >"$work/build.log" 2>&1) || { tail -40 "$work/build.log"; fail "yarn tsc failed"; }
for dir in "${packages[@]}"; do
  name="$(node -p "require('$root/$dir/package.json').name")"
  (cd "$root/$dir" && yarn build && yarn pack --out "$work/tarballs/${name#@ml-governance/}.tgz") >>"$work/build.log" 2>&1 \
    || { tail -40 "$work/build.log"; fail "building or packing $dir failed"; }
done
tgz() { echo "$work/tarballs/$1.tgz"; }

log "create the app with @backstage/create-app@$create_app (Backstage $release)"
(cd "$work" && echo mlgov-adopter | npx --yes "@backstage/create-app@$create_app" --path app --skip-install >"$work/create-app.log" 2>&1) \
  || { cat "$work/create-app.log"; fail "create-app failed"; }
[ "$(node -p "require('$app/backstage.json').version")" = "$release" ] || fail "create-app made another release"

log "apply the toolchain pins (docs/development.md, 'Adoption test')"
rm -f "$app/yarn.lock" # the template's seed is not fetched (no internet); resolved afresh below
cp "$root/.yarn/releases/yarn-4.18.1.cjs" "$app/.yarn/releases/"
node "$here/pin-app.js" "$app" "$manifest" "$root/package.json" \
  "@ml-governance/scanner=$(tgz scanner)" \
  "@ml-governance/plugin-ml-governance-common=$(tgz plugin-ml-governance-common)" \
  "@ml-governance/plugin-ml-governance-node=$(tgz plugin-ml-governance-node)"

cd "$app"
log "install as the READMEs say (the tarball stands in for the registry)"
yarn --cwd packages/backend add "@ml-governance/plugin-ml-governance-backend@file:$(tgz plugin-ml-governance-backend)" >"$work/install-backend.log" 2>&1 \
  || { tail -40 "$work/install-backend.log"; fail "yarn add (backend) failed"; }
yarn --cwd packages/app add "@ml-governance/plugin-ml-governance@file:$(tgz plugin-ml-governance)" >"$work/install-app.log" 2>&1 \
  || { tail -40 "$work/install-app.log"; fail "yarn add (app) failed"; }
grep -q "backend.start();" packages/backend/src/index.ts || fail "the template's backend has no backend.start()"
sed -i "s#^backend.start();#backend.add(import('@ml-governance/plugin-ml-governance-backend'));\nbackend.start();#" \
  packages/backend/src/index.ts
yarn dedupe --check >/dev/null || log "warning: the app's lock has duplicates (yarn dedupe --check)"
for pkg in @backstage/plugin-catalog-react @backstage/core-plugin-api @backstage/frontend-plugin-api @backstage/core-compat-api; do
  copies="$(find node_modules packages/*/node_modules -path "*/$pkg/package.json" 2>/dev/null | wc -l)"
  [ "$copies" -le 1 ] || fail "$copies copies of $pkg installed: a dependency range is off the $release line"
done

log "register a model and start the app"
mkdir -p examples/models
cp "$root/examples/models/fraud-features/encoder.safetensors" examples/models/
cat >>examples/entities.yaml <<'YAML'
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: adoption-encoder
  title: Adoption encoder
  annotations:
    ml-governance.io/artifacts: file:./models/encoder.safetensors
spec:
  type: ml-model
  owner: guests
YAML
read -r app_port backend_port < <(node -e "
const net = require('net');
const free = () => new Promise(r => { const s = net.createServer().listen(0, () => { const p = s.address().port; s.close(() => r(p)); }); });
Promise.all([free(), free()]).then(p => console.log(p.join(' ')));")
cat >app-config.local.yaml <<YAML
app:
  baseUrl: http://localhost:$app_port
backend:
  baseUrl: http://localhost:$backend_port
  listen:
    port: $backend_port
  cors:
    origin: http://localhost:$app_port
mlGovernance:
  schedule:
    frequency: { minutes: 30 }
    timeout: { minutes: 5 }
    initialDelay: { seconds: 1 }
  scanning:
    allowedFileRoots: [../../examples]
YAML
setsid yarn start >"$work/start.log" 2>&1 &
app_pid=$!
wait_for() {
  local url="$1" limit="$2"
  for _ in $(seq "$limit"); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    kill -0 "$app_pid" 2>/dev/null || { tail -60 "$work/start.log"; fail "yarn start exited"; }
    sleep 2
  done
  tail -60 "$work/start.log"; fail "$url did not answer"
}
wait_for "http://localhost:$backend_port/.backstage/health/v1/readiness" 150
wait_for "http://localhost:$app_port" 150
log "app on :$app_port, backend on :$backend_port"

log "check the entity page in Chromium"
mkdir -p "$root/.e2e-screenshots"
node "$here/check.js" "http://localhost:$app_port/catalog/default/resource/adoption-encoder" \
  "$root/.e2e-screenshots/adoption-entity-page.png"
log "passed in $((SECONDS - started)) s"
