// Peek, Sandwich and Call graph tabs in real headless Chromium against the real server:
// each renders what the API answers (under the app's CSP: Graphviz is WebAssembly), a
// click on a caller moves the sandwich, a node click focuses the graph, and the state
// survives a copied link.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallGraph, PeekReport, Sandwich } from '../../contract/views.js';
import { sampleBytes, startHarness, uploadBytes, type Harness } from './web-harness.js';

let H: Harness;
let id = '';

beforeAll(async () => {
  H = await startHarness();
  id = await uploadBytes(H.base, sampleBytes('cpu/cpu.pb.gz'), 'cpu.pb.gz');
}, 120_000);
afterAll(async () => {
  await H?.close();
});

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${H.base}/api/profiles/${id}/${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function open(query: string): Promise<{ page: Page; errors: string[] }> {
  const ctx = await H.newContext();
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${H.base}/p/${id}?${query}`);
  return { page, errors };
}

const param = (page: Page, key: string): string | null => new URL(page.url()).searchParams.get(key);

describe('Peek tab', () => {
  it('shows callers, the function and callees as the API has them', async () => {
    const re = '^main\\.';
    const want = await api<PeekReport>(`peek?re=${encodeURIComponent(re)}`);
    expect(want.entries.length).toBeGreaterThan(0);
    const { page, errors } = await open(`v=peek&pk=${encodeURIComponent(re)}`);
    await page.waitForSelector('.peek-view tbody.peek-entry');
    const names = await page.$$eval('.peek-view tbody.peek-entry', (els) => els.map((e) => (e as HTMLElement).dataset.name));
    expect(names).toEqual(want.entries.map((e) => e.name));
    const first = want.entries[0];
    const callers = await page.$$eval('.peek-view tbody.peek-entry:first-of-type tr.peek-caller td.name button', (els) =>
      els.map((e) => e.textContent),
    );
    expect(callers).toEqual(first.callers.map((c) => c.name));
    const callees = await page.$$eval('.peek-view tbody.peek-entry:first-of-type tr.peek-callee td.name button', (els) =>
      els.map((e) => e.textContent),
    );
    expect(callees).toEqual(first.callees.map((c) => c.name));
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('Sandwich tab', () => {
  it('draws callers above and callees below; a click on a caller moves it; the link restores it', async () => {
    const peek = await api<PeekReport>(`peek?re=${encodeURIComponent('^main\\.')}`);
    // a main function with a caller and a callee
    const entry = peek.entries.find((e) => e.callers.length > 0 && e.callees.length > 0)!;
    expect(entry).toBeTruthy();
    const sw = await api<Sandwich>(`sandwich?fn=${encodeURIComponent(entry.name)}`);
    expect(sw.found).toBe(true);
    const { page, errors } = await open(`v=sandwich&sw=${encodeURIComponent(entry.name)}`);
    await page.waitForSelector(`.sandwich-view[data-fn="${entry.name}"] .sw-callers g.frame`);
    const frameNames = async (half: string): Promise<string[]> =>
      page.$$eval(`.sandwich-view .${half} g.frame`, (els) =>
        els.map((g) => (g as SVGGElement & { __data__?: { data: { name: string } } }).__data__?.data.name ?? ''),
      );
    expect(await frameNames('sw-callers')).toEqual(expect.arrayContaining(sw.callers.children.map((c) => c.name)));
    expect(await frameNames('sw-callees')).toEqual(expect.arrayContaining(sw.callees.children.map((c) => c.name)));
    // click the widest caller
    const caller = sw.callers.children[0].name;
    const frames = page.locator('.sandwich-view .sw-callers g.frame');
    const n = await frames.count();
    let clicked = false;
    for (let i = 0; i < n && !clicked; i++) {
      const name = await frames.nth(i).evaluate((g) => (g as SVGGElement & { __data__?: { data: { name: string } } }).__data__?.data.name);
      if (name === caller) {
        await frames.nth(i).locator('rect').click();
        clicked = true;
      }
    }
    expect(clicked).toBe(true);
    await page.waitForSelector(`.sandwich-view[data-fn="${caller}"]`);
    expect(param(page, 'sw')).toBe(caller);
    // the copied link opens the same sandwich
    const link = page.url();
    const ctx2 = await H.newContext();
    const page2 = await ctx2.newPage();
    await page2.goto(link);
    await page2.waitForSelector(`.sandwich-view[data-fn="${caller}"] .sw-callees g.frame`);
    expect(errors).toEqual([]);
    await ctx2.close();
    await page.context().close();
  });
});

describe('Call graph tab', () => {
  it('lays out the API graph with Graphviz; a node click focuses; the link restores it', async () => {
    const g = await api<CallGraph>('graph');
    const { page, errors } = await open('v=graph');
    await page.waitForSelector('.graph-view[data-nodes] svg g.node', { timeout: 30_000 });
    // Graphviz writes the nodes in its own order: compare the sets.
    const drawn = await page.$$eval('.graph-view svg g.node', (els) => els.map((e) => (e as SVGGElement).dataset.name ?? ''));
    expect(drawn.sort()).toEqual(g.nodes.map((n) => n.name).sort());
    expect(await page.locator('.graph-view svg g.edge').count()).toBe(g.edges.length);
    // hover shows the numbers
    const target = g.nodes.find((n) => n.function.startsWith('main.') && n.function !== 'main.main') ?? g.nodes[0];
    const node = page.locator(`.graph-view svg g.node[data-name="${target.name}"]`);
    await node.hover();
    await page.waitForSelector('.graph-view .cg-tooltip:not([hidden])');
    expect(await page.textContent('.graph-view .cg-tooltip')).toContain(target.name);
    await node.click();
    await page.waitForFunction(
      (want) => new URL(location.href).searchParams.get('f') === want,
      `^${target.function.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}$`,
    );
    const focused = await api<CallGraph>(`graph?focus=${encodeURIComponent(param(page, 'f')!)}`);
    await page.waitForFunction(
      (n) =>
        document.querySelector('.graph-view')?.getAttribute('data-nodes') === String(n) &&
        document.querySelectorAll('.graph-view svg g.node').length === n,
      focused.nodes.length,
    );
    const link = page.url();
    const ctx2 = await H.newContext();
    const page2 = await ctx2.newPage();
    await page2.goto(link);
    await page2.waitForSelector('.graph-view[data-nodes] svg g.node', { timeout: 30_000 });
    const drawn2 = await page2.$$eval('.graph-view svg g.node', (els) => els.map((e) => (e as SVGGElement).dataset.name ?? ''));
    expect(drawn2.sort()).toEqual(focused.nodes.map((n) => n.name).sort());
    expect(errors).toEqual([]);
    await ctx2.close();
    await page.context().close();
  });
});
