// The Labels panel, the allocation-size panel and the Goroutines tab in headless Chromium
// against the real server and bundle: label charts equal the tags API, clicks put
// -tagfocus/-tagignore/-tagroot in the URL and the flame graph follows, the size histogram
// and table, and a pasted goroutine dump grouped, filtered and compared.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TagsReport } from '../../contract/views.js';
import { ROOT, sampleBytes, SHOTS, startHarness, uploadBytes, type Harness } from './web-harness.js';

let H: Harness;
const ids: Record<string, string> = {};
const DUMP = readFileSync(join(ROOT, 'tests/fixtures/goroutines/go1.23.debug2.txt'), 'utf8');

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const ctx = await H.newContext();
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}
async function apiTags(id: string, q = ''): Promise<TagsReport> {
  return (await (await fetch(`${H.base}/api/profiles/${id}/tags?${q}`)).json()) as TagsReport;
}
const param = (page: Page, k: string): string | null => new URL(page.url()).searchParams.get(k);

beforeAll(async () => {
  H = await startHarness();
  ids.cpu = await uploadBytes(H.base, sampleBytes('labels/cpu.pb.gz'), 'labels/cpu.pb.gz');
  ids.heap = await uploadBytes(H.base, sampleBytes('growslice/allocs.pb.gz'), 'growslice/allocs.pb.gz');
  ids.before = await uploadBytes(
    H.base,
    Buffer.from(
      DUMP.split('\n\n')
        .filter((b, i) => !(b.includes('main.leakySend') && i % 2 === 0))
        .join('\n\n'),
    ),
    'before.txt',
  );
}, 180_000);

afterAll(async () => {
  await H?.close();
});

describe('Labels panel', () => {
  it('draws one chart per key equal to the tags API; click = tagfocus, shift-click = tagignore, root groups the flame graph', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${H.base}/p/${ids.cpu}?panel=labels`);
    await page.waitForSelector('.labels-key[data-key=handler] .labels-bar');
    const want = await apiTags(ids.cpu);
    const keys = await page.$$eval('.labels-key', (els) => els.map((e) => (e as HTMLElement).dataset.key));
    expect(keys).toEqual(want.keys.map((k) => k.key));
    const bars = await page.$$eval('.labels-key[data-key=handler] .labels-bar', (els) => els.map((e) => (e as HTMLElement).dataset.value));
    expect(bars).toEqual(want.keys.find((k) => k.key === 'handler')!.values.map((v) => v.value));
    await page.screenshot({ path: join(SHOTS, 'labels-panel.png') });

    await page.click('.labels-key[data-key=handler] .labels-bar[data-value=checkout]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tagfocus') === 'handler=^checkout$');
    // the panel re-reads the labels under the new filter: only checkout remains
    await page.waitForFunction(() => document.querySelectorAll('.labels-key[data-key=handler] .labels-bar').length === 1);
    await page.click('.labels-key[data-key=tenant] .labels-bar[data-value=globex]', { modifiers: ['Shift'] });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tagignore') === 'tenant=^globex$');
    const filtered = await apiTags(ids.cpu, 'tagFocus=handler%3D%5Echeckout%24&tagIgnore=tenant%3D%5Eglobex%24');
    await page.waitForFunction(
      (n) => document.querySelectorAll('.labels-key[data-key=tenant] .labels-bar').length === n,
      filtered.keys.find((k) => k.key === 'tenant')!.values.length,
    );
    // remove both chips, then group the flame graph by handler
    for (const f of ['tagFocus', 'tagIgnore']) await page.click(`.labels-active .chip[data-filter=${f}] .chip-x`);
    await page.waitForFunction(
      () => !new URL(location.href).searchParams.get('tagfocus') && !new URL(location.href).searchParams.get('tagignore'),
    );
    await page.click('.labels-key[data-key=handler] button[data-group=tagRoot]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tagroot') === 'handler');
    await page.waitForSelector('.view[data-view=flame][data-ready=true]', { timeout: 15_000 });
    const names = await page.evaluate(() =>
      (window as unknown as { pprofLensDebug: { frames(): { name: string; y: number }[] } }).pprofLensDebug.frames(),
    );
    const rootY = Math.max(...names.filter((f) => f.name !== 'root').map((f) => f.y));
    const roots = names
      .filter((f) => f.y === rootY)
      .map((f) => f.name)
      .sort();
    // samples without the label (runtime, GC) sit under pprof's empty-valued pseudo-frame,
    // which is named by its file, the key
    expect(roots).toEqual(['checkout', 'handler', 'report', 'search']);
    expect(param(page, 'panel')).toBe('labels');
    // the link reproduces the grouping
    const { page: p2 } = await newPage();
    await p2.goto(page.url());
    await p2.waitForSelector('.labels-key[data-key=handler] button[data-group=tagRoot][aria-pressed=true]');
    expect(errors).toEqual([]);
  }, 120_000);
});

describe('Allocation sizes', () => {
  it('shows the bytes histogram and the size table; a bar click focuses that size', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${H.base}/p/${ids.heap}?panel=labels&si=alloc_space`);
    await page.waitForSelector('.labels-key[data-key=bytes] .labels-hist-bar');
    const want = (await apiTags(ids.heap, 'si=alloc_space')).keys.find((k) => k.key === 'bytes')!;
    expect(await page.locator('.labels-key[data-key=bytes] .labels-hist-bar').count()).toBe(want.values.length);
    // bars in size order
    const order = await page.$$eval('.labels-key[data-key=bytes] .labels-hist-bar', (els) => els.map((e) => e.getAttribute('data-value')));
    const bySize = [...want.values].sort((a, b) => a.num! - b.num!).map((v) => v.value);
    expect(order).toEqual(bySize);
    await page.screenshot({ path: join(SHOTS, 'labels-size-histogram.png') });

    await page.goto(`${H.base}/p/${ids.heap}?panel=sizes&si=alloc_space`);
    await page.waitForSelector('.size-table .size-row');
    const rows = await page.$$eval('.size-row', (els) => els.map((e) => (e as HTMLElement).dataset.size));
    expect(rows).toEqual(bySize);
    const large = await page.$$eval('.size-row[data-large=true]', (els) => els.length);
    expect(large).toBe(want.values.filter((v) => v.num! > 32768).length);
    await page.waitForSelector('.size-large-list li');
    expect(await page.locator('a[href="/concepts/size-classes"]').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'allocation-sizes.png') });
    await page.click(`.size-row[data-size="${bySize[bySize.length - 1]}"]`);
    await page.waitForFunction(() => /^bytes=\d+bytes(:\d+bytes)?$/.test(new URL(location.href).searchParams.get('tagfocus') ?? ''));
    const expr = param(page, 'tagfocus')!;
    const focused = await apiTags(ids.heap, `si=alloc_space&tagFocus=${encodeURIComponent(expr)}`);
    expect(focused.keys[0].values.map((v) => v.value)).toEqual([bySize[bySize.length - 1]]);
    expect(errors).toEqual([]);
  }, 120_000);
});

