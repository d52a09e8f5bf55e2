#!/usr/bin/env bash
# Profiles of the labelled insights evaluation set (tests/fixtures/insights-eval): builds
# each program under programs/ with the Go release a case names (-trimpath, so files read
# example.com/insights-eval/<program>/main.go) and runs it in the case's mode. Output:
# tests/fixtures/insights-eval/cases/<case>/<type>.pb.gz, committed like samples/: CPU
# shares, sampled allocations and contention vary from run to run, so the evaluation reads
# one fixed run. The labels (expect.json) are written by hand and never touched here.
# Usage: scripts/make-insights-eval.sh [case ...]   (default: every case below)
# SECONDS_PER_CASE (CPU seconds, default 3) and SECONDS_LOCK (wall seconds of the lockeval
# runs, default 8: enough CPU samples on a busy machine) set how long each run lasts.
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL=tests/fixtures/insights-eval
export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOWORK=off GOMAXPROCS=${GOMAXPROCS:-2}

# case                 program  mode            go    (lockeval cases write mutex + block + cpu;
#                                                      depeval modes are work:profile)
CASES="
cpu-regexp-1.22        cpueval  regexp          1.22
cpu-regexp-1.26        cpueval  regexp          1.26
cpu-regexp-compile     cpueval  regexp-compile  1.21
cpu-json               cpueval  json            1.23
cpu-append-1.19        cpueval  append          1.19
cpu-append-1.24        cpueval  append          1.24
cpu-concat             cpueval  concat          1.21
cpu-sprintf            cpueval  sprintf         1.26
cpu-mapgrow            cpueval  mapgrow         1.25
cpu-boxing             cpueval  boxing          1.19
cpu-compute            cpueval  compute         1.23
cpu-gcpressure         cpueval  gcpressure      1.22
cpu-lock               cpueval  lock            1.24
allocs-append-1.19     memeval  append          1.19
allocs-append-1.26     memeval  append          1.26
allocs-regexp          memeval  regexp          1.23
allocs-json            memeval  json            1.21
allocs-readall         memeval  readall         1.22
allocs-concat          memeval  concat          1.24
allocs-sprintf         memeval  sprintf         1.22
allocs-strconv         memeval  strconv         1.23
allocs-buffer          memeval  buffer          1.21
allocs-boxing          memeval  boxing          1.26
heap-cache             memeval  cache           1.24
goroutine-leak-small-1.22 goeval leak-small     1.22
goroutine-leak-small-1.26 goeval leak-small     1.26
goroutine-leak-big     goeval   leak-big        1.19
goroutine-pool-range   goeval   pool-range      1.23
goroutine-pool-select  goeval   pool-select     1.21
goroutine-pool-recv    goeval   pool-recv       1.24
goroutine-growth       goeval   growth          1.22
goroutine-growth-pool  goeval   growth-pool     1.23
goroutineleak-leak     goeval   leakprofile     1.26
goroutineleak-clean    goeval   leakprofile-clean 1.26
contention-counter-1.22 lockeval counter        1.22
contention-counter-1.26 lockeval counter        1.26
contention-log         lockeval log             1.23
contention-chanpool    lockeval chanpool        1.25
cpu-concat-1.26        cpueval  concat          1.26
cpu-sprintf-1.19       cpueval  sprintf         1.19
cpu-mapgrow-1.19       cpueval  mapgrow         1.19
cpu-boxing-1.26        cpueval  boxing          1.26
cpu-gcpressure-1.26    cpueval  gcpressure      1.26
cpu-lock-1.19          cpueval  lock            1.19
cpu-json-1.26          cpueval  json            1.26
cpu-regexp-compile-1.25 cpueval regexp-compile  1.25
cpu-compute-1.19       cpueval  compute         1.19
allocs-concat-1.19     memeval  concat          1.19
allocs-strconv-1.26    memeval  strconv         1.26
allocs-buffer-1.26     memeval  buffer          1.26
allocs-boxing-1.19     memeval  boxing          1.19
allocs-sprintf-1.26    memeval  sprintf         1.26
allocs-regexp-1.26     memeval  regexp          1.26
allocs-json-1.26       memeval  json            1.26
allocs-readall-1.19    memeval  readall         1.19
heap-cache-1.26        memeval  cache           1.26
goroutine-leak-small-1.19 goeval leak-small     1.19
goroutine-leak-big-1.26 goeval  leak-big        1.26
goroutine-pool-range-1.26 goeval pool-range     1.26
contention-counter-1.19 lockeval counter        1.19
contention-log-1.26    lockeval log             1.26
cpu-mixed              cpueval  mixed           1.23
dep-tokenize-cpu       depeval  tokenize:cpu    1.23
dep-tokenize-allocs    depeval  tokenize:allocs 1.26
dep-join-cpu           depeval  join:cpu        1.22
dep-join-allocs        depeval  join:allocs     1.19
dep-mixed-cpu          depeval  mixed:cpu       1.24
dep-mixed-allocs       depeval  mixed:allocs    1.21
goroutine-leak-tiny    goeval   leak-tiny       1.25
goroutine-pool-recv-big goeval  pool-recv-big   1.22
cpu-json-decode        cpueval  decode          1.24
allocs-mapgrow-1.22    memeval  mapgrow         1.22
allocs-mapgrow-1.26    memeval  mapgrow         1.26
contention-rwmutex     lockeval rwmutex         1.23
goroutine-http-idle-1.19 neteval idle           1.19
goroutine-http-idle-1.26 neteval idle           1.26
goroutineleak-recv     goeval   leakprofile-recv  1.26
goroutineleak-mixed    goeval   leakprofile-mixed 1.26
"

BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT
declare -A GOS=()
while read -r v path; do GOS[$v]=$path; done < <(bash scripts/ensure-go-versions.sh)

want=("$@")
selected() {
  [ ${#want[@]} -eq 0 ] && return 0
  local w
  for w in "${want[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

while read -r id prog mode ver; do
  [ -z "$id" ] && continue
  selected "$id" || continue
  go=${GOS[$ver]:-}
  if [ -z "$go" ]; then
    echo "skip $id: no Go $ver toolchain" >&2
    continue
  fi
  exe="$BIN/$prog-$ver"
  if [[ $mode == leakprofile* ]]; then exe="$exe-leak"; fi
  if [ ! -x "$exe" ]; then
    exp=""
    if [[ $exe == *-leak ]]; then exp=goroutineleakprofile; fi
    (cd "$EVAL/programs/$prog" && GOEXPERIMENT=$exp "$go" build -trimpath -o "$exe" .)
  fi
  out="$EVAL/cases/$id"
  mkdir -p "$out"
  echo "$id: $prog $mode (go $ver)" >&2
  case $prog in
    cpueval) "$exe" "$mode" "$out/cpu.pb.gz" "${SECONDS_PER_CASE:-3}" ;;
    memeval) if [ "$mode" = cache ]; then "$exe" "$mode" "$out/heap.pb.gz"; else "$exe" "$mode" "$out/allocs.pb.gz"; fi ;;
    goeval)
      if [[ $mode == leakprofile* ]]; then "$exe" "$mode" "$out/goroutineleak.pb.gz"
      elif [[ $mode == growth* ]]; then "$exe" "$mode" "$out/goroutine.pb.gz" "$out/base.pb.gz"
      else "$exe" "$mode" "$out/goroutine.pb.gz"; fi ;;
    lockeval) "$exe" "$mode" "$out/mutex.pb.gz" "$out/block.pb.gz" "${SECONDS_LOCK:-8}" "$out/cpu.pb.gz" ;;
    neteval) "$exe" "$out/goroutine.pb.gz" ;;
    depeval) "$exe" "${mode%%:*}" "${mode#*:}" "$out/${mode#*:}.pb.gz" "${SECONDS_PER_CASE:-3}" ;;
  esac
done <<< "$CASES"
