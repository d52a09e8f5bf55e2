// Insights engine timings: computeInsights on the large heap profile (~280k samples)
// and on the Go 1.26 corpus profiles (CPU, allocs, goroutine, mutex). Prints figures.
import { existsSync, readFileSync } from 'node:fs';
import { decodeProfile } from '../server/src/decode/index.js';
import { computeInsights } from '../server/src/insights/engine.js';
import { CORPUS_DIR } from '../tests/corpus.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FILES = [
  'samples/largeheap/heap.pb.gz',
  CORPUS_DIR + '/go-versions/1.26/cpu.pb.gz',
  CORPUS_DIR + '/go-versions/1.26/allocs.pb.gz',
  CORPUS_DIR + '/go-versions/1.26/goroutine.pb.gz',
  CORPUS_DIR + '/go-versions/1.26/mutex.pb.gz',
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

for (const f of FILES) {
  if (!existsSync(f)) {
    console.log(`${f}: missing, skipped`);
    continue;
  }
  const p = decodeProfile(readFileSync(f));
  const times: number[] = [];
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    findings = computeInsights(p).findings.length;
    times.push(performance.now() - t0);
  }
  console.log(
    `${f}: ${p.sample.length} samples, ${findings} findings, computeInsights median ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, ${RUNS} runs)`,
  );
}
