// Bigger inputs on purpose (issue 15): a generated CPU profile of about 500 MiB raw
// (scripts/gen-profile.ts, worst shape: little prefix sharing) uploaded gzipped to a real
// `pprof-lens serve --max-inflated-mb 1024 --max-upload-mb 1024` process with --memory-mb
// 512 (refused), the default 1024 and 4096. For each: the
// upload's answer (201, or the 413 and its words), the first flame graph, the server's
// peak RSS, and meanwhile the latency of small requests (a small profile's flame graph,
// computed afresh each time, and the big profile's progress) and whether the server lived.
// Prints figures, not pass/fail; bench/RESULTS.md records them.
//   HUGE_INPUT_MB=500 HUGE_INPUT_BUDGETS=512,1024,4096 npx tsx bench/huge-input.bench.ts
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateProfile } from '../scripts/gen-profile.js';
import { peakRssMB, root, startServe, timed } from './serve-process.js';

const tmp = path.join(root, 'bench/.tmp/huge-input');
mkdirSync(tmp, { recursive: true });
const targetMB = Number(process.env.HUGE_INPUT_MB ?? 500);
const budgets = (process.env.HUGE_INPUT_BUDGETS ?? '512,1024,4096').split(',').map(Number);
/** What the page asks for first (as bench/huge.bench.ts). */
const PAGE_FLAME = 'granularity=filefunctions&minFraction=0.00026';
const MB = 1024 * 1024;

/** The gzipped input and its raw size: samples scaled from a small run to reach targetMB raw. */
function input(): { file: string; gzMB: number; rawMB: number; samples: number } {
  const file = path.join(tmp, `worst-${targetMB}MB.pb.gz`);
  const meta = `${file}.json`;
  if (existsSync(file) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { rawMB: number; samples: number };
    return { file, gzMB: statSync(file).size / MB, ...m };
  }
  // Bytes per sample at the margin (the function table is the same at any size), from two small runs.
  const size = (n: number) => generateProfile({ samples: n, shape: 'worst', seed: 1, functions: 60_000 }).length;
  const [a, b] = [size(100_000), size(200_000)];
  const perSample = (b - a) / 100_000;
  const samples = Math.round((targetMB * MB - (a - perSample * 100_000)) / perSample);
  const raw = generateProfile({ samples, shape: 'worst', seed: 1, functions: 60_000 });
  const gz = gzipSync(raw, { level: 1 });
  const m = { rawMB: raw.length / MB, samples };
  writeFileSync(file, gz);
  writeFileSync(meta, JSON.stringify(m));
  return { file, gzMB: gz.length / MB, ...m };
}

/**
 * POSTs a file from a child process: it streams the 400 MB, so this process's event loop
 * stays free to time the small requests (sending from here delayed them by seconds).
 */
function childUpload(url: string, file: string): Promise<{ status: number; body: string }> {
  const script = `const b = require('node:fs').readFileSync(process.argv[1]);
fetch(process.argv[2], { method: 'POST', body: b, headers: { 'content-type': 'application/octet-stream' } })
  .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })))
  .catch((e) => process.stdout.write(JSON.stringify({ status: 0, body: JSON.stringify({ error: String(e) }) })));`;
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['-e', script, file, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('error', reject);
    c.on('exit', () => resolve(JSON.parse(out || '{"status":0,"body":"{}"}') as { status: number; body: string }));
  });
}

