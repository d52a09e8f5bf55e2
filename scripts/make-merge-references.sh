#!/usr/bin/env bash
# Writes `go tool pprof` reference outputs for merging several profiles into
# tests/.references/merge/: for each case, `-top A B C` (pprof merges its inputs) and every
# -sample_index given. Refused sets record pprof's error in <case>.err.txt.
# Usage: bash scripts/make-merge-references.sh   (idempotent; rerun after samples change)
set -euo pipefail
cd "$(dirname "$0")/.."
GO="$(bash scripts/ensure-go.sh)"
FINAL=tests/.references/merge
OUT="$FINAL.tmp.$$"
rm -rf "$OUT" && mkdir -p "$OUT"
export TZ=UTC
export HOME="$(mktemp -d)"
export PPROF_TMPDIR="$HOME"
trap 'rm -rf "$HOME" "${OUT:-}"' EXIT
# Corpus profiles copied into the repository (issue 11); their cases are skipped until present.
GV=tests/fixtures/corpus/go-versions

# name|files (space separated)|sample types ("" = default only)
CASES=()
add() {
  for f in $2; do [ -f "$f" ] || return 0; done
  CASES+=("$1|$2|$3")
}
add samples.cpu.before-after "samples/before-after/cpu.before.pb.gz samples/before-after/cpu.after.pb.gz" "samples cpu"
add samples.heap.1-2 "samples/before-after/heap.1.pb.gz samples/before-after/heap.2.pb.gz" "alloc_objects inuse_space"
add samples.cpu.three "samples/cpu/cpu.pb.gz samples/before-after/cpu.before.pb.gz samples/before-after/cpu.after.pb.gz" ""
add go.cpu.4 "$GV/1.19/cpu.pb.gz $GV/1.22/cpu.pb.gz $GV/1.24/cpu.pb.gz $GV/1.26/cpu.pb.gz" "samples cpu"
add go.heap.2 "$GV/1.22/heap.pb.gz $GV/1.24/heap.pb.gz" "alloc_objects alloc_space inuse_objects inuse_space"
add go.allocs.3 "$GV/1.19/allocs.pb.gz $GV/1.22/allocs.pb.gz $GV/1.26/allocs.pb.gz" "alloc_space inuse_objects"
add go.goroutine.2 "$GV/1.22/goroutine.pb.gz $GV/1.24/goroutine.pb.gz" ""
# Same sample types (contentions, delay): pprof merges block and mutex profiles.
add go.block-mutex "$GV/1.24/block.pb.gz $GV/1.24/mutex.pb.gz" "contentions delay"
# The same file twice: every value doubles.
add samples.cpu.twice "samples/cpu/cpu.pb.gz samples/cpu/cpu.pb.gz" ""
# Heap profiles of four different programs.
add samples.heap.four "samples/concat/heap.pb.gz samples/sprintf/heap.pb.gz samples/tuned/heap.pb.gz samples/boxing/heap.pb.gz" "alloc_space inuse_objects"
add samples.allocs.three "samples/growslice/allocs.pb.gz samples/concat/allocs.pb.gz samples/tuned/allocs.pb.gz" ""
# Refused: no sample type in common.
add refused.heap-cpu "samples/before-after/heap.2.pb.gz samples/cpu/cpu.pb.gz" ""

for entry in "${CASES[@]}"; do
  IFS='|' read -r name files types <<<"$entry"
  echo "$files" >"$OUT/$name.inputs.txt"
  # shellcheck disable=SC2086
  if ! "$GO" tool pprof -symbolize=none -top $files >"$OUT/$name.top.txt" 2>"$OUT/$name.err.txt"; then
    rm -f "$OUT/$name.top.txt"
    continue
  fi
  rm -f "$OUT/$name.err.txt"
  for t in $types; do
    # shellcheck disable=SC2086
    "$GO" tool pprof -symbolize=none -top -sample_index="$t" $files >"$OUT/$name.si_$t.top.txt" 2>/dev/null
  done
done
rm -rf "$FINAL" && mv "$OUT" "$FINAL"
echo "references in $FINAL: $(ls "$FINAL" | wc -l) files" >&2
