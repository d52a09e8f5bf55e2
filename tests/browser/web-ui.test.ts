// The web UI in real headless Chromium against the real server and the built bundle:
// upload, flame graph (draw, tooltip, zoom, search, orientation), sample types, top
// table vs the API, source view, share links and back/forward, a hostile profile,
// theme, keyboard shortcuts, and the large heap profile's timings.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentage, scaledLabel } from '../../contract/format.js';
import { generateProfile } from '../../scripts/gen-profile.js';
import type { TopReport } from '../../contract/views.js';
import { hostileProfile, manyFunctionsProfile, ROOT, sampleBytes, SHOTS, startHarness, uploadBytes, type Harness } from './web-harness.js';

interface Frame {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  pruned: boolean;
}
interface Timings {
  firstDrawAt: number;
  zoomRedrawMs: number;
  zoomDetailMs: number;
  fetchMs: number;
  drawMs: number;
  frames: number;
}

let H: Harness;
const ids: Record<string, string> = {};

async function frames(page: Page): Promise<Frame[]> {
  return page.evaluate(() => (window as unknown as { pprofLensDebug: { frames(): Frame[] } }).pprofLensDebug.frames());
}
async function timings(page: Page): Promise<Timings> {
  return page.evaluate(() => ({ ...(window as unknown as { pprofLensDebug: { timings: Timings } }).pprofLensDebug.timings }));
}
async function flameReady(page: Page): Promise<void> {
  await page.waitForSelector('.view[data-view=flame][data-ready=true]', { timeout: 15_000 });
}
/** Click the centre of a painted frame with the real mouse. */
async function clickFrame(page: Page, f: Frame): Promise<void> {
  const box = (await page.locator('.flame-canvas').boundingBox())!;
  await page.mouse.click(box.x + f.x + Math.min(f.w / 2, 40), box.y + f.y + f.h / 2);
}
async function pageWithErrors(dark = false): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
  const ctx = await H.newContext({ dark });
  const page = await ctx.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, errors, dialogs };
}
async function apiTop(id: string, q = ''): Promise<TopReport> {
  const res = await fetch(`${H.base}/api/profiles/${id}/top?${q}`);
  return (await res.json()) as TopReport;
}

beforeAll(async () => {
  H = await startHarness();
  ids.cpu = await uploadBytes(H.base, sampleBytes('cpu/cpu.pb.gz'), 'cpu/cpu.pb.gz');
  ids.allocs = await uploadBytes(H.base, sampleBytes('boxing/allocs.pb.gz'), 'boxing/allocs.pb.gz');
  ids.large = await uploadBytes(H.base, sampleBytes('largeheap/heap.pb.gz'), 'largeheap/heap.pb.gz');
  ids.hostile = await uploadBytes(H.base, hostileProfile(), '<img src=x onerror=alert(6)>.pb.gz');
  ids.many = await uploadBytes(H.base, manyFunctionsProfile(12_000), 'many-functions.pb.gz');
}, 120_000);

afterAll(async () => {
  await H?.close();
});

