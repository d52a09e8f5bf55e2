// Labels and goroutine dumps: `pprof-lens tags` against `go tool pprof -tags` on the
// 280k-sample heap (both as processes, interleaved, same run), and goroutine dump parsing
// throughput on a generated 100k-goroutine dump and on hostile lines (linear time).
// Run: npx tsx bench/labels.bench.ts [runs]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseGoroutineDump } from '../server/src/goroutines/parse.js';
import { groupGoroutines } from '../server/src/goroutines/group.js';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.argv[2] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const GO = '/usr/lib/go-1.23/bin/go';

function time(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return performance.now() - t0;
}

console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const heap = join(ROOT, 'samples/largeheap/heap.pb.gz');
const bundle = join(ROOT, 'dist/cli.mjs');
if (existsSync(GO) && existsSync(heap)) {
  const ours: number[] = [];
  const theirs: number[] = [];
  const cli = existsSync(bundle)
    ? ['node', [join(ROOT, 'bin/pprof-lens.mjs'), 'tags', heap]]
    : ['npx', ['tsx', 'server/src/cli/main.ts', 'tags', heap]];
  for (let i = 0; i < RUNS; i++) {
    ours.push(time(cli[0] as string, cli[1] as string[]));
    theirs.push(time(GO, ['tool', 'pprof', '-tags', '-symbolize=none', heap]));
  }
  console.log(
    `tags, largeheap (280k samples): pprof-lens ${median(ours).toFixed(0)} ms, go tool pprof ${median(theirs).toFixed(0)} ms (medians of ${RUNS})`,
  );
}

// A dump of 100k goroutines in 1k distinct stacks, as a debug=2 endpoint writes it.
let dump = '';
for (let i = 0; i < 100_000; i++) {
  const k = i % 1000;
  dump += `goroutine ${i + 1} [chan receive, ${k % 30} minutes]:\nmain.worker${k}(0xc000${i.toString(16)}, 0x1)\n\texample.com/app/worker.go:${k + 10} +0x4d\nmain.pool.func1()\n\texample.com/app/pool.go:42 +0x25\ncreated by main.pool in goroutine 1\n\texample.com/app/pool.go:40 +0x65\n\n`;
}
const mb = dump.length / 1e6;
const parse: number[] = [];
const group: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const d = parseGoroutineDump(dump);
  parse.push(performance.now() - t0);
  const t1 = performance.now();
  groupGoroutines(d.goroutines);
  group.push(performance.now() - t1);
}
console.log(
  `dump parse: ${mb.toFixed(1)} MB, 100k goroutines: ${median(parse).toFixed(0)} ms (${(mb / (median(parse) / 1000)).toFixed(0)} MB/s), grouping ${median(group).toFixed(0)} ms`,
);

// Hostile: one 1 MB line of brackets, a header with a 1 MB label block, 100k '(' lines.
for (const [name, text] of [
  ['1 MB bracket line', 'goroutine 1 [' + '['.repeat(1 << 20) + ':'],
  ['1 MB label block', 'goroutine 1 [running] {' + 'a: "b", '.repeat(1 << 17) + '}:\nmain.f()\n\tx.go:1\n'],
  ['100k call lines', 'goroutine 1 [running]:\n' + 'f((((((((((\n'.repeat(100_000)],
] as const) {
  const t0 = performance.now();
  parseGoroutineDump(text);
  console.log(`hostile ${name} (${(text.length / 1e6).toFixed(1)} MB): ${(performance.now() - t0).toFixed(0)} ms`);
}
