#!/usr/bin/env bash
# CPU profiles for the insights rule tests: builds tests/fixtures/insights/cpuwork (one
# program, one runtime pattern per mode) with -trimpath and runs each mode for ~2s with
# the CPU profiler on. Output: tests/fixtures/insights/cpuwork/profiles/<mode>.cpu.pb.gz,
# committed like samples/: CPU shares vary from run to run, so tests read one fixed run.
# Also builds tests/fixtures/insights/parked (goroutines parked in one shape per mode) and
# writes its goroutine profiles to tests/fixtures/insights/parked/profiles/.
# Usage: scripts/make-insights-fixtures.sh [mode ...]   (default: all; modes of either program)
set -euo pipefail
cd "$(dirname "$0")/.."
GO=$(bash scripts/ensure-go.sh)
export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOWORK=off GOMAXPROCS=${GOMAXPROCS:-2}
OUT=tests/fixtures/insights/cpuwork/profiles
mkdir -p "$OUT"
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT
(cd tests/fixtures/insights/cpuwork && "$GO" build -trimpath -o "$BIN/cpuwork" .)
(cd tests/fixtures/insights/parked && "$GO" build -trimpath -o "$BIN/parked" .)
CPU_MODES=(sprintf boxing mapgrow concat lock tuned)
PARKED_MODES=(smallleak pool pipeline growth)
MODES=("${CPU_MODES[@]}" "${PARKED_MODES[@]}")
if [ $# -gt 0 ]; then MODES=("$@"); fi
PARKED_OUT=tests/fixtures/insights/parked/profiles
mkdir -p "$PARKED_OUT"
for m in "${MODES[@]}"; do
  if [[ " ${PARKED_MODES[*]} " == *" $m "* ]]; then
    "$BIN/parked" "$m" "$PARKED_OUT"
    continue
  fi
  secs=${SECONDS_PER_MODE:-2}
  # Contended goroutines mostly sleep: give the lock mode longer to collect CPU samples.
  if [ "$m" = lock ]; then secs=${SECONDS_LOCK:-6}; fi
  "$BIN/cpuwork" "$m" "$OUT/$m.cpu.pb.gz" "$secs"
done
ls -l "$OUT" "$PARKED_OUT" >&2
