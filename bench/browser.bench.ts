// Browser benchmark of the web UI on the large heap profile (samples/largeheap/heap.pb.gz):
// first flame graph after opening /p/:id, zoom redraw, zoom with subtree fetch, search,
// and, for comparison, d3-flame-graph 5 (SVG) rendering the same server data; then
// scrolling a 12,000-row top table (tests/browser/web-ui.test.ts checks it stays virtualised).
// Real server + built bundle + Debian Chromium (headless, software raster). Prints figures.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { manyFunctionsProfile, ROOT, sampleBytes, startHarness, uploadBytes } from '../tests/browser/web-harness.js';

const RUNS = Number(process.env.RUNS ?? 5);

interface Timings {
  firstDrawAt: number;
  zoomRedrawMs: number;
  zoomDetailMs: number;
  frames: number;
}
interface Frame {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  pruned: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

async function appRun(
  page: Page,
  url: string,
): Promise<{ first: number; zoom: number; zoomDetail: number; deepZoom: number; search: number; frames: number }> {
  await page.goto(url);
  await page.waitForSelector('.view[data-view=flame][data-ready=true]', { timeout: 30_000 });
  const t = await page.evaluate(() => ({ ...(window as unknown as { pprofLensDebug: { timings: Timings } }).pprofLensDebug.timings }));
  const frames = await page.evaluate(() => (window as unknown as { pprofLensDebug: { frames(): Frame[] } }).pprofLensDebug.frames());
  const box = (await page.locator('.flame-canvas').boundingBox())!;
  const target = frames.filter((f) => f.name.startsWith('main.f') && !f.pruned).sort((a, b) => b.w - a.w)[0]!;
  await page.mouse.click(box.x + target.x + 20, box.y + target.y + target.h / 2);
  await page.waitForFunction((n) => document.querySelector('.crumb.current')?.textContent === n, target.name);
  await page.waitForFunction(() => document.querySelector('.flame-status')?.textContent === '');
  await page.waitForTimeout(50);
  const z = await page.evaluate(() => ({ ...(window as unknown as { pprofLensDebug: { timings: Timings } }).pprofLensDebug.timings }));
  // One level deeper (frames that arrived with the subtree).
  const after = await page.evaluate(() => (window as unknown as { pprofLensDebug: { frames(): Frame[] } }).pprofLensDebug.frames());
  const tw = after.find((f) => f.name === target.name)!.w;
  const deep = after.filter((f) => !f.pruned && f.w > 4 && f.w < tw - 2).sort((a, b) => b.w - a.w)[0]!;
  const box2 = (await page.locator('.flame-canvas').boundingBox())!;
  await page.mouse.click(box2.x + deep.x + Math.min(deep.w / 2, 20), box2.y + deep.y + deep.h / 2);
  await page.waitForFunction((n) => document.querySelector('.crumb.current')?.textContent === n, deep.name);
  const z2 = await page.evaluate(() => ({ ...(window as unknown as { pprofLensDebug: { timings: Timings } }).pprofLensDebug.timings }));
  await page.keyboard.press('Escape');
  const s0 = Date.now();
  await page.fill('.flame-view input.search', 'main\\.f1');
  await page.waitForFunction(() => /of total|no match/.test(document.querySelector('.flame-view .match-info')?.textContent ?? ''));
  const search = Date.now() - s0;
  return { first: t.firstDrawAt, zoom: z.zoomRedrawMs, zoomDetail: z.zoomDetailMs, deepZoom: z2.zoomRedrawMs, search, frames: t.frames };
}

/** d3-flame-graph 5 bundled on the fly (esbuild), rendering a given tree in a blank page. */
async function d3FlameBundle(): Promise<{ js: string; css: string }> {
  const require = createRequire(import.meta.url);
  const cssPath = join(require.resolve('d3-flame-graph').replace(/d3-flamegraph\.(umd|es)\.js$/, ''), 'd3-flamegraph.css');
  const out = await build({
    stdin: {
      contents: `import flamegraph from 'd3-flame-graph'; import { select } from 'd3-selection';
        window.renderD3 = (data, minFrameSize) => { const c = flamegraph().width(1360).cellHeight(18).transitionDuration(0).minFrameSize(minFrameSize).sort(false);
          const t0 = performance.now(); select('#chart').datum(data).call(c); const sync = performance.now() - t0;
          window.d3chart = c; return new Promise((r) => requestAnimationFrame(() => r({ sync, frame: performance.now() - t0, g: document.querySelectorAll('#chart g').length }))); };
        window.zoomD3 = (name) => { const c = window.d3chart; let node = null; select('#chart').selectAll('g').each(function (d) { if (!node && d && d.data && d.data.name === name) node = d; });
          const t0 = performance.now(); c.zoomTo(node); return new Promise((r) => requestAnimationFrame(() => r(performance.now() - t0))); };`,
      resolveDir: ROOT,
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    write: false,
    loader: { '.css': 'empty' },
    logLevel: 'silent',
  });
  return { js: out.outputFiles[0]!.text, css: readFileSync(cssPath, 'utf8') };
}

function countNodes(n: { children: unknown[] }): number {
  let c = 1;
  for (const ch of n.children as { children: unknown[] }[]) c += countNodes(ch);
  return c;
}

async function main(): Promise<void> {
  const H = await startHarness();
  try {
    const id = await uploadBytes(H.base, sampleBytes('largeheap/heap.pb.gz'), 'largeheap/heap.pb.gz');
    const url = `${H.base}/p/${id}`;
    console.log(
      `pprof-lens web UI, large heap profile (${sampleBytes('largeheap/heap.pb.gz').length} bytes), ${RUNS} runs, viewport 1400x900`,
    );
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const ctx = await H.newContext();
      const page = await ctx.newPage();
      runs.push(await appRun(page, url));
      await ctx.close();
    }
    console.log(`  first flame graph (navigation start -> painted): ${fmt(runs.map((r) => r.first))}; frames painted ${runs[0]!.frames}`);
    console.log(`  zoom click -> redrawn:                           ${fmt(runs.map((r) => r.zoom))}`);
    console.log(`  zoom click -> pruned subtree fetched + redrawn:  ${fmt(runs.map((r) => r.zoomDetail))}`);
    console.log(`  second-level zoom -> redrawn:                    ${fmt(runs.map((r) => r.deepZoom))}`);
    console.log(`  search typed -> highlighted + share shown:       ${fmt(runs.map((r) => r.search))} (includes 150 ms debounce)`);

    // A 12,000-row top table scrolled top to bottom in 20 steps: one step = scroll + next frame.
    const manyId = await uploadBytes(H.base, manyFunctionsProfile(12_000), 'many-functions.pb.gz');
    const steps: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const ctx = await H.newContext();
      const page = await ctx.newPage();
      await page.goto(`${H.base}/p/${manyId}?v=top`);
      await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row', { timeout: 30_000 });
      steps.push(
        ...(await page.evaluate(async () => {
          const s = document.querySelector('.top-scroll')!;
          const times: number[] = [];
          for (let k = 1; k <= 20; k++) {
            const t0 = performance.now();
            s.scrollTop = (s.scrollHeight * k) / 20;
            s.dispatchEvent(new Event('scroll'));
            await new Promise((r) => requestAnimationFrame(() => r(null)));
            times.push(performance.now() - t0);
          }
          return times;
        })),
      );
      await ctx.close();
    }
    console.log(`  12,000-row top table, scroll step -> next frame:  ${fmt(steps)} (${steps.length} steps)`);

    // d3-flame-graph on the same data.
    const bundle = await d3FlameBundle();
    for (const [label, minFraction] of [
      ['server-pruned like the UI (minFraction 0.00037)', 0.00037],
      ['less pruned (minFraction 0.00002)', 0.00002],
      ['unpruned (minFraction 0)', 0],
    ] as const) {
      const t0 = Date.now();
      const res = await fetch(`${url.replace('/p/', '/api/profiles/')}/flamegraph?granularity=filefunctions&minFraction=${minFraction}`);
      const fg = (await res.json()) as { root: { children: unknown[] } };
      const fetchMs = Date.now() - t0;
      const nodes = countNodes(fg.root);
      for (const mfs of [0, 2]) {
        if (nodes > 60_000 && mfs === 0) {
          console.log(`  d3-flame-graph, ${label}: ${nodes} nodes, minFrameSize 0: skipped (libraries.md: 100k nodes take 8.5 s)`);
          continue;
        }
        const ctx = await H.newContext();
        const page = await ctx.newPage();
        await page.setContent('<!doctype html><div id="chart"></div>');
        await page.addStyleTag({ content: bundle.css });
        await page.addScriptTag({ content: bundle.js });
        const r = (await page.evaluate(
          ([d, m]) =>
            (window as unknown as { renderD3(d: unknown, m: number): Promise<{ sync: number; frame: number; g: number }> }).renderD3(
              d,
              m as number,
            ),
          [fg.root, mfs] as const,
        )) as { sync: number; frame: number; g: number };
        const zoom = (await page.evaluate(() =>
          (window as unknown as { zoomD3(n: string): Promise<number> }).zoomD3('main.f12'),
        )) as number;
        console.log(
          `  d3-flame-graph, ${label}: ${nodes} nodes (fetch ${fetchMs} ms), minFrameSize ${mfs}: render ${r.frame.toFixed(0)} ms to first frame (${r.g} <g>), zoom ${zoom.toFixed(0)} ms`,
        );
        await ctx.close();
      }
    }
  } finally {
    await H.close();
  }
}

await main();