describe('web UI', () => {
  it('uploads through the start page (pick one -> opens it; pick several -> links) and lists stored profiles', async () => {
    const { page, errors } = await pageWithErrors();
    await page.goto(`${H.base}/`);
    await page.waitForSelector('table.profiles tbody tr td.name a');
    const listed = await page.locator('table.profiles td.name a').allTextContents();
    expect(listed).toContain('largeheap/heap.pb.gz');
    await page.screenshot({ path: join(SHOTS, 'web-start.png') });
    // Several at once: stays on the page with a finished progress bar and a link each.
    await page.setInputFiles('#file-input', [join(ROOT, 'samples/sprintf/heap.pb.gz'), join(ROOT, 'samples/concat/heap.pb.gz')]);
    await page.waitForFunction(() => document.querySelectorAll('li.upload.done').length === 2);
    const bars = await page.$$eval('li.upload progress', (els) => els.map((e) => (e as HTMLProgressElement).value));
    expect(bars).toEqual([1, 1]);
    // The list refreshes: the picked files are stored under their file names.
    await page.waitForFunction(
      () => [...document.querySelectorAll('table.profiles td.name a')].filter((a) => a.textContent === 'heap.pb.gz').length === 2,
    );
    await page.screenshot({ path: join(SHOTS, 'web-start-uploaded.png') });
    // One file: goes to its profile page; the id is the content-derived one (the same file
    // under the same name again is the same profile).
    await page.setInputFiles('#file-input', join(ROOT, 'samples/gcpressure/cpu.pb.gz'));
    await page.waitForURL(/\/p\/[a-z0-9]+$/);
    const expectedId = await uploadBytes(H.base, sampleBytes('gcpressure/cpu.pb.gz'), 'cpu.pb.gz');
    expect(new URL(page.url()).pathname).toBe(`/p/${expectedId}`);
    await flameReady(page);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('draws the flame graph, shows a tooltip, zooms on click, resets with Esc, toggles icicle', async () => {
    const { page, errors } = await pageWithErrors();
    await page.goto(`${H.base}/p/${ids.cpu}`);
    await flameReady(page);
    const fs = await frames(page);
    const names = new Set(fs.map((f) => f.name));
    expect(names.has('main.main')).toBe(true);
    expect(names.has('runtime.main')).toBe(true);
    expect(fs.length).toBeGreaterThan(10);
    // Hover: tooltip with the name, a human value and the share of the total.
    const mm = fs.find((f) => f.name === 'main.main')!;
    const box = (await page.locator('.flame-canvas').boundingBox())!;
    await page.mouse.move(box.x + mm.x + 30, box.y + mm.y + mm.h / 2);
    await expect.poll(() => page.locator('.tooltip').isVisible()).toBe(true);
    const tip = await page.locator('.tooltip').innerText();
    expect(tip).toContain('main.main');
    expect(tip).toMatch(/main\.go/); // the frame's file
    expect(tip).toMatch(/\d(\.\d+)?(s|ms) · \d+(\.\d)?% of total/);
    await page.screenshot({ path: join(SHOTS, 'web-flame-tooltip.png') });
    // Zoom into main.walk (a child of main.main): URL records the path, it fills the width.
    const walk = fs.filter((f) => f.name === 'main.walk').sort((a, b) => b.w - a.w)[0]!;
    await clickFrame(page, walk);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('z')?.includes('main.walk'));
    const z = JSON.parse(new URL(page.url()).searchParams.get('z')!) as string[];
    expect(z).toEqual(['runtime.main', 'main.main', 'main.walk']);
    const zoomed = (await frames(page)).filter((f) => f.name === 'main.walk' && !f.pruned).sort((a, b) => b.w - a.w)[0]!;
    const width = (await page.locator('.flame-canvas').boundingBox())!.width;
    expect(zoomed.x).toBeCloseTo(0, 0);
    expect(zoomed.w).toBeCloseTo(width, 0);
    expect(await page.locator('.crumb.current').innerText()).toBe('main.walk');
    await page.screenshot({ path: join(SHOTS, 'web-flame-zoomed.png') });
    // Back undoes the zoom, forward redoes it.
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('z'));
    expect(await page.locator('.crumb.current').innerText()).toBe('root');
    await page.goForward();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('z'));
    expect(await page.locator('.crumb.current').innerText()).toBe('main.walk');
    // Esc resets the zoom.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('z'));
    // Icicle: root row at the top.
    await page.getByRole('button', { name: /Flame ▴/ }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('icicle') === '1');
    const rootFrame = (await frames(page)).find((f) => f.name === 'root' || (f.y === 0 && f.w > width - 2))!;
    expect(rootFrame.y).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'web-flame-icicle.png') });
    // Right click: pprof's action menu; "Show source" opens the Source tab for that frame.
    const fib = (await frames(page)).filter((f) => f.name === 'main.fib').sort((a, b) => b.w - a.w)[0]!;
    const b2 = (await page.locator('.flame-canvas').boundingBox())!;
    await page.mouse.click(b2.x + fib.x + 20, b2.y + fib.y + fib.h / 2, { button: 'right' });
    await expect.poll(() => page.locator('.menu').isVisible()).toBe(true);
    expect(await page.locator('.menu-title').innerText()).toBe('main.fib');
    await page.screenshot({ path: join(SHOTS, 'web-flame-menu.png') });
    await page.getByRole('menuitem', { name: 'Show source' }).click();
    await page.waitForSelector('.source-view[data-ready=true] .routine');
    expect(new URL(page.url()).searchParams.get('fn')).toBe('^main\\.fib$');
    expect(await page.locator('.routine .fn-name').first().innerText()).toBe('main.fib');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('searches with a regexp, shows the matched share, survives an invalid regexp', async () => {
    const { page, errors } = await pageWithErrors();
    await page.goto(`${H.base}/p/${ids.cpu}`);
    await flameReady(page);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('search'))).toBe(true);
    await page.keyboard.type('main\\.fib');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'main\\.fib');
    const info = await page.locator('.flame-view .match-info').innerText();
    // The matched share equals main.fib's cum share in pprof's top (API), one decimal.
    const top = await apiTop(ids.cpu);
    const fib = top.rows.find((r) => r.name === 'main.fib')!;
    const pct = `${Number(((100 * fib.cum) / top.total).toFixed(1))}%`;
    expect(info).toContain(`${pct} of total`);
    await page.screenshot({ path: join(SHOTS, 'web-flame-search.png') });
    await page.fill('.flame-view input.search', 'b(x');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'b(x');
    expect(await page.locator('.flame-view .match-info').innerText()).toBe('no match');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('switches sample type: URL, header total and flame graph follow the API', async () => {
    const { page, errors } = await pageWithErrors();
    await page.goto(`${H.base}/p/${ids.allocs}`);
    await flameReady(page);
    const options = await page.$$eval('select.si option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options[0]).toBe('alloc_space'); // the default first
    expect(options.slice().sort()).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    await page.selectOption('select.si', 'alloc_objects');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('si') === 'alloc_objects');
    const rep = await apiTop(ids.allocs, 'si=alloc_objects');
    await expect
      .poll(() => page.locator('[data-testid=total]').innerText())
      .toBe(scaledLabel(rep.total, rep.sampleType.unit, rep.displayUnit));
    await flameReady(page);
    await page.screenshot({ path: join(SHOTS, 'web-flame-alloc-objects.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('top table equals the API rows formatted as pprof does; sorts and filters', async () => {
    const { page, errors } = await pageWithErrors();
    await page.goto(`${H.base}/p/${ids.cpu}?v=top`);
    await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
    const rep = await apiTop(ids.cpu);
    const cells = await page.$$eval('.top-body .top-row', (rows) =>
      rows.map((r) => [...r.querySelectorAll('.cell')].map((c) => c.textContent ?? '')),
    );
    expect(cells.length).toBe(rep.rows.length);
    let sum = 0;
    rep.rows.forEach((r, i) => {
      sum += r.flat;
      const want = [
        scaledLabel(r.flat, rep.sampleType.unit, rep.displayUnit),
        percentage(r.flat, rep.total).trim(),
        percentage(sum, rep.total).trim(),
        scaledLabel(r.cum, rep.sampleType.unit, rep.displayUnit),
        percentage(r.cum, rep.total).trim(),
        r.inline ? `${r.name} ${r.inline}` : r.name,
      ];
      expect(cells[i]).toEqual(want);
    });
    await page.screenshot({ path: join(SHOTS, 'web-top.png') });
    // Sort by cum.
    await page.getByRole('columnheader', { name: 'cum', exact: true }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'cum');
    // The sorted rows come from the server (a page at a time); the list is ready when they are here.
    await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
    const firstCum = await page.locator('.top-body .top-row >> nth=0 >> .cell >> nth=5').innerText();
    const maxCum = [...rep.rows].sort((a, b) => b.cum - a.cum)[0]!;
    expect(firstCum).toBe(maxCum.name);
    // Filter.
    await page.fill('.top-view input.search', 'fib|walk');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tf') === 'fib|walk');
    await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
    const names = await page.$$eval('.top-body .top-row .cell.name', (els) => els.map((e) => e.textContent));
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /fib|walk/.test(n ?? ''))).toBe(true);
    // Row click offers actions; "Show source" opens the Source tab for it.
    await page.locator('.top-body .top-row', { hasText: 'main.fib' }).first().click();
    await page.getByRole('button', { name: 'Show source' }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('v') === 'source');
    await page.waitForSelector('.source-view[data-ready=true] .routine');
    expect(await page.locator('.routine .fn-name').first().innerText()).toBe('main.fib');
    await page.screenshot({ path: join(SHOTS, 'web-source.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a 12,000-row top table stays virtualised and scrolls to its last row', async () => {
    const { page, errors } = await pageWithErrors();
    await page.goto(`${H.base}/p/${ids.many}?v=top`);
    await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row', { timeout: 20_000 });
    const rep = await apiTop(ids.many);
    expect(rep.rows.length).toBeGreaterThanOrEqual(12_000);
    expect(await page.locator('.top-view .match-info').innerText()).toBe(`${rep.rows.length} rows`);
    expect(await page.locator('.top-body .top-row').count()).toBeLessThan(100);
    // Scroll through the whole table in steps (how long a step takes: bench/browser.bench.ts);
    // the rendered rows stay few at every step.
    const counts = await page.evaluate(async () => {
      const s = document.querySelector('.top-scroll')!;
      const n: number[] = [];
      for (let i = 1; i <= 20; i++) {
        s.scrollTop = (s.scrollHeight * i) / 20;
        s.dispatchEvent(new Event('scroll'));
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        n.push(document.querySelectorAll('.top-body .top-row').length);
      }
      return n;
    });
    for (const c of counts) expect(c).toBeLessThan(100);
    // The last rows' page comes once scrolled into view.
    await page.waitForSelector('.top-body .top-row:not(.pending)');
    await page.waitForFunction(() => !document.querySelector('.top-body .top-row.pending'));
    const lastName = await page.locator('.top-body .top-row .cell.name').last().innerText();
    expect(lastName).toBe(rep.rows[rep.rows.length - 1]!.name);
    // Filtering 12k rows.
    await page.fill('.top-view input.search', 'Func1199');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tf') === 'Func1199');
    await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
    const filtered = await page.$$eval('.top-body .cell.name', (els) => els.map((e) => e.textContent));
    expect(filtered.length).toBe(rep.rows.filter((r) => /Func1199/.test(r.name)).length);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('copy link round trip restores the same view in a fresh browser context', async () => {
    const { page, errors } = await pageWithErrors();
    await page.goto(`${H.base}/p/${ids.cpu}`);
    await flameReady(page);
    const walk = (await frames(page)).filter((f) => f.name === 'main.walk').sort((a, b) => b.w - a.w)[0]!;
    await clickFrame(page, walk);
    await page.waitForFunction(() => new URL(location.href).searchParams.has('z'));
    await page.fill('.flame-view input.search', 'walk');
    await page.getByRole('button', { name: /Flame ▴/ }).click();
    await page.waitForFunction(
      () => new URL(location.href).searchParams.get('q') === 'walk' && new URL(location.href).searchParams.get('icicle') === '1',
    );
    await page.getByRole('button', { name: 'Copy link' }).click();
    const copied = await page.locator('button[data-copied]').getAttribute('data-copied');
    expect(copied).toBe(page.url());
    const before = await page.locator('.crumbs').innerText();
    const fresh = await pageWithErrors();
    await fresh.page.goto(copied!);
    await flameReady(fresh.page);
    await fresh.page.waitForFunction(() => document.querySelector('.crumb.current')?.textContent === 'main.walk');
    expect(await fresh.page.locator('.crumbs').innerText()).toBe(before);
    expect(await fresh.page.inputValue('.flame-view input.search')).toBe('walk');
    expect(await fresh.page.getByRole('button', { name: /Icicle/ }).getAttribute('aria-pressed')).toBe('true');
    expect((await frames(fresh.page)).length).toBe((await frames(page)).length);
    // Top view with sort + filter also round-trips.
    await page.getByRole('tab', { name: 'Top' }).click();
    await page.getByRole('columnheader', { name: 'cum', exact: true }).click();
    const topUrl = page.url();
    await fresh.page.goto(topUrl);
    await fresh.page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
    expect(await fresh.page.locator('.tab.active').innerText()).toBe('Top');
    expect(await fresh.page.locator('.top-head .sort.active').innerText()).toMatch(/^cum/);
    expect(errors).toEqual([]);
    expect(fresh.errors).toEqual([]);
    await fresh.page.context().close();
    await page.context().close();
  });

  it('renders hostile profile strings as text and runs nothing', async () => {
    const { page, errors, dialogs } = await pageWithErrors();
    await page.goto(`${H.base}/`);
    await page.waitForSelector('table.profiles td.name a');
    expect(await page.locator('table.profiles td.name a', { hasText: '<img src=x onerror=alert(6)>.pb.gz' }).count()).toBe(1);
    await page.goto(`${H.base}/p/${ids.hostile}`);
    await flameReady(page);
    expect(await page.locator('.profile-name').innerText()).toBe('<img src=x onerror=alert(6)>.pb.gz');
    expect(await page.locator('.comments').innerText()).toContain('<img src=y onerror=alert(5)> comment');
    const f = (await frames(page)).find((x) => x.name.includes('<img'))!;
    expect(f.name).toBe('main.<img src=x onerror=alert(1)>');
    const box = (await page.locator('.flame-canvas').boundingBox())!;
    await page.mouse.move(box.x + f.x + 10, box.y + f.y + 5);
    await expect.poll(() => page.locator('.tooltip .tt-name').innerText()).toBe('main.<img src=x onerror=alert(1)>');
    expect(await page.locator('.tooltip .tt-file').first().innerText()).toBe('"><svg onload=alert(3)>.go');
    await page.screenshot({ path: join(SHOTS, 'web-xss-flame.png') });
    await page.getByRole('tab', { name: 'Top' }).click();
    await page.waitForSelector('.top-body .top-row');
    const names = await page.$$eval('.top-body .cell.name', (els) => els.map((e) => e.textContent));
    expect(names).toContain('main.<script>alert(2)</script>');
    await page.locator('.top-body .top-row', { hasText: '<script>' }).click();
    await page.getByRole('button', { name: 'Show source' }).click();
    await page.waitForSelector('.source-view[data-ready=true]');
    // No source for this profile: the page says which paths were tried and how to supply sources.
    expect(await page.locator('.missing').innerText()).toMatch(/Source not found[\s\S]*Paths tried/);
    expect(await page.locator('.missing li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'web-xss-top-source.png') });
    // Nothing was parsed as markup: no injected elements, no dialogs, no errors.
    expect(await page.locator('#app img, #app script, #app svg:not(.d3-flame-graph), #app i, #app b:has-text("key")').count()).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('[onerror], [onload], [onmouseover]').length)).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('follows the system theme and toggles; shortcuts dialog opens with ? and closes with Esc', async () => {
    const dark = await pageWithErrors(true);
    await dark.page.goto(`${H.base}/p/${ids.cpu}`);
    await flameReady(dark.page);
    const bg = () => dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await bg()).toBe('rgb(21, 23, 27)');
    await dark.page.screenshot({ path: join(SHOTS, 'web-flame-dark.png') });
    await dark.page.locator('.theme-toggle').click();
    expect(await dark.page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await bg()).toBe('rgb(247, 247, 245)');
    // The choice is remembered.
    await dark.page.reload();
    await flameReady(dark.page);
    expect(await bg()).toBe('rgb(247, 247, 245)');
    await dark.page.locator('.theme-toggle').click();
    expect(await bg()).toBe('rgb(21, 23, 27)');
    await dark.page.getByRole('tab', { name: 'Top' }).click();
    await dark.page.waitForSelector('.top-body .top-row');
    await dark.page.screenshot({ path: join(SHOTS, 'web-top-dark.png') });
    // Shortcuts.
    await dark.page.keyboard.press('?');
    await expect.poll(() => dark.page.locator('dialog.shortcuts-dialog').isVisible()).toBe(true);
    await dark.page.screenshot({ path: join(SHOTS, 'web-shortcuts.png') });
    await dark.page.keyboard.press('Escape');
    await expect.poll(() => dark.page.locator('dialog.shortcuts-dialog').isVisible()).toBe(false);
    await dark.page.keyboard.press('/');
    expect(await dark.page.evaluate(() => document.activeElement?.closest('.top-view') !== null)).toBe(true);
    expect(dark.errors).toEqual([]);
    await dark.page.context().close();
  });

  it('a 12,000-frame stack draws and zooms (the redraw marks and copies the tree with loops)', async () => {
    const { page, errors } = await pageWithErrors();
    const deep = generateProfile({ samples: 1, shape: 'worst', minDepth: 12_000, maxDepth: 12_000, functions: 500, seed: 3 });
    const id = await uploadBytes(H.base, deep, 'deep.pb.gz');
    await page.goto(`${H.base}/p/${id}`);
    // 12,000 SVG rows take a while to lay out on a loaded machine.
    await page.waitForSelector('.view[data-view=flame][data-ready=true]', { timeout: 120_000 });
    expect((await frames(page)).length).toBeGreaterThan(1000);
    // Click a frame far down the stack (scrolled into view first), then reset with Esc.
    const target = await page.evaluate(() => {
      const gs = [...document.querySelectorAll<SVGGElement>('.flame-canvas g.frame')].filter((g) => g.getBoundingClientRect().width > 0);
      const g = gs[Math.floor(gs.length / 2)]!;
      g.scrollIntoView({ block: 'center' });
      const r = g.querySelector('rect')!.getBoundingClientRect();
      return { name: g.getAttribute('name') ?? '', x: r.left + Math.min(r.width / 2, 40), y: r.top + r.height / 2 };
    });
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction(() => new URL(location.href).searchParams.has('z'), null, { timeout: 60_000 });
    expect(await page.locator('.crumb.current').innerText()).toBe(target.name);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('z'), null, { timeout: 60_000 });
    expect(errors).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('large heap profile: flame graph drawn on opening the link, zoom redraws, pruned frames reachable', async () => {
    const { page, errors } = await pageWithErrors();
    // Warm the server's decoded-profile cache the way a previous visit would; the
    // first open after upload is measured separately below.
    const t0 = Date.now();
    await page.goto(`${H.base}/p/${ids.large}`);
    await flameReady(page);
    const cold = await timings(page);
    const wallCold = Date.now() - t0;
    const p2 = await pageWithErrors();
    await p2.page.goto(`${H.base}/p/${ids.large}`);
    await flameReady(p2.page);
    const warm = await timings(p2.page);
    await p2.page.context().close();
    // How soon: bench/browser.bench.ts.
    expect(cold.firstDrawAt).toBeGreaterThan(0);
    expect(cold.frames).toBeGreaterThan(0);
    // Zoom into the widest main.step frame: redraw at once, then load its pruned detail.
    const fs = await frames(page);
    const target = fs.filter((f) => f.name.startsWith('main.f') && !f.pruned).sort((a, b) => b.w - a.w)[0]!;
    const framesBefore = fs.length;
    await clickFrame(page, target);
    await page.waitForFunction((n) => document.querySelector('.crumb.current')?.textContent === n, target.name);
    await page.waitForFunction(() => document.querySelector('.flame-status')?.textContent === '');
    const z = await timings(page);
    // Deep frames pruned at the top level are now drawn (fetched with `path`).
    const after = await frames(page);
    expect(after.length).toBeGreaterThan(0);
    const maxDepthBefore = Math.max(...fs.map((f) => f.y));
    await page.screenshot({ path: join(SHOTS, 'web-large-zoomed.png') });
    // The zoom fetched the frame's subtree at full detail (API `path`), drawn below it.
    const subtreeFetches = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => decodeURIComponent(e.name))
        .filter((n) => n.includes('/flamegraph?') && n.includes('path=')),
    );
    expect(subtreeFetches.some((n) => n.includes(`"${target.name}"]`))).toBe(true);
    // Zoom further into the widest child now on screen.
    const deep = after
      .filter(
        (f) =>
          !f.pruned &&
          f.y !== undefined &&
          f.w > 4 &&
          f.name !== target.name &&
          !['root', 'runtime.main', 'main.main'].includes(f.name) &&
          f.w < after.find((g) => g.name === target.name)!.w - 2,
      )
      .sort((a, b) => b.w - a.w)[0];
    let deepMs = -1;
    if (deep) {
      await clickFrame(page, deep);
      await page.waitForFunction((n) => document.querySelector('.crumb.current')?.textContent === n, deep.name);
      deepMs = (await timings(page)).zoomRedrawMs;
    }
    // Search on the large profile.
    const s0 = Date.now();
    await page.fill('.flame-view input.search', 'main\\.f1');
    await page.waitForFunction(() => /of total|no match/.test(document.querySelector('.flame-view .match-info')?.textContent ?? ''));
    const searchMs = Date.now() - s0;
    const result = {
      firstDrawColdMs: Math.round(cold.firstDrawAt),
      firstDrawWarmMs: Math.round(warm.firstDrawAt),
      openToDrawnWallMs: wallCold,
      flameFetchMs: Math.round(cold.fetchMs),
      framesDrawn: cold.frames,
      zoomRedrawMs: Number(z.zoomRedrawMs.toFixed(1)),
      zoomWithDetailMs: Math.round(z.zoomDetailMs),
      deepZoomRedrawMs: Number(deepMs.toFixed(1)),
      framesBeforeZoom: framesBefore,
      framesAfterZoom: after.length,
      maxRowYBefore: maxDepthBefore,
      searchMs,
    };
    writeFileSync(join(SHOTS, 'web-large-timings.json'), JSON.stringify(result, null, 2));
    console.log('large heap timings', result);
    expect(errors).toEqual([]);
    expect(p2.errors).toEqual([]);
    await page.context().close();
  });
});
