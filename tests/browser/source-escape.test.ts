// The Source tab pairs "where bytes are allocated" with "why the compiler put them on
// the heap": real server + real bundle + Chromium, every expectation read from the
// server's own GET /source answer (annotate.ts over samples/<prog>/escape.txt).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledLabel } from '../../contract/format.js';
import { sampleBytes, SHOTS, startHarness, uploadBytes, type Harness } from './web-harness.js';
import { makeTar } from '../tar-archive.js';

interface Decision {
  col: number;
  kind: string;
  message: string;
  chain?: string[];
}
interface Line {
  line: number;
  flat: number;
  cum: number;
  text: string | null;
  escape?: Decision[];
  escapeMarker?: true;
}
interface Listing {
  sampleType: { type: string; unit: string };
  unit: string;
  total: number;
  routines: { function: string; file: string; lines: Line[]; origin?: { step: string; label: string; path?: string }; stale?: string[] }[];
}

const ESCAPING = new Set(['escapes', 'moved-to-heap']);
let H: Harness;
const ids: Record<string, string> = {};

async function apiSource(id: string, fn: string): Promise<Listing> {
  const res = await fetch(`${H.base}/api/profiles/${id}/source?fn=${encodeURIComponent(fn)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Listing;
}

async function openSource(id: string, fn: string, dark = false): Promise<{ page: Page; errors: string[] }> {
  const ctx = await H.newContext({ dark });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${H.base}/p/${id}?v=source&fn=${encodeURIComponent(fn)}`);
  await page.waitForSelector('.source-view[data-ready=true] .routine', { timeout: 15_000 });
  return { page, errors };
}

/** flat/cum as the page prints them: pprof's label in the listing's unit, '.' for zero. */
function fmt(listing: Listing, v: number): string {
  return v ? scaledLabel(v, listing.sampleType.unit, listing.unit) : '.';
}

/** Every line with weight: the row shows exactly the API's flat and cum. */
async function expectWeights(page: Page, listing: Listing): Promise<number> {
  const lines = listing.routines[0]!.lines.filter((l) => l.flat || l.cum);
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) {
    const cells = await page.locator(`.routine .src-line[data-line="${l.line}"] .cell.num`).allInnerTexts();
    expect(cells, `line ${l.line}`).toEqual([fmt(listing, l.flat), fmt(listing, l.cum)]);
  }
  return lines.length;
}

async function markedRows(page: Page): Promise<number[]> {
  return page.$$eval('.routine .src-line', (rows) =>
    rows.filter((r) => r.querySelector('.escape-marker')).map((r) => Number((r as HTMLElement).dataset.line)),
  );
}

/** WCAG contrast ratio of an element's text colour against the first opaque background behind it. */
async function contrast(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const rgb = (s: string) => (s.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]: number[]) => {
        const f = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
      };
      const fg = rgb(getComputedStyle(el).color);
      let bg: number[] = [255, 255, 255];
      for (let n: Element | null = el; n; n = n.parentElement) {
        const c = rgb(getComputedStyle(n).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) {
          bg = c.slice(0, 3);
          break;
        }
      }
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      return (a! + 0.05) / (b! + 0.05);
    });
}

beforeAll(async () => {
  H = await startHarness();
  ids.allocs = await uploadBytes(H.base, sampleBytes('boxing/allocs.pb.gz'), 'boxing/allocs.pb.gz');
  ids.cpu = await uploadBytes(H.base, sampleBytes('cpu/cpu.pb.gz'), 'cpu/cpu.pb.gz');
  ids.gc = await uploadBytes(H.base, sampleBytes('gcpressure/cpu.pb.gz'), 'gcpressure/cpu.pb.gz');
}, 120_000);

afterAll(async () => {
  await H?.close();
});

