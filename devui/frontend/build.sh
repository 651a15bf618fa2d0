#!/usr/bin/env bash
# Builds the /dev page's script into $1 (the module's target/classes/...): installs the npm packages of
# package-lock.json when node_modules does not match it, then bundles src/main.js with esbuild. Run by Maven.
set -euo pipefail
out="$1"
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
    echo "npm not found; installing Node.js and npm with apt-get..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) >&2
  else
    echo "error: the dev UI needs Node.js (20 or newer) and npm to build; install them and retry" >&2
    exit 2
  fi
fi
# npm ci is skipped when node_modules was installed from this very lock file (its hash is kept there).
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ "$(cat node_modules/.installed-lock 2>/dev/null)" != "$hash" ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$hash" > node_modules/.installed-lock
fi
mkdir -p "$out"
npm_config_outdir="$out" npm run --silent build
