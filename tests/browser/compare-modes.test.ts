// The Compare tab's flame graph modes and the Merge panel in Chromium against the real
// server: width by new, by base, combined (a frame that exists only in the base is drawn
// at its base share, hatched), side by side (one zoom, one search), the tooltip's
// base/new/delta/% of base, and merging stored profiles with per-input shares.
// Screenshots go to tests/.screenshots/compare-mode-*.png and merge-*.png.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiffFlameGraph, DiffFlameNode } from '../../contract/diff.js';
import type { DrawnFrame as Frame } from '../../web/src/views/compare/diff-flame.js';
import { sampleBytes, SHOTS, startHarness, uploadBytes, type Harness } from './web-harness.js';

let hx: Harness;
let ctx: BrowserContext;
const ids: Record<string, string> = {};

beforeAll(async () => {
  hx = await startHarness();
  ctx = await hx.newContext({ width: 1400, height: 1000 });
  for (const [k, f] of Object.entries({
    before: 'before-after/cpu.before.pb.gz',
    after: 'before-after/cpu.after.pb.gz',
    cpu: 'cpu/cpu.pb.gz',
  })) {
    ids[k] = await uploadBytes(hx.base, sampleBytes(f), f.split('/').pop()!);
  }
}, 180_000);

afterAll(async () => {
  await ctx?.close();
  await hx?.close();
});

async function open(path: string): Promise<Page & { errors: string[] }> {
  const page = (await ctx.newPage()) as Page & { errors: string[] };
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(hx.base + path);
  return page;
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('.compare-view[data-ready="true"]', { timeout: 60_000 });
}

function frames(page: Page, which = '.compare-flame-main .diff-flame-canvas'): Promise<Frame[]> {
  return page.$eval(which, (c) => (c as HTMLCanvasElement & { drawnFrames: () => Frame[] }).drawnFrames());
}

async function diffTree(): Promise<DiffFlameGraph> {
  const res = await fetch(`${hx.base}/api/profiles/${ids.after}/diff/flamegraph?base=${ids.before}&minFraction=0.0005`);
  return (await res.json()) as DiffFlameGraph;
}

/** Combined width of a frame as the page computes it: max(base, new), widened to fit its children. */
function combined(n: DiffFlameNode): number {
  let inner = Math.max(n.self, n.baseSelf) + Math.max(n.prunedValue ?? 0, n.prunedBase ?? 0);
  for (const c of n.children) inner += combined(c);
  return Math.max(n.value, n.base, inner);
}

const compareUrl = (extra = '') => `/p/${ids.after}?v=compare&base=${ids.before}${extra}`;

