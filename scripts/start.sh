#!/usr/bin/env bash
# `npm start`: everything a fresh machine needs, then the server with samples/ preloaded.
# Extra arguments go to `pprof-lens serve` (e.g. npm start -- --port 0 --data /tmp/d).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-deps.sh
npm run --silent build:server
npm run --silent build:web
exec node bin/pprof-lens.mjs serve --port "${PORT:-8080}" "$@"
