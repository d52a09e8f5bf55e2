#!/usr/bin/env bash
# Records `go tool pprof` outputs as the engine's correctness bar:
# tests/.references/<slug>/<case>.txt plus tests/.references/manifest.json
# (one entry per case: the arguments, the input, go's exit code).
# Inputs: samples/**/*.pb.gz and the profiles of tests/fixtures/corpus (see its README) for
# -top/-list; samples/ and tests/fixtures/graph/ for -peek/-dot (scripts/reference-cases.ts
# picks the cases).
# Environment is pinned: TZ=UTC, HOME = an empty temp dir, -symbolize=none.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
GO=$(bash scripts/ensure-go.sh)
OUT=tests/.references
CORPUS=tests/fixtures/corpus
TMPHOME=$(mktemp -d)
trap 'rm -rf "$TMPHOME"' EXIT
mkdir -p "$OUT"
GOVERSION=$("$GO" version)
# The pprof binary `go tool pprof` runs, called directly: the same output without the go
# command's own start per case (about a fifth of this step's time over 5,000 cases). Exit
# codes differ (go tool turns any failure into 1); the tests only tell zero from non-zero.
PPROF="$("$GO" env GOTOOLDIR)/pprof"
[ -x "$PPROF" ] || PPROF=""
# Incremental: a case whose Go version, arguments and input bytes are unchanged keeps its
# output (scripts/reference-stamps.mjs keeps a key beside each output); the rest is remade.
# Only our own outputs are touched: other scripts (e.g. make-diff-references.sh) share
# tests/.references.
rm -f "$OUT"/manifest.json "$OUT"/cases.jsonl "$OUT"/jobs.tsv