describe('diff flame graph modes', () => {
  it('width by new (default): frames are sized by the new profile, vanished ones not drawn', async () => {
    const page = await open(compareUrl());
    await ready(page);
    expect(await page.getAttribute('.compare-flame', 'data-mode')).toBe('new');
    expect(await page.textContent('.legend-mode')).toMatch(/^Width = the frame's value in the new profile/);
    const fs = await frames(page);
    const root = fs.find((f) => f.depth === 0)!;
    for (const f of fs.filter((x) => x.depth === 1)) expect(f.w / root.w).toBeCloseTo(f.value / root.value, 3);
    expect(fs.some((f) => f.value === 0)).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'compare-mode-new.png') });
    expect(page.errors).toEqual([]);
  });

  it('width by base: frames are sized by the base profile', async () => {
    const page = await open(compareUrl('&fm=base'));
    await ready(page);
    expect(await page.inputValue('.compare-flame-mode')).toBe('base');
    expect(await page.textContent('.legend-mode')).toMatch(/^Width = the frame's value in the base profile/);
    const fs = await frames(page);
    const root = fs.find((f) => f.depth === 0)!;
    for (const f of fs.filter((x) => x.depth === 1)) expect(f.w / root.w).toBeCloseTo(f.base / root.base, 3);
    expect(fs.some((f) => f.value === 0 && f.base > 0)).toBe(true);
    expect(page.errors).toEqual([]);
  });

  it('combined: a frame that exists only in the base is drawn, hatched, at its base share', async () => {
    const page = await open(compareUrl());
    await ready(page);
    await page.selectOption('.compare-flame-mode', 'combined');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('fm') === 'combined');
    await page.waitForSelector('.compare-flame-main canvas[data-mode="combined"]');
    expect(await page.textContent('.legend-mode')).toMatch(/hatched part is what shrank or vanished, at its real size/);
    const tree = await diffTree();
    const total = combined(tree.root);
    // One scale for the whole picture: the root is as wide as the larger side, widened
    // where work moved between sibling frames (both are then drawn at their real size).
    expect(total).toBeGreaterThanOrEqual(Math.max(tree.root.base, tree.root.value));
    const fs = await frames(page);
    const root = fs.find((f) => f.depth === 0)!;
    const gone = fs.filter((f) => f.value === 0 && f.base > 0 && f.depth > 0);
    expect(gone.length).toBeGreaterThan(0);
    for (const f of gone) {
      expect(Math.abs(f.w - (f.base / total) * root.w), f.name).toBeLessThan(0.5);
      expect(f.solid).toBe(0);
      expect(Math.abs(f.hatched - f.w)).toBeLessThan(0.5);
    }
    // The widest vanished frame is visible: its middle is painted, not background.
    const big = gone.reduce((a, b) => (b.w > a.w ? b : a));
    expect(big.w / root.w).toBeGreaterThan(0.1);
    const painted = await page.$eval(
      '.compare-flame-main .diff-flame-canvas',
      (c, f) => {
        const cv = c as HTMLCanvasElement;
        const rows = Number(cv.height) / (window.devicePixelRatio || 1) / 18;
        const y = (rows - 1 - f.depth) * 18 + 9;
        const d = cv
          .getContext('2d')!
          .getImageData(Math.round((f.x + f.w / 2) * devicePixelRatio), Math.round(y * devicePixelRatio), 1, 1).data;
        return d[3]!;
      },
      big,
    );
    expect(painted).toBeGreaterThan(0);
    // The tooltip of a vanished frame: base, new 0, delta and -100% of base.
    const box = (await page.locator('.compare-flame-main .diff-flame-canvas').boundingBox())!;
    const rows = (box.height / 18) | 0;
    await page.mouse.move(box.x + big.x + big.w / 2, box.y + (rows - 1 - big.depth) * 18 + 9);
    await page.waitForSelector('.compare-tooltip:not([hidden])');
    const tip = (await page.textContent('.compare-tooltip'))!;
    expect(tip).toContain(big.name);
    expect(tip).toMatch(/base \S+/);
    expect(await page.textContent('.compare-tooltip .tt-new')).toMatch(/^new 0/);
    expect(await page.textContent('.compare-tooltip .tt-delta')).toMatch(/^delta -\S+ · -100% of base \(gone\)$/);
    await page.screenshot({ path: join(SHOTS, 'compare-mode-combined.png') });
    expect(page.errors).toEqual([]);
  });

  it('side by side: base and new on one scale, one zoom and one search for both', async () => {
    const page = await open(compareUrl('&fm=split'));
    await ready(page);
    expect(await page.isVisible('.compare-flame-split')).toBe(true);
    expect(await page.isHidden('.compare-flame-main')).toBe(true);
    const base = await frames(page, '.compare-flame-split .compare-flame-col:nth-child(1) canvas');
    const neu = await frames(page, '.compare-flame-split .compare-flame-col:nth-child(2) canvas');
    const tree = await diffTree();
    const scale = Math.max(tree.root.base, tree.root.value);
    const b0 = base.find((f) => f.depth === 0)!;
    const n0 = neu.find((f) => f.depth === 0)!;
    expect(b0.w / n0.w).toBeCloseTo(tree.root.base / tree.root.value, 2);
    expect(Math.max(b0.w, n0.w)).toBeGreaterThan(0);
    expect(b0.w / (tree.root.base / scale)).toBeCloseTo(n0.w / (tree.root.value / scale), 0);
    // Zoom by clicking a depth-1 frame in the base graph: both graphs follow.
    const target = base.filter((f) => f.depth === 1).reduce((a, b) => (b.w > a.w ? b : a));
    const box = (await page.locator('.compare-flame-split .compare-flame-col:nth-child(1) canvas').boundingBox())!;
    const rows = (box.height / 18) | 0;
    await page.mouse.click(box.x + target.x + target.w / 2, box.y + (rows - 1 - 1) * 18 + 9);
    await page.waitForFunction((n) => new URL(location.href).searchParams.get('cz') === JSON.stringify([n]), target.name);
    const zb = await frames(page, '.compare-flame-split .compare-flame-col:nth-child(1) canvas');
    const zn = await frames(page, '.compare-flame-split .compare-flame-col:nth-child(2) canvas');
    expect(zb.find((f) => f.depth === 1)!.name).toBe(target.name);
    expect(zn.find((f) => f.depth === 1)?.name ?? target.name).toBe(target.name);
    // One search highlights in both graphs.
    await page.fill('.compare-search', 'regexp');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('cq') === 'regexp');
    const mb = (await frames(page, '.compare-flame-split .compare-flame-col:nth-child(1) canvas')).filter((f) => f.match);
    const mn = (await frames(page, '.compare-flame-split .compare-flame-col:nth-child(2) canvas')).filter((f) => f.match);
    expect(mb.length).toBeGreaterThan(0);
    expect([...mb, ...mn].every((f) => /regexp/.test(f.name))).toBe(true);
    expect(await page.textContent('.legend-mode')).toMatch(/^Base \(left\) and new \(right\)/);
    await page.screenshot({ path: join(SHOTS, 'compare-mode-split.png') });
    // The link reproduces mode, zoom and search.
    const again = await open(new URL(page.url()).pathname + new URL(page.url()).search);
    await ready(again);
    expect(await again.inputValue('.compare-flame-mode')).toBe('split');
    expect(await again.inputValue('.compare-search')).toBe('regexp');
    expect(page.errors).toEqual([]);
  });
});

