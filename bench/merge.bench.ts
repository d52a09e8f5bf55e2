// Merging several profiles: `pprof-lens merge -o OUT A B C` (the CLI bundle) against
// `go tool pprof -proto A B C > OUT`, the same inputs, interleaved in one run; and the
// differential flame tree on a 100,000-frame stack (built and written without recursion).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { diffFlameJson } from '../server/src/workers/feature-ops.js';
import { deepProfile, DEPTH } from '../tests/unit/deep-stack.js';

const root = resolve(import.meta.dirname, '..');
const go = spawnSync('bash', [join(root, 'scripts/ensure-go.sh')], { encoding: 'utf8' }).stdout.trim();
const tmp = mkdtempSync(join(tmpdir(), 'pprof-lens-merge-bench-'));
const env = { ...process.env, TZ: 'UTC', HOME: tmp, PPROF_TMPDIR: tmp };
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function wall(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'], shell: false });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return performance.now() - t0;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const sets: [string, string[]][] = [
  ['3 CPU samples', ['samples/cpu/cpu.pb.gz', 'samples/before-after/cpu.before.pb.gz', 'samples/before-after/cpu.after.pb.gz']],
  ['largeheap x3 (280k samples each)', ['samples/largeheap/heap.pb.gz', 'samples/largeheap/heap.pb.gz', 'samples/largeheap/heap.pb.gz']],
];
for (const [name, files] of sets) {
  const abs = files.map((f) => join(root, f));
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(wall('node', [join(root, 'bin/pprof-lens.mjs'), 'merge', '-o', join(tmp, 'ours.pb.gz'), ...abs]));
    theirs.push(wall('bash', ['-c', `"${go}" tool pprof -proto ${abs.map((f) => `"${f}"`).join(' ')} > "${join(tmp, 'theirs.pb.gz')}"`]));
  }
  const o = median(ours);
  const t = median(theirs);
  console.log(
    `${name.padEnd(36)} pprof-lens merge ${o.toFixed(0)} ms, go tool pprof -proto ${t.toFixed(0)} ms (${(t / o).toFixed(1)}x), ${RUNS} runs`,
  );
}

const newer = deepProfile([{ depth: DEPTH, value: 3 }]);
const base = deepProfile([{ depth: DEPTH / 2, value: 5 }]);
const t0 = performance.now();
const text = diffFlameJson('a', 'b', newer, base, {}, { mode: 'diff_base', minFraction: 0 });
console.log(
  `diff flame tree + JSON, ${DEPTH}-frame stack: ${(performance.now() - t0).toFixed(0)} ms, ${(text.length / 1e6).toFixed(1)} MB of JSON`,
);
rmSync(tmp, { recursive: true, force: true });
