#!/usr/bin/env bash
# Installs the npm dependencies from package-lock.json when node_modules is missing or
# older than the lock file, then generates the protobufjs reference decoder the decode
# tests compare with (tests/fixtures/decode/reference-decoder.ts) from proto/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -f tests/fixtures/decode/generated/profile.pb.js ] || [ proto/profile.proto -nt tests/fixtures/decode/generated/profile.pb.js ]; then
  npm run --silent gen:proto
fi
