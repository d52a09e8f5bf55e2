// Exports in real headless Chromium: the speedscope file opened by speedscope's own npm
// package (offline, from file://) with the same total; the offline HTML snapshot opened
// from file:// with every network request blocked; the flame graph SVG and PNG saved from
// the profile page as shown, the SVG parsed and naming the top frames.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlameGraph, TopReport } from '../../contract/views.js';
import { ROOT, sampleBytes, startHarness, uploadBytes, type Harness } from './web-harness.js';

let H: Harness;
let cpuId = '';
const tmp = mkdtempSync(join(tmpdir(), 'pprof-lens-export-ui-'));

beforeAll(async () => {
  H = await startHarness();
  cpuId = await uploadBytes(H.base, sampleBytes('cpu/cpu.pb.gz'), 'cpu.pb.gz');
}, 180_000);
afterAll(async () => {
  await H?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A context that lets only file:// through and records every other request it blocked. */
async function offlineContext(): Promise<{ ctx: BrowserContext; blocked: string[] }> {
  const ctx = await H.browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  const blocked: string[] = [];
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  return { ctx, blocked };
}

async function download(path: string): Promise<Buffer> {
  const res = await fetch(`${H.base}${path}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function flameTotal(q: string): Promise<number> {
  const fg = (await (await fetch(`${H.base}/api/profiles/${cpuId}/flamegraph?${q}`)).json()) as FlameGraph;
  return fg.root.value;
}

describe('speedscope export', () => {
  for (const q of ['', 'focus=main%5C.walk']) {
    it(`speedscope's own app opens it with the same total (${q || 'no filters'})`, { timeout: 120_000 }, async () => {
      const file = await download(`/api/profiles/${cpuId}/export/speedscope?${q}`);
      const want = await flameTotal(q);
      expect(want).toBeGreaterThan(0);
      // speedscope's CLI hands a profile to its page this way (node_modules/speedscope/bin/cli.mjs).
      const loader = join(tmp, `load-${q.length}.js`);
      writeFileSync(
        loader,
        `speedscope.loadFileFromBase64(${JSON.stringify('cpu.speedscope.json')}, ${JSON.stringify(file.toString('base64'))})`,
      );
      const { ctx, blocked } = await offlineContext();
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${join(ROOT, 'node_modules/speedscope/dist/release/index.html')}#localProfilePath=${loader}`);
      await page.getByText('Sandwich').click();
      // The sandwich table lists every function with its total; the widest is 100% when one root.
      await page.waitForSelector('text=Symbol Name');
      // speedscope's own export: the total it computed from what it imported.
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByText('Export').click()]);
      const again = JSON.parse(readFileSync((await dl.path())!, 'utf8')) as {
        profiles: { endValue: number; startValue: number; unit: string }[];
      };
      expect(again.profiles).toHaveLength(1);
      expect(again.profiles[0].endValue - again.profiles[0].startValue).toBe(want);
      expect(again.profiles[0].unit).toBe('nanoseconds');
      expect(errors).toEqual([]);
      expect(blocked).toEqual([]);
      await ctx.close();
    });
  }
});

describe('offline HTML snapshot', () => {
  it('opens from file:// with the network blocked: flame graph, top table, zoom and search', { timeout: 120_000 }, async () => {
    const top = (await (await fetch(`${H.base}/api/profiles/${cpuId}/top?n=3`)).json()) as TopReport;
    const html = await download(`/api/profiles/${cpuId}/export/html?search=${encodeURIComponent('main\\.fib')}&theme=dark`);
    const path = join(tmp, 'cpu.snapshot.html');
    writeFileSync(path, html);
    const { ctx, blocked } = await offlineContext();
    const page = await ctx.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(`file://${path}`);
    await page.waitForSelector('#flame svg .frame');
    const names = await page.$$eval('#flame svg .frame text', (ts) => ts.map((t) => t.textContent));
    for (const row of top.rows) expect(names).toContain(row.function);
    expect(await page.$$eval('#top tbody tr', (rs) => rs.length)).toBeGreaterThan(3);
    expect(await page.textContent('#top tbody tr td:last-child')).toContain(top.rows[0].name);
    // The exported search is applied: matching frames highlighted, matched share shown.
    expect(await page.textContent('#info')).toMatch(/matched \d+\.\d\d% of the total/);
    expect(
      await page.$$eval('#flame svg .frame rect', (rs) => rs.filter((r) => r.getAttribute('fill') === '#c2185b').length),
    ).toBeGreaterThan(0);
    // Click to zoom into main.walk, Esc to reset.
    const before = await page.$$eval('#flame svg .frame', (fs) => fs.length);
    await page.locator('#flame svg .frame', { hasText: 'main.walk' }).first().click();
    await page.waitForFunction(() => document.getElementById('crumbs')!.textContent!.includes('main.walk'));
    expect(await page.$$eval('#flame svg .frame', (fs) => fs.length)).toBeLessThan(before);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.getElementById('crumbs')!.textContent === '');
    // Typing a search highlights anew.
    await page.fill('#search', 'main\\.primes');
    await page.waitForFunction(() => /matched/.test(document.getElementById('info')!.textContent!));
    expect(problems).toEqual([]);
    expect(blocked).toEqual([]);
    // Its policy: nothing but its own hashed script and style.
    expect(html.toString()).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;|default-src 'none'/);
    await ctx.close();
  });
});

