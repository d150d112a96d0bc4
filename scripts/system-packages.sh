# Sourced by scripts/test.sh: the Debian packages the tests drive as real peers (Chromium for the browser
# tests, the OCI registry, skopeo and zstd for the image tests, openssl for signing keys). As root on a fresh machine they are installed in
# one apt run; otherwise a missing one is named, and the tests that need it say loudly that they skipped.
MLGOV_SYSTEM_PACKAGES=(chromium:/usr/bin/chromium docker-registry:/usr/bin/docker-registry skopeo:/usr/bin/skopeo zstd:/usr/bin/zstd openssl:/usr/bin/openssl)

mlgov_ensure_system_packages() {
  local missing=() entry
  for entry in "${MLGOV_SYSTEM_PACKAGES[@]}"; do
    [ -x "${entry#*:}" ] || missing+=("${entry%%:*}")
  done
  [ "${#missing[@]}" = 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "mlgov: installing Debian packages: ${missing[*]}" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "mlgov: missing Debian packages (install them for the full run): ${missing[*]}" >&2
  fi
}
