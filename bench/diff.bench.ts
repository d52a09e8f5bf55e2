// Comparison timings: merge (-diff_base), the differential top (3 top computations) and
// the differential flame tree, on the before/after CPU pair and on the large heap
// profile against a copy of itself scaled by 2 (every stack present on both sides).
import { readFileSync } from 'node:fs';
import { decodeProfile } from '../server/src/decode/index.js';
import { diffProfiles, scale } from '../server/src/analysis/merge.js';
import type { Profile } from '../server/src/model/profile.js';
import { computeDiffTop } from '../server/src/report/diff.js';
import { computeDiffFlameGraph } from '../server/src/report/diff-flame.js';
import { prepareProfile } from '../server/src/report/index.js';

function load(path: string): Profile {
  return prepareProfile(decodeProfile(new Uint8Array(readFileSync(path))));
}

function time<T>(label: string, runs: number, f: () => T): T {
  let out: T = f(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(48)} median ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms  (min ${ms[0]!.toFixed(1)}, max ${ms[ms.length - 1]!.toFixed(1)}, ${runs} runs)`,
  );
  return out;
}

const pairs: [string, Profile, Profile, number][] = [];
const before = load('samples/before-after/cpu.before.pb.gz');
const after = load('samples/before-after/cpu.after.pb.gz');
pairs.push(['before-after cpu', after, before, 10]);
const large = load('samples/largeheap/heap.pb.gz');
pairs.push([`largeheap (${large.sample.length} samples) vs 2x itself`, scale(large, 2), large, 3]);

for (const [name, newer, base, runs] of pairs) {
  console.log(`-- ${name}`);
  time('merge (-diff_base)', runs, () => diffProfiles(newer, base, { mode: 'diff_base' }));
  time('merge (-base)', runs, () => diffProfiles(newer, base, { mode: 'base' }));
  // A shallow copy is a new profile identity: nothing memoized, like a first request.
  time('differential top, first request (GET /diff)', runs, () =>
    computeDiffTop({ ...newer }, base, {}, { mode: 'diff_base', nodeFraction: 0 }),
  );
  time('differential flame tree, first request', runs, () => computeDiffFlameGraph({ ...newer }, base, {}, { mode: 'diff_base' }));
  time('differential flame tree, repeated', runs, () => computeDiffFlameGraph(newer, base, {}, { mode: 'diff_base' }));
}

// A second request on the same pair (another sample type or filter) reuses the merge.
console.log('-- repeated requests on the largeheap pair (merge memoized per pair)');
const [, lnew, lbase] = pairs[1]!;
computeDiffTop(lnew, lbase, {}, { mode: 'diff_base', nodeFraction: 0 });
time('differential top, si=inuse_space (after a first request)', 3, () =>
  computeDiffTop(lnew, lbase, { sampleIndex: 'inuse_space' }, { mode: 'diff_base', nodeFraction: 0 }),
);
time('differential top, focus=main (after a first request)', 3, () =>
  computeDiffTop(lnew, lbase, { focus: 'main' }, { mode: 'diff_base', nodeFraction: 0 }),
);
