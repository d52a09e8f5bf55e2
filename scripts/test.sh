#!/usr/bin/env bash
# `npm test`: installs what the tests need (npm packages; Go, Chromium and Ceph from
# Debian), builds, regenerates the `go tool pprof` reference outputs, type-checks, lints,
# checks formatting and runs every vitest suite (unit, reference, API, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-deps.sh
bash scripts/ensure-go.sh >/dev/null
bash scripts/ensure-chromium.sh
npm run --silent build
bash scripts/make-references.sh
npm run --silent typecheck
npm run --silent lint
npm run --silent format:check
mkdir -p tests/.tmp
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=tests/.tmp/vitest.json "$@" || status=$?
# One plain closing line that any CI reads, whatever the runner prints above it.
node -e '
  const r = JSON.parse(require("fs").readFileSync("tests/.tmp/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit "$status"
