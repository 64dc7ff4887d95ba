# Sourced by scripts/start.sh and scripts/test.sh: makes Node >= 22.19 and pnpm 10 available and installs the
# workspace dependencies from the frozen lockfile. Idempotent and fast on a second run: each step is skipped when
# its result is already in place. Works on a fresh machine that has only Node 20 and npm (installs into .tools/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_VERSION="22.23.3"
PNPM_VERSION="10.34.9"
TOOLS="$ROOT/.tools"

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=19)?0:1)'
}

if ! node_ok; then
  if [ ! -x "$TOOLS/node22/bin/node" ]; then
    echo "setup: Node $(node --version 2>/dev/null || echo none) is older than 22.19; installing node@$NODE_VERSION from the npm registry into .tools/node22" >&2
    npm install --global --prefix "$TOOLS/node22" --no-audit --no-fund --loglevel=error "node@$NODE_VERSION" >&2
  fi
  export PATH="$TOOLS/node22/bin:$PATH"
  node_ok || { echo "setup: could not provide Node >= 22.19" >&2; exit 1; }
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  if [ ! -x "$TOOLS/pnpm/bin/pnpm" ]; then
    echo "setup: installing pnpm@$PNPM_VERSION into .tools/pnpm" >&2
    npm install --global --prefix "$TOOLS/pnpm" --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$TOOLS/pnpm/bin:$PATH"
fi

# Reinstall only when the lockfile changed since the last successful install.
STAMP="$ROOT/node_modules/.checkout-kit-lock-stamp"
LOCK_SUM="$(cksum < "$ROOT/pnpm-lock.yaml" 2>/dev/null || echo none)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_SUM" ]; then
  echo "setup: pnpm install --frozen-lockfile" >&2
  (cd "$ROOT" && pnpm install --frozen-lockfile --config.confirmModulesPurge=false >&2)
  echo "$LOCK_SUM" > "$STAMP"
fi
cd "$ROOT"