/** Latencies of small requests, one after another, until stopped. */
function probe(url: string): { stop(): Promise<{ ms: number[]; at: number[]; failed: number; statuses: Set<number> }> } {
  const ms: number[] = [];
  const at: number[] = [];
  const statuses = new Set<number>();
  let failed = 0;
  let on = true;
  const loop = (async () => {
    for (let i = 0; on; i++) {
      const t0 = performance.now();
      try {
        // A new minFraction each time: computed by a worker, not answered from the view cache.
        const r = await fetch(url.replace('MF', (0.001 + i * 1e-7).toPrecision(8)));
        await r.arrayBuffer();
        statuses.add(r.status);
        if (r.status !== 200) failed++;
      } catch {
        failed++;
      }
      ms.push(performance.now() - t0);
      at.push(t0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      on = false;
      await loop;
      return { ms, at, failed, statuses };
    },
  };
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-');

console.log(`uptime: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
const [genMs, inp] = await timed(async () => input());
console.log(
  `input: ${inp.samples} samples, ${inp.rawMB.toFixed(0)} MiB raw, ${inp.gzMB.toFixed(0)} MiB gzip (made or read in ${f0(genMs)} ms)`,
);
console.log(
  '| --memory-mb | upload | upload ms | first flame ms | server peak RSS MB | small flame p50 / p95 / max ms (n) | progress p50 / max ms | small failures | alive after |',
);
console.log('|---:|---|---:|---:|---:|---|---|---:|---|');
const small = readFileSync(path.join(root, 'samples/cpu/cpu.pb.gz'));
for (const budget of budgets) {
  const srv = await startServe(
    path.join(tmp, `data-${process.pid}-${budget}`),
    ['--max-inflated-mb', '1024', '--max-upload-mb', '1024', '--memory-mb', String(budget)],
    'ignore',
  );
  try {
    const up0 = await fetch(`${srv.url}/api/profiles`, {
      method: 'POST',
      body: small,
      headers: { 'content-type': 'application/octet-stream' },
    });
    const smallId = ((await up0.json()) as { id: string }).id;
    const flames = probe(`${srv.url}/api/profiles/${smallId}/flamegraph?minFraction=MF`);
    let progressMs: number[] = [];
    const phases: [string, number][] = [['upload', performance.now()]];
    const [upMs, res] = await timed(() => childUpload(`${srv.url}/api/profiles`, inp.file));
    const body = JSON.parse(res.body) as { id?: string; error?: string };
    let upload = String(res.status);
    let flameMs = NaN;
    if (res.status === 201 && body.id) {
      // The page's first flame graph, with the progress route asked meanwhile as the page does.
      phases.push(['flame graph', performance.now()]);
      let done = false;
      const progress = (async () => {
        const out: number[] = [];
        while (!done) {
          const [ms] = await timed(() => fetch(`${srv.url}/api/profiles/${body.id}/progress`).then((r) => r.arrayBuffer()));
          out.push(ms);
          await new Promise((r) => setTimeout(r, 250));
        }
        return out;
      })();
      const [ms, fr] = await timed(() => fetch(`${srv.url}/api/profiles/${body.id}/flamegraph?${PAGE_FLAME}`));
      await fr.arrayBuffer();
      done = true;
      progressMs = await progress;
      flameMs = fr.status === 200 ? ms : NaN;
      if (fr.status !== 200) upload += `, flame graph ${fr.status}`;
    } else {
      upload += `: ${body.error ?? ''}`;
    }
    phases.push(['after', performance.now()]);
    const probed = await flames.stop();
    // Where the slow small requests fell (they start in one phase and may last into the next).
    const slow = probed.ms
      .map((ms, i) => ({ ms, at: probed.at[i]! }))
      .filter((x) => x.ms > 500)
      .map((x) => {
        const ph = [...phases].reverse().find(([, t]) => t <= x.at);
        return `${f0(x.ms)} ms (began ${ph ? `${f0(x.at - ph[1])} ms into ${ph[0]}` : 'before the upload'})`;
      });
    if (slow.length) console.log(`  --memory-mb ${budget}: small requests over 500 ms: ${slow.join('; ')}`);
    const rss = peakRssMB(srv.child.pid!);
    const alive = await fetch(`${srv.url}/api/profiles/${smallId}/top?n=1`).then(
      (r) => (r.status === 200 ? 'yes' : `answers ${r.status}`),
      () => 'no',
    );
    console.log(
      `| ${budget} | ${upload} | ${f0(upMs)} | ${f0(flameMs)} | ${f0(rss)} | ${f0(pct(probed.ms, 50))} / ${f0(pct(probed.ms, 95))} / ${f0(Math.max(...probed.ms))} (${probed.ms.length}) | ${f0(pct(progressMs, 50))} / ${f0(progressMs.length ? Math.max(...progressMs) : NaN)} | ${probed.failed} | ${alive} |`,
    );
  } finally {
    if (srv.child.exitCode === null) {
      const exited = new Promise((r) => srv.child.once('exit', r));
      srv.child.kill();
      await exited;
    }
    rmSync(srv.data, { recursive: true, force: true });
  }
}
console.log(`uptime: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
