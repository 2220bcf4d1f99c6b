#!/usr/bin/env bash
# Installs the bench's own dependencies when missing or stale (bench/package-lock.json), then runs the suite.
# Usage: npm run bench [-- --scale M] [-- --help]
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=bench/node_modules/.bench-lock-sha256
want=$(sha256sum bench/package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "installing the bench's dependencies (bench/package-lock.json)…"
  npm ci --prefix bench --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
exec node -r @swc-node/register bench/run.ts "$@"