describe('Source tab: allocation bytes paired with escape analysis', () => {
  it('marks exactly the escaping allocation lines of main.record with the bytes, the decision and its -m=2 chain, and links the concept page', async () => {
    const fn = '^main\\.record$';
    const listing = await apiSource(ids.allocs, fn);
    expect(listing.sampleType.type).toBe('alloc_space');
    expect(listing.routines.map((r) => r.function)).toEqual(['main.record']);
    const lines = listing.routines[0]!.lines;
    const marked = lines.filter((l) => l.escapeMarker);
    // The sample's hot allocations escape: several marked lines, each allocating bytes.
    expect(marked.length).toBeGreaterThanOrEqual(3);
    for (const l of marked) expect(l.flat).not.toBe(0);

    const { page, errors } = await openSource(ids.allocs, fn);
    await expectWeights(page, listing);
    expect(await markedRows(page)).toEqual(marked.map((l) => l.line));
    expect(await page.$$eval('.routine .src-line.escape-hit', (rs) => rs.map((r) => Number((r as HTMLElement).dataset.line)))).toEqual(
      marked.map((l) => l.line),
    );

    // At a glance (chains folded): bytes, stripe, marker and decision on each hot line.
    await page.screenshot({ path: join(SHOTS, 'source-escape-glance.png') });
    let chains = 0;
    for (const l of marked) {
      const row = page.locator(`.routine .src-line[data-line="${l.line}"]`);
      const reasons = l.escape!.filter((d) => ESCAPING.has(d.kind));
      expect(reasons.length).toBeGreaterThan(0);
      for (const d of reasons) expect(d.message).toMatch(/escapes to heap|moved to heap/);
      // The compiler's decision text, highlighted as the reason, next to the bytes.
      expect(await row.locator('.escape-note.reason .msg').allInnerTexts()).toEqual(reasons.map((d) => d.message));
      expect(await row.locator('.escape-note.reason .kind').allInnerTexts()).toEqual(reasons.map((d) => d.kind));
      // Every decision on the line (not only the escaping ones) is shown.
      expect(await row.locator('.escape-note .msg').allTextContents()).toEqual(l.escape!.map((d) => d.message));
      // The -m=2 chain: hidden until asked for, then every step as the compiler printed it.
      const withChain = reasons.filter((d) => d.chain?.length);
      const details = row.locator('.escape-note.reason details.escape-chain');
      expect(await details.count()).toBe(withChain.length);
      for (let k = 0; k < withChain.length; k++) {
        const steps = details.nth(k).locator('.chain-steps');
        expect(await steps.isVisible()).toBe(false);
        await details.nth(k).locator('summary').click();
        expect(await steps.isVisible()).toBe(true);
        const want = withChain[k]!.chain!.filter((s) => s !== '');
        expect(await steps.locator('.step:not(.sep)').allInnerTexts()).toEqual(want);
        chains++;
      }
    }
    expect(chains).toBeGreaterThan(0);
    await page.locator(`.routine .src-line[data-line="${marked[0]!.line}"]`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'source-escape-light.png') });
    // Readable at a glance: the reason text and the marker keep WCAG AA contrast on a hot row.
    expect(await contrast(page, '.escape-note.reason .msg')).toBeGreaterThanOrEqual(4.5);
    expect(await contrast(page, '.escape-marker')).toBeGreaterThanOrEqual(3);

    // The marker is a link to the escape-analysis concept page, which opens in the app.
    const marker = page.locator(`.routine .src-line[data-line="${marked[0]!.line}"] .escape-marker`);
    expect(await marker.getAttribute('href')).toBe('/concepts/escape-analysis');
    const concept = (await (await fetch(`${H.base}/api/concepts/escape-analysis`)).json()) as { title: string };
    await marker.click();
    await page.waitForURL((u) => u.pathname === '/concepts/escape-analysis');
    await page.waitForSelector('article.concept[data-slug="escape-analysis"] h1.concept-title');
    expect(await page.locator('h1.concept-title').innerText()).toBe(concept.title);
    await page.screenshot({ path: join(SHOTS, 'source-escape-concept.png') });
    // Back returns to the same listing.
    await page.goBack();
    await page.waitForSelector('.source-view[data-ready=true] .routine .escape-marker');
    expect(await markedRows(page)).toEqual(marked.map((l) => l.line));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('main.main: only the allocating escape line is marked; inlined decisions on a cum-only line are shown without a marker', async () => {
    const fn = '^main\\.main$';
    const listing = await apiSource(ids.allocs, fn);
    const lines = listing.routines[0]!.lines;
    const marked = lines.filter((l) => l.escapeMarker).map((l) => l.line);
    expect(marked.length).toBeGreaterThan(0);
    // Lines with escaping decisions but no marker (no flat bytes here) exist in this listing.
    const unmarked = lines.filter((l) => !l.escapeMarker && l.escape?.some((d) => ESCAPING.has(d.kind)));
    expect(unmarked.length).toBeGreaterThan(0);

    const { page, errors } = await openSource(ids.allocs, fn);
    await expectWeights(page, listing);
    expect(await markedRows(page)).toEqual(marked);
    for (const l of unmarked) {
      const row = page.locator(`.routine .src-line[data-line="${l.line}"]`);
      expect(await row.locator('.escape-note .msg').allTextContents()).toEqual(l.escape!.map((d) => d.message));
      expect(await row.locator('.escape-note.reason').count()).toBe(0);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('dark theme: marker, reason and expanded chain stay readable', async () => {
    const fn = '^main\\.record$';
    const listing = await apiSource(ids.allocs, fn);
    const first = listing.routines[0]!.lines.find((l) => l.escapeMarker && l.escape!.some((d) => d.chain?.length))!;
    const { page, errors } = await openSource(ids.allocs, fn, true);
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
    await expectWeights(page, listing);
    const row = page.locator(`.routine .src-line[data-line="${first.line}"]`);
    await row.locator('.escape-note.reason details.escape-chain summary').first().click();
    expect(await row.locator('.chain-steps').first().isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'source-escape-dark.png') });
    expect(await contrast(page, '.escape-note.reason .msg')).toBeGreaterThanOrEqual(4.5);
    expect(await contrast(page, '.chain-steps .step.head')).toBeGreaterThanOrEqual(4.5);
    expect(await contrast(page, '.escape-marker')).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a CPU profile lists escape decisions but marks no allocation lines', async () => {
    const fn = '^main\\.main$';
    const listing = await apiSource(ids.cpu, fn);
    expect(listing.sampleType.type).toBe('cpu');
    const lines = listing.routines[0]!.lines;
    expect(lines.filter((l) => l.escapeMarker)).toEqual([]);
    // Not vacuous: the compiler does report escaping values in this function.
    const noted = lines.filter((l) => l.escape?.length);
    expect(noted.some((l) => l.escape!.some((d) => ESCAPING.has(d.kind)))).toBe(true);

    const { page, errors } = await openSource(ids.cpu, fn);
    await expectWeights(page, listing);
    expect(await page.locator('.escape-note').count()).toBeGreaterThan(0);
    expect(await page.locator('.escape-marker').count()).toBe(0);
    expect(await page.locator('.src-line.escape-hit').count()).toBe(0);
    expect(await page.locator('.escape-note.reason').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'source-escape-cpu.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('Source tab: where the file came from, and stale sources', () => {
  it('shows the origin line, and a warning above the listing when the file was edited after the build', async () => {
    const fn = '^main\\.parse$';
    const clean = await apiSource(ids.gc, fn);
    const r0 = clean.routines[0]!;
    expect(r0.origin?.label).toBeTruthy();
    expect(r0.stale).toBeUndefined();
    const hot = r0.lines.filter((l) => l.cum).map((l) => l.line);
    expect(hot.length).toBeGreaterThan(0);
    // The same file with its sampled lines emptied, uploaded as the profile's sources.
    const text = sampleBytes('gcpressure/main.go').toString('utf8').split('\n');
    for (const ln of hot) text[ln - 1] = '';
    const post = await fetch(`${H.base}/api/profiles/${ids.gc}/sources`, {
      method: 'POST',
      body: new Blob([await makeTar([{ name: 'gcpressure/main.go', body: text.join('\n') }])]),
    });
    expect(post.status).toBe(201);
    const listing = await apiSource(ids.gc, fn);
    const r = listing.routines[0]!;
    expect(r.origin).toEqual({ step: 'archive', label: 'uploaded archive', path: 'gcpressure/main.go' });
    expect(r.stale?.join('\n')).toMatch(/samples on blank or comment lines? /);

    const { page, errors } = await openSource(ids.gc, fn);
    const warning = page.locator('.routine .source-stale');
    await warning.waitFor();
    expect(await warning.locator('li').allInnerTexts()).toEqual(r.stale);
    // The warning sits above the listing.
    const [warnY, linesY] = await Promise.all([warning.boundingBox(), page.locator('.routine .src-lines').boundingBox()]);
    expect(warnY!.y).toBeLessThan(linesY!.y);
    expect(await page.locator('.routine .source-origin').innerText()).toContain('uploaded archive');
    await page.screenshot({ path: join(SHOTS, 'source-stale.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
