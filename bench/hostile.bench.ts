// Time taken on the hostile inputs of tests/unit/hostile-input.test.ts (which checks only what
// they give): catastrophic patterns through Go's regexp (re2js) on the large heap profile and
// on profiles carrying them, and legacy text profiles with huge lines. Prints figures.
import { cpus, loadavg } from 'node:os';
import { decodeProfile } from '../server/src/decode/index.js';
import { computeTop, prepareProfile } from '../server/src/report/index.js';
import { computeFlameGraph } from '../server/src/report/flame.js';
import { sample } from '../tests/api/server-helpers.js';
import { CATASTROPHIC_FOCUS, catastrophicDropFrames, catastrophicKeepFrames, HOSTILE_TEXTS } from '../tests/unit/hostile-cases.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function time(label: string, f: () => unknown): void {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    try {
      f();
    } catch {
      // refusals are the expected answer for most of these inputs
    }
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`| ${label.replace(/\|/g, '\\|')} | ${ms[ms.length >> 1]!.toFixed(1)} | ${ms[ms.length - 1]!.toFixed(1)} |`);
}

console.log(`hostile inputs: ${RUNS} runs, Node ${process.version}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}`);
console.log('| input | median ms | max ms |');
console.log('|---|---:|---:|');
const heap = prepareProfile(decodeProfile(sample('largeheap/heap.pb.gz')));
for (const focus of CATASTROPHIC_FOCUS)
  time(`top -focus=${focus} on the large heap profile`, () => computeTop(heap, { focus }, { nodeCount: 10 }));
time('profile with drop_frames (a+)+$: decode + top', () => computeTop(prepareProfile(decodeProfile(catastrophicDropFrames())), {}, {}));
time('profile with keep_frames (a|a)*$: decode + tagfocus top + flame search', () => {
  const p = prepareProfile(decodeProfile(catastrophicKeepFrames()));
  computeTop(p, { tagFocus: '(a|a)*$' }, {});
  computeFlameGraph(p, { focus: '(.*a){20}$', hide: '(a|aa)+$' }, {});
});
for (const [label, make] of Object.entries(HOSTILE_TEXTS)) {
  const bytes = make();
  time(`decode: ${label}`, () => decodeProfile(bytes));
}
