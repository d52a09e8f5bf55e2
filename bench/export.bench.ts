// Export and sanitised-copy cost on the largest sample profile, in process on a decoded
// profile (what an analysis worker does per request), next to `go tool pprof -proto`
// writing the same filtered profile (a whole process: start, decode, filter, encode).
// Prints figures; results in bench/RESULTS.md ("Export and sharing").
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeProfile } from '../server/src/decode/index.js';
import { encodeProfileGzip } from '../server/src/encode/pprof.js';
import { exportFile } from '../server/src/export/index.js';
import { sanitiseProfile } from '../server/src/export/sanitise.js';
import type { Query } from '../contract/query.js';
import { prepareProfile } from '../server/src/report/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const file = path.join(root, 'samples/largeheap/heap.pb.gz');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn: () => unknown): Promise<{ ms: number; out: unknown }> {
  let out: unknown;
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    out = await fn();
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), out };
}

const go = spawnSync('bash', [path.join(root, 'scripts/ensure-go.sh')], { encoding: 'utf8' }).stdout.trim();
const p = prepareProfile(decodeProfile(readFileSync(file)));
const cases: [string, Query][] = [
  ['no filters', {}],
  ['focus=main\\.', { focus: 'main\\.' }],
];
console.log(`${path.relative(root, file)}: ${statSync(file).size} bytes, ${p.sample.length} samples; median of ${RUNS}`);
for (const [label, q] of cases) {
  for (const fmt of ['folded', 'speedscope', 'pprof', 'html', 'svg', 'png'] as const) {
    const r = await time(() => exportFile(p, q, fmt, 'heap.pb.gz'));
    console.log(`  ${label.padEnd(14)} ${fmt.padEnd(10)} ${r.ms.toFixed(0).padStart(6)} ms  ${(r.out as Uint8Array).byteLength} bytes`);
  }
  if (go) {
    const dir = mkdtempSync(path.join(tmpdir(), 'export-bench-'));
    const args = ['tool', 'pprof', '-proto', `-output=${path.join(dir, 'f.pb.gz')}`, ...(q.focus ? [`-focus=${q.focus}`] : []), file];
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      spawnSync(go, args, { stdio: 'ignore' });
      ms.push(performance.now() - t0);
    }
    console.log(`  ${label.padEnd(14)} go tool pprof -proto (process) ${median(ms).toFixed(0).padStart(6)} ms`);
    rmSync(dir, { recursive: true, force: true });
  }
}
const s = await time(() => encodeProfileGzip(sanitiseProfile(p, { modulePaths: true }).profile));
console.log(`  sanitised copy (module paths)  ${s.ms.toFixed(0).padStart(6)} ms  ${(s.out as Uint8Array).byteLength} bytes`);