describe('flame graph SVG and PNG from the profile page', () => {
  async function openFlame(page: Page, query: string): Promise<void> {
    await page.goto(`${H.base}/p/${cpuId}${query}`);
    await page.waitForSelector('.view[data-view=flame][data-ready=true]', { timeout: 30_000 });
  }

  it(
    'saves what is shown: title line, zoomed frames, search highlight; the SVG parses and names the top frames',
    { timeout: 120_000 },
    async () => {
      const ctx = await H.browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 }, colorScheme: 'dark' });
      const page = await ctx.newPage();
      await openFlame(page, '?q=main%5C.fib');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-svg]')]);
      expect(dl.suggestedFilename()).toBe('cpu.flame.svg');
      const svg = readFileSync((await dl.path())!, 'utf8');
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        const err = doc.querySelector('parsererror');
        return {
          error: err ? err.textContent : null,
          title: doc.querySelector('svg > text')?.textContent ?? '',
          labels: [...doc.querySelectorAll('svg svg text')].map((t) => t.textContent ?? ''),
          fills: [...doc.querySelectorAll('svg svg rect')].map((r) => r.getAttribute('fill')),
          background: doc.querySelector('svg > rect')?.getAttribute('fill'),
        };
      }, svg);
      expect(parsed.error).toBeNull();
      expect(parsed.title).toBe('cpu.pb.gz · cpu · search: main\\.fib');
      const top = (await (await fetch(`${H.base}/api/profiles/${cpuId}/top?n=3`)).json()) as TopReport;
      for (const row of top.rows) expect(parsed.labels).toContain(row.function);
      // Dark theme and the search highlight, as on screen.
      expect(parsed.background).toBe('#1e1e1e');
      expect(parsed.fills).toContain('#c2185b');

      // Zoomed: only the zoomed frame's subtree (and its faded ancestors) is drawn.
      await openFlame(page, `?z=${encodeURIComponent(JSON.stringify(['runtime.main', 'main.main', 'main.walk']))}`);
      const frames = await page.evaluate(() =>
        (window as unknown as { pprofLensDebug: { frames(): { name: string }[] } }).pprofLensDebug.frames().map((f) => f.name),
      );
      const [zdl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-svg]')]);
      const zsvg = readFileSync((await zdl.path())!, 'utf8');
      const zlabels = await page.evaluate(
        (text) => [...new DOMParser().parseFromString(text, 'image/svg+xml').querySelectorAll('svg svg title')].map((t) => t.textContent),
        zsvg,
      );
      expect(zlabels.sort()).toEqual(frames.sort());
      expect(zsvg).not.toContain('main.primes');

      // The API draws the same frames for the same view and width (no browser needed).
      const chartWidth = Math.round(await page.evaluate(() => document.querySelector('.flame-chart svg')!.getBoundingClientRect().width));
      const api = (
        await download(
          `/api/profiles/${cpuId}/export/svg?zoom=${encodeURIComponent(JSON.stringify(['runtime.main', 'main.main', 'main.walk']))}&width=${chartWidth}`,
        )
      ).toString();
      const apiParsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          title: doc.querySelector('svg > text')?.textContent,
          labels: [...doc.querySelectorAll('svg svg text')].map((t) => t.textContent),
        };
      }, api);
      expect(apiParsed.error).toBeNull();
      expect(apiParsed.title).toBe('cpu.pb.gz · cpu · zoom: main.walk');
      const shownLabels = await page.evaluate(
        (text) => [...new DOMParser().parseFromString(text, 'image/svg+xml').querySelectorAll('svg svg text')].map((t) => t.textContent),
        zsvg,
      );
      expect(apiParsed.labels.sort()).toEqual(shownLabels.sort());

      const [pdl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-png]')]);
      expect(pdl.suggestedFilename()).toBe('cpu.flame.png');
      const png = readFileSync((await pdl.path())!);
      expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
      // IHDR width: the chart's width (at least) times the device pixel ratio.
      expect(png.readUInt32BE(16)).toBeGreaterThan(400);
      await ctx.close();
    },
  );
});