describe('Merge panel', () => {
  it('merges stored profiles of the same type and shows each input share of the zoomed frame', async () => {
    const page = await open(`/p/${ids.after}?panel=merge`);
    await page.waitForSelector('.merge-pick input[type=checkbox]');
    expect(await page.textContent('.merge-what')).toContain('default.pgo');
    for (const id of [ids.before, ids.cpu]) await page.check(`.merge-pick input[value="${id}"]`);
    await page.click('.merge-go');
    await page.waitForURL((u) => u.pathname !== `/p/${ids.after}`, { timeout: 60_000 });
    await page.waitForSelector('.merge-input');
    const merged = new URL(page.url()).pathname.split('/').pop()!;
    expect(await page.locator('.merge-input').count()).toBe(3);
    const inputs = await page.$$eval('.merge-input', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.id));
    expect(inputs).toEqual([ids.after, ids.before, ids.cpu]);
    // Zoom into a frame: the shares follow, and their values add up to the frame's value.
    const flame = (await (await fetch(`${hx.base}/api/profiles/${merged}/flamegraph`)).json()) as {
      root: { children: { name: string; value: number }[] };
    };
    const top = flame.root.children[0]!;
    await page.goto(`${hx.base}/p/${merged}?panel=merge&z=${encodeURIComponent(JSON.stringify([top.name]))}`);
    await page.waitForFunction((n) => document.querySelector('.merge-frame')?.textContent === n, top.name);
    const shares = (await (
      await fetch(`${hx.base}/api/profiles/${merged}/merge/inputs?path=${encodeURIComponent(JSON.stringify([top.name]))}`)
    ).json()) as {
      inputs: { value: number }[];
    };
    expect(shares.inputs.reduce((a, i) => a + i.value, 0)).toBe(top.value);
    const pct = await page.$$eval('.merge-share', (tds) => tds.map((t) => t.textContent ?? ''));
    expect(pct.length).toBe(3);
    expect(pct.reduce((a, p) => a + parseFloat(p), 0)).toBeCloseTo(100, 0);
    await page.screenshot({ path: join(SHOTS, 'merge-panel.png') });
    expect(page.errors).toEqual([]);
  });

  it('uploads several files and merges them with this profile', async () => {
    const page = await open(`/p/${ids.cpu}?panel=merge`);
    await page.waitForSelector('.merge-pick input[type=checkbox]');
    await page.setInputFiles('.merge-panel input[type=file]', [
      { name: 'cpu.before.pb.gz', mimeType: 'application/octet-stream', buffer: sampleBytes('before-after/cpu.before.pb.gz') },
      { name: 'cpu.after.pb.gz', mimeType: 'application/octet-stream', buffer: sampleBytes('before-after/cpu.after.pb.gz') },
    ]);
    await page.waitForURL((u) => u.pathname !== `/p/${ids.cpu}`, { timeout: 60_000 });
    await page.waitForSelector('.merge-input');
    const inputs = await page.$$eval('.merge-input', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.id));
    expect(inputs).toEqual([ids.cpu, ids.before, ids.after]);
    expect(page.errors).toEqual([]);
  });
});
