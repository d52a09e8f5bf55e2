#!/usr/bin/env bash
# Regenerates every profile under samples/: builds each Go program with -trimpath
# (so file names read example.com/samples/<prog>/main.go), runs it with its own
# directory as the output directory, and records `go build -gcflags=-m=2` output
# as escape.txt. Then profiles the Node program with @datadog/pprof.
# Usage: scripts/make-samples.sh [program ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
GO=$(bash scripts/ensure-go.sh)
export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOWORK=off
# A fixed GOMAXPROCS keeps profiles comparable from machine to machine.
export GOMAXPROCS=${GOMAXPROCS:-2}
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT

GO_PROGRAMS=(cpu sprintf concat growslice mapgrow boxing pointers tuned goroutines contention gcpressure largeheap before-after labels)
if [ $# -gt 0 ]; then PROGRAMS=("$@"); else PROGRAMS=("${GO_PROGRAMS[@]}" node); fi

for prog in "${PROGRAMS[@]}"; do
  dir="$ROOT/samples/$prog"
  if [ "$prog" = node ]; then
    echo "== node" >&2
    (cd "$ROOT" && node samples/node/profile.mjs samples/node)
    continue
  fi
  echo "== $prog" >&2
  (cd "$ROOT/samples" && "$GO" build -trimpath -o "$BIN/$prog" "./$prog")
  # -m=2 output goes to stderr (go replays it from the build cache when cached). With
  # -trimpath its file names match the profiles': example.com/samples/<prog>/main.go:12:6.
  (cd "$dir" && "$GO" build -trimpath -gcflags='-m=2' -o /dev/null . 2> "$dir/escape.txt") || {
    echo "go build -gcflags=-m=2 failed for $prog" >&2; exit 1; }
  (cd "$dir" && "$BIN/$prog" "$dir" >/dev/null)
done
ls -l "$ROOT"/samples/*/*.pb.gz >&2