# Hand-built inputs: values beyond 2^53, negative values with pprof::base labels.
npx --no-install tsx scripts/make-engine-inputs.ts "$OUT/inputs" >&2
inputs=("$OUT/inputs/exact.pb.gz" "$OUT/inputs/diffbase.pb.gz")
while IFS= read -r f; do inputs+=("$f"); done < <(find samples -name '*.pb.gz' | sort)
while IFS= read -r f; do inputs+=("$f"); done < <(find tests/fixtures/graph -type f ! -name '*.md' | sort)
# Profiles with labels copied from the corpus (tests/fixtures/tags/README.md): -tags, -tagroot, -tagleaf.
while IFS= read -r f; do inputs+=("$f"); done < <(find tests/fixtures/tags -type f ! -name '*.md' | sort)
for f in "$CORPUS"/go-versions/*/*.pb.gz \
  "$CORPUS"/google-pprof/internal/proftest/testdata/large.cpu \
  "$CORPUS"/google-pprof/internal/report/testdata/sample.cpu \
  "$CORPUS"/google-pprof/internal/driver/testdata/*.crash \
  "$CORPUS"/google-pprof/internal/driver/testdata/cppbench.cpu_no_samples_type \
  "$CORPUS"/google-pprof/generated/synthetic/*.pb.gz \
  "$CORPUS"/google-pprof/profile/testdata/* \
  "$CORPUS"/google-pprof/internal/driver/testdata/cppbench.cpu \
  "$CORPUS"/google-pprof/internal/driver/testdata/cppbench.small.contention; do
  # legacy formats are included; reference-cases.ts skips any our decoder cannot read
  case "$f" in *.mangled.pb.gz | *.string) continue ;; esac
  [ -f "$f" ] && inputs+=("$f")
done

# Go's own %.2f / %.2g on a fixed set of doubles, for tests/unit/format.test.ts.
FMT_KEY=$(node scripts/reference-stamps.mjs key "$GOVERSION" scripts/format-golden/main.go)
if [ ! -s "$OUT/format-go.json" ] || [ "$(cat "$OUT/format-go.key" 2>/dev/null)" != "$FMT_KEY" ]; then
  (cd scripts/format-golden && env HOME="$TMPHOME" GOCACHE="$("$GO" env GOCACHE)" GOFLAGS=-mod=mod GO111MODULE=off "$GO" run main.go) > "$OUT/format-go.json.tmp"
  mv "$OUT/format-go.json.tmp" "$OUT/format-go.json"
  echo "$FMT_KEY" >"$OUT/format-go.key"
fi

# Case matrix (JSON lines) from the helper; legacy inputs our decoder cannot read are skipped there.
npx --no-install tsx scripts/reference-cases.ts "${inputs[@]}" > "$OUT/cases.jsonl"

# One tab-separated job per case still to (re)make: key, dir, file, then the go tool pprof arguments.
node scripts/reference-stamps.mjs plan "$OUT" "$GOVERSION"

run_one() {
  IFS=$'\t' read -r -a f <<<"$1"
  local key=${f[0]} slug=${f[1]} name=${f[2]}
  mkdir -p "$OUT/$slug"
  rm -f "$OUT/$slug/$name.key"
  local rc=0
  local pprof=("$GO" tool pprof)
  [ -n "$PPROF" ] && pprof=("$PPROF")
  env -i PATH="$PATH" HOME="$TMPHOME" TZ=UTC PPROF_TMPDIR="$TMPHOME" "${pprof[@]}" "${f[@]:3}" \
    >"$OUT/$slug/$name.txt" 2>"$OUT/$slug/$name.stderr" || rc=$?
  echo "$rc" >"$OUT/$slug/$name.rc"
  # Written last: an interrupted run leaves no key, so the case is remade next time.
  echo "$key" >"$OUT/$slug/$name.key"
}
export -f run_one
export OUT GO PPROF TMPHOME
tr '\n' '\0' <"$OUT/jobs.tsv" | xargs -0 -P2 -I{} bash -c 'run_one "$1"' _ {}

node -e '
const fs = require("fs");
const out = process.argv[1];
const cases = fs.readFileSync(out + "/cases.jsonl", "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const goVersion = process.argv[2];
const entries = cases.map((c) => {
  const base = out + "/" + c.slug + "/" + c.name;
  return { ...c, expected: base + ".txt", rc: Number(fs.readFileSync(base + ".rc", "utf8").trim()), stderr: fs.readFileSync(base + ".stderr", "utf8") };
});
fs.writeFileSync(out + "/manifest.json", JSON.stringify({ goVersion, tz: "UTC", cases: entries }, null, 1));
console.log("references: " + entries.length + " cases, " + entries.filter((e) => e.rc !== 0).length + " with non-zero exit");
' "$OUT" "$GOVERSION"

# The Time: header in other zones (Go reads tzdata abbreviations: CET, IST, ACDT, +04).
TZDIR_OUT="$OUT/engine-tz"
mkdir -p "$TZDIR_OUT"
TZ_INPUT=$(find samples -name 'cpu.pb.gz' | sort | head -1)
TZ_KEY=$([ -n "$TZ_INPUT" ] && node scripts/reference-stamps.mjs key "$GOVERSION" --text "$TZ_INPUT" "$TZ_INPUT" || true)
if [ -n "$TZ_INPUT" ] && [ "$(cat "$TZDIR_OUT/cases.key" 2>/dev/null)" != "$TZ_KEY" ]; then
  rm -f "$TZDIR_OUT/cases.key"
  : >"$TZDIR_OUT/cases.tsv"
  for zone in America/New_York Europe/Berlin Asia/Kolkata Asia/Dubai Australia/Adelaide Europe/London Pacific/Chatham; do
    f="$TZDIR_OUT/$(echo "$zone" | tr '/' '_').txt"
    env -i PATH="$PATH" HOME="$TMPHOME" TZ="$zone" "$GO" tool pprof -top -symbolize=none -nodecount=3 "$TZ_INPUT" >"$f" 2>/dev/null
    printf '%s\t%s\t%s\n' "$zone" "$TZ_INPUT" "$f" >>"$TZDIR_OUT/cases.tsv"
  done
  echo "$TZ_KEY" >"$TZDIR_OUT/cases.key"
fi

# Comparison (-diff_base/-base) references for the compare tests (scripts/make-diff-references.sh).
bash "$ROOT/scripts/make-diff-references.sh"
