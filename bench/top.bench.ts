// `pprof-lens top FILE` end to end (node process: start, read, decode, report, print)
// against `go tool pprof -top -symbolize=none FILE` in the same run, with peak RSS of
// each (GNU time %M, else /proc polling), runs alternated so machine load hits both
// alike; `list` likewise on the 280k-sample heap profile; then `top` and `list` on the
// 1M-sample profiles of scripts/gen-profile.ts (both shapes, as bench/huge.bench.ts makes
// them; go tool pprof takes minutes on each). Also the engine alone, in process, on a decoded profile (top
// and flame graph). Prints figures; results in bench/RESULTS.md.
//   BENCH_RUNS=5 (runs per small input)  TOP_HUGE=1000000 (sizes; 0: none)  TOP_HUGE_RUNS=1
//   TOP_HUGE_SHAPES=realistic,worst
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeProfile } from '../server/src/decode/index.js';
import { generateProfileGz, type ProfileShape } from '../scripts/gen-profile.js';
import { computeFlameGraph, computeTop, formatTopText } from '../server/src/report/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const inputs = [
  path.join(root, 'samples/largeheap/heap.pb.gz'),
  path.resolve(root, 'tests/fixtures/corpus/google-pprof/internal/proftest/testdata/large.cpu'),
  path.join(root, 'samples/cpu/cpu.pb.gz'),
].filter((f) => existsSync(f));
const hugeSizes = (process.env.TOP_HUGE ?? '1000000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const HUGE_RUNS = Number(process.env.TOP_HUGE_RUNS ?? 1);
const hugeShapes = (process.env.TOP_HUGE_SHAPES ?? 'realistic,worst').split(',') as ProfileShape[];

/** One function of the generated profiles (scripts/gen-profile.ts names them pkgN.(*T).MethodN). */
const HUGE_LIST = 'pkg4\\.\\(\\*T0\\)\\.Method4$';

/** The generated profile of bench/huge.bench.ts (same name, seed and shape, shared cache). */
function hugeInput(shape: ProfileShape, n: number): string {
  const dir = path.join(root, 'bench/.tmp/huge');
  mkdirSync(dir, { recursive: true });
  const f = path.join(dir, `${shape}-${n}.pb.gz`);
  if (!existsSync(f)) writeFileSync(f, generateProfileGz({ samples: n, shape, seed: 1 }));
  return f;
}

function findGo(): string | null {
  const r = spawnSync('bash', [path.join(root, 'scripts/ensure-go.sh')], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs a command, returns wall ms and peak RSS in MB. */
function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; cpuMs: number; rssMB: number; ok: boolean }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const full = GNU_TIME ? [GNU_TIME, ['-f', '%M %U %S', cmd, ...args]] : [cmd, args];
    const child = spawn(full[0] as string, full[1] as string[], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peakKB = 0;
    let poll: NodeJS.Timeout | null = null;
    if (!GNU_TIME) {
      poll = setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) peakKB = Math.max(peakKB, Number(m[1]));
        } catch {
          /* exited */
        }
      }, 5);
    }
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const ms = performance.now() - t0;
      let cpuMs = NaN;
      if (GNU_TIME) {
        const lines = stderr.trim().split('\n');
        const [kb, u, sy] = lines[lines.length - 1].split(' ').map(Number);
        peakKB = kb || 0;
        cpuMs = (u + sy) * 1000;
      }
      resolve({ ms, cpuMs, rssMB: peakKB / 1024, ok: code === 0 });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function main(): Promise<void> {
  const go = findGo();
  const env = { ...process.env, TZ: 'UTC', HOME: path.join(root, 'bench/.tmp') };
  const bin = path.join(root, 'bin/pprof-lens.mjs');
  if (!existsSync(path.join(root, 'dist/cli.mjs'))) {
    console.log('note: dist/cli.mjs missing, building it (node scripts/build-server.mjs)');
    spawnSync('node', [path.join(root, 'scripts/build-server.mjs')], { stdio: 'inherit' });
  }
  console.log(`uptime: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
  console.log(`runs per row: ${RUNS} (median; huge inputs ${HUGE_RUNS}), peak RSS via ${GNU_TIME ? 'GNU time %M' : '/proc VmHWM polling'}`);
  console.log(
    '| command | input | ours wall ms | ours CPU ms | ours peak MB | go wall ms | go CPU ms | go peak MB | wall speed-up | CPU ratio | memory ratio |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const heap = path.join(root, 'samples/largeheap/heap.pb.gz');
  const rows: { cmd: string; f: string; ours: string[]; go: string[]; runs: number }[] = [
    ...inputs.map((f) => ({ cmd: 'top', f, ours: ['top', f], go: ['-top', f], runs: RUNS })),
    ...(existsSync(heap)
      ? [{ cmd: 'list main.step$', f: heap, ours: ['list', 'main.step$', heap], go: ['-list=main.step$', heap], runs: RUNS }]
      : []),
    ...hugeSizes.flatMap((n) =>
      hugeShapes.flatMap((shape) => {
        const f = hugeInput(shape, n);
        return [
          { cmd: 'top -nodecount=10', f, ours: ['top', '-nodecount=10', f], go: ['-top', '-nodecount=10', f], runs: HUGE_RUNS },
          { cmd: `list ${HUGE_LIST}`, f, ours: ['list', HUGE_LIST, f], go: [`-list=${HUGE_LIST}`, f], runs: HUGE_RUNS },
        ];
      }),
    ),
  ];
  for (const row of rows) {
    type Run = Awaited<ReturnType<typeof measure>>;
    const ours: Run[] = [];
    const theirs: Run[] = [];
    for (let i = 0; i < row.runs; i++) {
      // interleave so machine load affects both alike
      ours.push(await measure('node', [bin, ...row.ours], env));
      if (go) theirs.push(await measure(go, ['tool', 'pprof', '-symbolize=none', ...row.go], env));
    }
    if ([...ours, ...theirs].some((r) => !r.ok)) console.log(`note: a run of ${row.cmd} ${path.relative(root, row.f)} failed`);
    const om = median(ours.map((r) => r.ms));
    const gm = go ? median(theirs.map((r) => r.ms)) : NaN;
    const oc = median(ours.map((r) => r.cpuMs));
    const gc = go ? median(theirs.map((r) => r.cpuMs)) : NaN;
    const orss = Math.max(...ours.map((r) => r.rssMB));
    const grss = go ? Math.max(...theirs.map((r) => r.rssMB)) : NaN;
    const na = (x: string): string => (go ? x : 'n/a');
    console.log(
      `| ${row.cmd} | ${path.relative(root, row.f)} | ${om.toFixed(0)} | ${oc.toFixed(0)} | ${orss.toFixed(0)} | ${na(gm.toFixed(0))} | ${na(gc.toFixed(0))} | ${na(grss.toFixed(0))} | ${na((gm / om).toFixed(1) + 'x')} | ${na((gc / oc).toFixed(1) + 'x')} | ${na('1/' + (grss / orss).toFixed(1))} |`,
    );
  }
  console.log(`uptime: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);

  console.log('\nengine only (decoded profile in memory; ms, median of runs after one warm-up):');
  console.log('| input | decode | top (default) | top -nodefraction=0 | format | flame (default) | flame minFraction=0 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const f of inputs) {
    const bytes = readFileSync(f);
    const time = (fn: () => unknown): number => {
      fn();
      const xs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        fn();
        xs.push(performance.now() - t);
      }
      return median(xs);
    };
    const dec = time(() => decodeProfile(bytes));
    const p = decodeProfile(bytes);
    const top = time(() => computeTop(p, {}, {}));
    const top0 = time(() => computeTop(p, {}, { nodeFraction: 0 }));
    const r = computeTop(p, {}, { nodeFraction: 0 });
    const fmt = time(() => formatTopText(r));
    const fl = time(() => computeFlameGraph(p, {}, {}));
    const fl0 = time(() => computeFlameGraph(p, {}, { minFraction: 0 }));
    console.log(
      `| ${path.basename(path.dirname(f))}/${path.basename(f)} (${p.sample.length} samples) | ${dec.toFixed(0)} | ${top.toFixed(0)} | ${top0.toFixed(0)} | ${fmt.toFixed(0)} | ${fl.toFixed(0)} | ${fl0.toFixed(0)} |`,
    );
  }
}

await main();
