#!/usr/bin/env bash
# CPU profiles for the insights rule tests: builds tests/fixtures/insights/cpuwork (one
# program, one runtime pattern per mode) with -trimpath and runs each mode for ~2s with
# the CPU profiler on. Output: tests/fixtures/insights/cpuwork/profiles/<mode>.cpu.pb.gz,
# committed like samples/: CPU shares vary from run to run, so tests read one fixed run.
# Also builds, each writing into its own profiles/ folder: tests/fixtures/insights/parked
# (goroutine profiles, goroutines parked in one shape per mode), libwork (CPU + allocs of a
# main module calling a dependency module) and locks (mutex + block profiles).
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
(cd tests/fixtures/insights/libwork && "$GO" build -trimpath -o "$BIN/libwork" .)
(cd tests/fixtures/insights/locks && "$GO" build -trimpath -o "$BIN/locks" .)
CPU_MODES=(sprintf boxing mapgrow concat lock tuned)
PARKED_MODES=(smallleak tinyleak pool recvpool pipeline growth)
# libwork: a main module calling a dependency module (CPU + allocs); locks: mutex + block.
LIB_MODES=(dep mixed write)
LOCK_MODES=(log own)
MODES=("${CPU_MODES[@]}" "${PARKED_MODES[@]}" "${LIB_MODES[@]}" "${LOCK_MODES[@]}")
if [ $# -gt 0 ]; then MODES=("$@"); fi
PARKED_OUT=tests/fixtures/insights/parked/profiles
LIB_OUT=tests/fixtures/insights/libwork/profiles
LOCK_OUT=tests/fixtures/insights/locks/profiles
mkdir -p "$PARKED_OUT" "$LIB_OUT" "$LOCK_OUT"
for m in "${MODES[@]}"; do
  if [[ " ${PARKED_MODES[*]} " == *" $m "* ]]; then
    "$BIN/parked" "$m" "$PARKED_OUT"
    continue
  fi
  if [[ " ${LIB_MODES[*]} " == *" $m "* ]]; then
    # Long enough for 100+ CPU samples on a busy machine.
    "$BIN/libwork" "$m" "$LIB_OUT" "${SECONDS_LIB:-5}"
    continue
  fi
  if [[ " ${LOCK_MODES[*]} " == *" $m "* ]]; then
    "$BIN/locks" "$m" "$LOCK_OUT"
    continue
  fi
  secs=${SECONDS_PER_MODE:-2}
  # Contended goroutines mostly sleep: give the lock mode longer to collect CPU samples.
  if [ "$m" = lock ]; then secs=${SECONDS_LOCK:-6}; fi
  "$BIN/cpuwork" "$m" "$OUT/$m.cpu.pb.gz" "$secs"
done
ls -l "$OUT" "$PARKED_OUT" "$LIB_OUT" "$LOCK_OUT" >&2
