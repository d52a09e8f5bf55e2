#!/usr/bin/env bash
# Writes `go tool pprof` reference outputs for profile comparisons into
# tests/.references/diff/: for each (base, new) pair, `-top` with -diff_base, -base,
# -diff_base -normalize, -nodefraction=0, every -sample_index, and the merged profile
# itself (-proto). Mismatched pairs record pprof's error in <case>.err.txt.
# Usage: bash scripts/make-diff-references.sh   (idempotent; rerun after samples change)
set -euo pipefail
cd "$(dirname "$0")/.."
GO="$(bash scripts/ensure-go.sh)"
FINAL=tests/.references/diff
# Written to a private directory, then swapped in, so readers never see a half-made set.
OUT="$FINAL.tmp.$$"
rm -rf "$OUT" && mkdir -p "$OUT"
export TZ=UTC
export HOME="$(mktemp -d)"  # pprof may save fetched profiles under $HOME/pprof
export PPROF_TMPDIR="$HOME"
trap 'rm -rf "$HOME" "${OUT:-}"' EXIT
CORPUS="$(pwd)/tests/fixtures/corpus"
GV=$CORPUS/go-versions
SYN=$CORPUS/google-pprof/generated/synthetic

# name|base|new|sample types (space separated; "" = default only)
PAIRS=()
add() { [ -f "$2" ] && [ -f "$3" ] && PAIRS+=("$1|$2|$3|$4") || true; }
add before-after.cpu samples/before-after/cpu.before.pb.gz samples/before-after/cpu.after.pb.gz "samples cpu"
add before-after.heap samples/before-after/heap.1.pb.gz samples/before-after/heap.2.pb.gz "alloc_objects alloc_space inuse_objects inuse_space"
add before-after.allocs samples/before-after/allocs.1.pb.gz samples/before-after/allocs.2.pb.gz "alloc_space inuse_space"
add go.cpu.1.22-1.24 $GV/1.22/cpu.pb.gz $GV/1.24/cpu.pb.gz "samples cpu"
add go.cpu.1.24-1.26 $GV/1.24/cpu.pb.gz $GV/1.26/cpu.pb.gz "samples cpu"
add go.heap.1.22-1.24 $GV/1.22/heap.pb.gz $GV/1.24/heap.pb.gz "alloc_objects alloc_space inuse_objects inuse_space"
add go.allocs.1.19-1.26 $GV/1.19/allocs.pb.gz $GV/1.26/allocs.pb.gz "alloc_space inuse_objects"
add go.mutex.1.22-1.26 $GV/1.22/mutex.pb.gz $GV/1.26/mutex.pb.gz "contentions delay"
add go.block.1.19-1.24 $GV/1.19/block.pb.gz $GV/1.24/block.pb.gz "contentions delay"
add go.goroutine.1.22-1.24 $GV/1.22/goroutine.pb.gz $GV/1.24/goroutine.pb.gz ""
# Legacy (gperftools contention text) pairs, unsymbolized: compared at -addresses granularity
# (a case name ending in .addresses adds -addresses to every run).
GP=$CORPUS/google-pprof
add cppbench.contention-small.addresses $GP/internal/driver/testdata/cppbench.small.contention $GP/profile/testdata/cppbench.contention "contentions delay"
add cppbench.small-full.addresses $GP/profile/testdata/cppbench.contention $GP/internal/driver/testdata/cppbench.small.contention ""
add synthetic.cpu-long_name_funcs $SYN/cpu.pb.gz $SYN/long_name_funcs.pb.gz ""
add synthetic.long_name_funcs-cpu $SYN/long_name_funcs.pb.gz $SYN/cpu.pb.gz ""
add mismatch.synthetic.heap-heap_alloc $SYN/heap.pb.gz $SYN/heap_alloc.pb.gz ""
# Refused pairs (pprof errors; we must answer 400). A CPU profile whose period type was
# changed to wall/nanoseconds stands for "period types differ".
mkdir -p "$OUT/fixtures"
npx --no-install tsx scripts/make-diff-fixture.ts $GV/1.22/cpu.pb.gz "$OUT/fixtures/cpu.1.22.period_wall.pb.gz" wall nanoseconds
add mismatch.period.cpu-wall "$OUT/fixtures/cpu.1.22.period_wall.pb.gz" $GV/1.24/cpu.pb.gz ""
add mismatch.cpu-heap $GV/1.24/heap.pb.gz $GV/1.24/cpu.pb.gz ""
add go.mutex-vs-block.1.24 $GV/1.24/block.pb.gz $GV/1.24/mutex.pb.gz ""

