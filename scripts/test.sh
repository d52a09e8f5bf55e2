#!/usr/bin/env bash
# `npm test`: installs what the tests need (npm packages; Go, Chromium and Ceph from
# Debian), builds, regenerates the `go tool pprof` reference outputs, type-checks, lints,
# checks formatting and runs every vitest suite (unit, reference, API, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
# Each step's wall time goes to stderr, to see where the suite's minutes go.
step() {
  local t0=$SECONDS
  "$@"
  echo "test.sh: $* took $((SECONDS - t0)) s" >&2
}
step bash scripts/ensure-node-deps.sh
step bash scripts/ensure-go.sh >/dev/null
step bash scripts/ensure-chromium.sh
step npm run --silent build
step bash scripts/make-references.sh
step npm run --silent typecheck
step npm run --silent lint
step npm run --silent format:check
mkdir -p tests/.tmp
status=0
t0=$SECONDS
npx vitest run --reporter=default --reporter=json --outputFile.json=tests/.tmp/vitest.json "$@" || status=$?
echo "test.sh: vitest took $((SECONDS - t0)) s" >&2
# One plain closing line that any CI reads, whatever the runner prints above it.
node -e '
  const r = JSON.parse(require("fs").readFileSync("tests/.tmp/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit "$status"
