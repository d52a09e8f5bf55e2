// Peek, sandwich and call graph on the large heap profile (samples/largeheap/heap.pb.gz,
// ~280k samples): API latency (warm: the profile decoded once), `go tool pprof -peek` /
// `-dot` on the same file in the same run for the ratio, and in headless Chromium the time
// from navigation to the sandwich drawn and to the call graph laid out by Graphviz and
// drawn (the first graph includes loading the wasm). Prints figures, not pass/fail.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleBytes, startHarness, uploadBytes } from '../tests/browser/web-harness.js';

const FILE = 'samples/largeheap/heap.pb.gz';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GO = '/usr/lib/go-1.23/bin/go';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
const fmt = (xs: number[]): string =>
  `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

async function timedGet(url: string): Promise<number> {
  const t0 = performance.now();
  // A keep-alive socket the server closed while idle resets once: retry that one.
  const res = await fetch(url).catch(() => fetch(url));
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t0;
}

/** Wall time of one go tool pprof run (a "no matches" exit status counts: the work was done). */
function goRun(args: string[], home: string): number {
  const t0 = performance.now();
  try {
    execFileSync(GO, ['tool', 'pprof', '-symbolize=none', ...args, FILE], {
      env: { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
  } catch {
    // pprof exits 1 when a -peek regexp matches nothing
  }
  return performance.now() - t0;
}

async function main(): Promise<void> {
  if (!existsSync(FILE)) {
    console.log(`${FILE} not found: run scripts/make-samples.sh first`);
    return;
  }
  const H = await startHarness();
  const home = mkdtempSync(join(tmpdir(), 'pprof-lens-bench-go-'));
  try {
    const id = await uploadBytes(H.base, sampleBytes('largeheap/heap.pb.gz'), 'largeheap/heap.pb.gz');
    const api = `${H.base}/api/profiles/${id}`;
    await timedGet(`${api}/top?n=1`); // decode once
    console.log(`large heap profile, ${RUNS} runs each (warm server: decoded once)`);
    const cases: [string, string, string[] | null][] = [
      [
        'peek runtime.mallocgc (matches nothing: heap profiles drop malloc frames)',
        `peek?re=${encodeURIComponent('runtime\\.mallocgc')}`,
        ['-peek=runtime\\.mallocgc'],
      ],
      ['peek ^main\\.step$ (the hot allocator)', `peek?re=${encodeURIComponent('^main\\.step$')}`, ['-peek=^main\\.step$']],
      ['peek ^main\\. (every main function)', `peek?re=${encodeURIComponent('^main\\.')}`, ['-peek=^main\\.']],
      ['graph (pprof -dot defaults)', 'graph', ['-dot']],
      ['graph -lines', 'graph?granularity=lines', ['-dot', '-lines']],
      ['sandwich main.main', `sandwich?fn=${encodeURIComponent('main.main')}`, null],
      ['sandwich main.step', `sandwich?fn=${encodeURIComponent('main.step')}`, null],
    ];
    for (const [label, path, goArgs] of cases) {
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        ours.push(await timedGet(`${api}/${path}`));
        if (goArgs) theirs.push(goRun(goArgs, home));
      }
      const go = goArgs ? `; go tool pprof ${goArgs.join(' ')} (whole run): ${fmt(theirs)}` : '';
      console.log(`  API ${label}: ${fmt(ours)}${go}`);
    }

    const page = async (query: string, sel: string): Promise<{ nav: number; inPage: number }> => {
      const ctx = await H.newContext();
      const p = await ctx.newPage();
      const t0 = performance.now();
      await p.goto(`${H.base}/p/${id}?${query}`);
      await p.waitForSelector(sel, { timeout: 60_000 });
      const nav = performance.now() - t0;
      const inPage = Number(await p.$eval(sel, (e) => (e as HTMLElement).dataset.drawnMs));
      await ctx.close();
      return { nav, inPage };
    };
    const sw = [];
    const gr = [];
    for (let i = 0; i < RUNS; i++) {
      sw.push(await page('v=sandwich&sw=main.main', '.sandwich-view[data-drawn-ms]'));
      gr.push(await page('v=graph', '.graph-view[data-drawn-ms]'));
    }
    console.log(
      `  browser sandwich main.main, navigation -> drawn: ${fmt(sw.map((r) => r.nav))}; fetch + draw in page ${fmt(sw.map((r) => r.inPage))}`,
    );
    console.log(
      `  browser call graph, navigation -> laid out + drawn: ${fmt(gr.map((r) => r.nav))}; fetch + wasm load + layout + draw in page ${fmt(gr.map((r) => r.inPage))}`,
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
    await H.close();
  }
}

await main();