describe('Goroutines tab', () => {
  it('a pasted dump opens grouped; state, wait and comparison filters go through the URL', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${H.base}/`);
    await page.fill('.goroutine-paste', DUMP);
    await page.click('.goroutine-paste-form button[type=submit]');
    await page.waitForSelector('.goroutine-group');
    expect(param(page, 'v')).toBe('goroutines');
    const first = await page.$eval('.goroutine-group', (e) => ({
      state: (e as HTMLElement).dataset.state,
      count: (e as HTMLElement).dataset.count,
    }));
    expect(first).toEqual({ state: 'chan send', count: '20' });
    expect(await page.locator('.goroutine-group').count()).toBe(14);
    await page.screenshot({ path: join(SHOTS, 'goroutines.png') });
    // expand the biggest group's stack
    await page.click('.goroutine-group button[aria-expanded]');
    await page.waitForSelector('.goroutine-stack:not([hidden]) .created-by');
    // state chip
    await page.click('.goroutines-states .chip[data-state="chan receive"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('gstate') === 'chan receive');
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLElement>('.goroutine-group')].every((e) => e.dataset.state === 'chan receive'),
    );
    // minimum wait above what the dump holds: nothing left
    await page.fill('.goroutines-filters input[name=minWait]', '500');
    await page.click('.goroutines-filters button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('.goroutine-group').length === 0);
    expect(await page.textContent('.goroutines-summary')).toMatch(/^0 of 58 goroutines/);
    // compare with the dump that had half the chan-send goroutines
    await page.fill('.goroutines-filters input[name=minWait]', '');
    await page.selectOption('.goroutines-filters select[name=state]', '');
    await page.selectOption('.goroutines-filters select[name=base]', ids.before);
    await page.waitForSelector('.goroutines-delta tbody tr');
    const delta = await page.$eval('.goroutines-delta tbody tr', (e) => (e as HTMLElement).dataset.delta);
    expect(Number(delta)).toBe(10);
    expect(param(page, 'gbase')).toBe(ids.before);
    await page.screenshot({ path: join(SHOTS, 'goroutines-compare.png') });
    // a labelled dump (Go 1.27 headers): a label chip keeps only its goroutines
    const labelled = await uploadBytes(H.base, readFileSync(join(ROOT, 'tests/fixtures/goroutines/go1.27-style.labels.txt')), 'labels.txt');
    await page.goto(`${H.base}/p/${labelled}?v=goroutines`);
    await page.click('.goroutine-labels .chip[data-label="tenant=acme"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('glabel') === 'tenant=acme');
    await page.waitForFunction(() => /^2 of 6 goroutines/.test(document.querySelector('.goroutines-summary')?.textContent ?? ''));
    await page.goBack();
    await page.waitForFunction(() => /^6 of 6 goroutines/.test(document.querySelector('.goroutines-summary')?.textContent ?? ''));
    await page.goto(`${H.base}/p/${ids.before}?v=goroutines`);
    await page.waitForSelector('.goroutine-group');
    // the flame graph tab draws the same goroutines
    await page.click('.tab[data-tab=flame]');
    await page.waitForSelector('.view[data-view=flame][data-ready=true]', { timeout: 15_000 });
    const frames = await page.evaluate(() =>
      (window as unknown as { pprofLensDebug: { frames(): { name: string }[] } }).pprofLensDebug.frames(),
    );
    expect(frames.some((f) => f.name === 'main.leakySend')).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});