# Incremental: skip the whole set when the Go version, this script, the pair list and every
# input's bytes are those of the last complete run (key in $FINAL/.key, written last).
key_args=(--text "$(printf '%s\n' "${PAIRS[@]}" | sed "s#$OUT/#$FINAL/#g")" scripts/make-diff-references.sh scripts/make-diff-fixture.ts)
for entry in "${PAIRS[@]}"; do
  IFS='|' read -r _ base new _ <<<"$entry"
  key_args+=("$base" "$new")
done
KEY=$(node scripts/reference-stamps.mjs key "$("$GO" version)" "${key_args[@]}")
if [ -f "$FINAL/.key" ] && [ "$(cat "$FINAL/.key")" = "$KEY" ]; then
  echo "references in $FINAL: unchanged" >&2
  exit 0
fi

for entry in "${PAIRS[@]}"; do
  IFS='|' read -r name base new types <<<"$entry"
  flags=()
  case "$name" in *.addresses) flags=(-addresses) ;; esac
  pp() { "$GO" tool pprof -symbolize=none "${flags[@]}" "$@"; }
  echo "$base $new" >"$OUT/$name.pair.txt"
  if ! pp -top -diff_base="$base" "$new" >"$OUT/$name.diff_base.top.txt" 2>"$OUT/$name.err.txt"; then
    rm -f "$OUT/$name.diff_base.top.txt"
    continue
  fi
  rm -f "$OUT/$name.err.txt"
  pp -top -base="$base" "$new" >"$OUT/$name.base.top.txt" 2>/dev/null
  pp -top -diff_base="$base" -normalize "$new" >"$OUT/$name.diff_base.normalize.top.txt" 2>/dev/null
  pp -top -base="$base" -normalize "$new" >"$OUT/$name.base.normalize.top.txt" 2>/dev/null
  pp -top -nodefraction=0 -diff_base="$base" "$new" >"$OUT/$name.diff_base.nodefraction0.top.txt" 2>/dev/null
  pp -top -cum -diff_base="$base" "$new" >"$OUT/$name.diff_base.cum.top.txt" 2>/dev/null
  pp -proto -diff_base="$base" "$new" >"$OUT/$name.diff_base.pb.gz" 2>/dev/null
  pp -proto -base="$base" "$new" >"$OUT/$name.base.pb.gz" 2>/dev/null
  for t in $types; do
    pp -top -sample_index="$t" -diff_base="$base" "$new" >"$OUT/$name.diff_base.si_$t.top.txt" 2>/dev/null
    pp -top -sample_index="$t" -base="$base" "$new" >"$OUT/$name.base.si_$t.top.txt" 2>/dev/null
    # Exact integers (base unit, no node dropping) for checks that need raw values.
    case "$t" in cpu|delay) u=-unit=ns ;; *space) u=-unit=B ;; *) u= ;; esac
    pp -top -nodefraction=0 $u -sample_index="$t" -diff_base="$base" "$new" >"$OUT/$name.diff_base.si_$t.exact.top.txt" 2>/dev/null
    pp -top -nodefraction=0 $u -sample_index="$t" -hide='^runtime\.' -diff_base="$base" "$new" >"$OUT/$name.diff_base.si_$t.hide_runtime.exact.top.txt" 2>/dev/null
    pp -top -nodefraction=0 $u -sample_index="$t" -focus='^main\.' -diff_base="$base" "$new" >"$OUT/$name.diff_base.si_$t.focus_main.exact.top.txt" 2>/dev/null
  done
done
# Pair files record input paths; fixtures made here move with the directory.
sed -i "s#$OUT/#$FINAL/#g" "$OUT"/*.pair.txt
echo "$KEY" >"$OUT/.key"
rm -rf "$FINAL" && mv "$OUT" "$FINAL"
echo "references in $FINAL: $(ls "$FINAL" | wc -l) files" >&2
