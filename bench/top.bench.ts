// `pprof-lens top FILE` end to end (node process: start, read, decode, report, print)
// against `go tool pprof -top -symbolize=none FILE` in the same run, with peak RSS of
// each (GNU time %M, else /proc polling). Also the engine alone, in process, on a
// decoded profile (top and flame graph). Prints figures; results in bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeProfile } from '../server/src/decode/index.js';
import { computeFlameGraph, computeTop, formatTopText } from '../server/src/report/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const inputs = [
  path.join(root, 'samples/largeheap/heap.pb.gz'),
  path.resolve(root, 'tests/fixtures/corpus/google-pprof/internal/proftest/testdata/large.cpu'),
  path.join(root, 'samples/cpu/cpu.pb.gz'),
].filter((f) => existsSync(f));

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
  console.log(`runs per row: ${RUNS} (median), peak RSS via ${GNU_TIME ? 'GNU time %M' : '/proc VmHWM polling'}`);
  console.log('| input | ours wall ms | ours CPU ms | ours peak MB | go wall ms | go CPU ms | go peak MB | wall speed-up | CPU ratio |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const f of inputs) {
    const ours: { ms: number; cpuMs: number; rssMB: number }[] = [];
    const theirs: { ms: number; cpuMs: number; rssMB: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      // interleave so machine load affects both alike
      ours.push(await measure('node', [bin, 'top', f], env));
      if (go) theirs.push(await measure(go, ['tool', 'pprof', '-top', '-symbolize=none', f], env));
    }
    const om = median(ours.map((r) => r.ms));
    const gm = go ? median(theirs.map((r) => r.ms)) : NaN;
    const oc = median(ours.map((r) => r.cpuMs));
    const gc = go ? median(theirs.map((r) => r.cpuMs)) : NaN;
    console.log(
      `| ${path.relative(root, f)} | ${om.toFixed(0)} | ${oc.toFixed(0)} | ${Math.max(...ours.map((r) => r.rssMB)).toFixed(0)} | ${go ? gm.toFixed(0) : 'n/a'} | ${go ? gc.toFixed(0) : 'n/a'} | ${go ? Math.max(...theirs.map((r) => r.rssMB)).toFixed(0) : 'n/a'} | ${go ? (gm / om).toFixed(1) + 'x' : 'n/a'} | ${go ? (gc / oc).toFixed(1) + 'x' : 'n/a'} |`,
    );
  }

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
