#!/usr/bin/env bash
# `npm test`: installs what the tests need (npm packages; Go, Chromium and Ceph from
# Debian), builds, regenerates the `go tool pprof` reference outputs, type-checks and
# runs every vitest suite (unit, API, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-deps.sh
bash scripts/ensure-go.sh >/dev/null
bash scripts/ensure-chromium.sh
npm run --silent build
bash scripts/make-references.sh
npx tsc --noEmit -p tsconfig.json
npx vitest run "$@"
