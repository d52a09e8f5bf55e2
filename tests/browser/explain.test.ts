// "Explain the numbers in place" in real Chromium against the real server and bundle:
// hovering / focusing the top table's column headers, the sample type picker, a flame
// graph frame and the Compare table's headers shows exactly what explain.ts says for
// the profile's kind, and CPU and heap profiles get different texts where explain.ts
// differs. Also checks the live-capture start section's buttons use the shared .btn look.
// Screenshots: tests/.screenshots/explain-*.png.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMN_EXPLANATIONS_BY_KIND, explainColumn, explainSampleType } from '../../contract/explain.js';
import type { ProfileMeta } from '../../contract/views.js';
import { startLiveService, type LiveService } from '../api/capture-env.js';
import { sampleBytes, SHOTS, startHarness, uploadBytes, type Harness } from './web-harness.js';

interface Frame {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  pruned: boolean;
}

let H: Harness;
const ids: Record<string, string> = {};
const metas: Record<string, ProfileMeta> = {};

async function meta(id: string): Promise<ProfileMeta> {
  const res = await fetch(`${H.base}/api/profiles/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ProfileMeta;
}

async function newPage(dark = false): Promise<{ page: Page; errors: string[] }> {
  const ctx = await H.newContext({ dark });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page, errors };
}

const tip = (page: Page) => page.locator('.explain-tip');

/** Move the mouse away, wait for the popover to close, then hover `selector`. */
async function hoverAndRead(page: Page, selector: string): Promise<{ text: string; term: string; kind: string }> {
  await page.mouse.move(2, 2);
  await expect.poll(() => tip(page).isVisible()).toBe(false);
  await page.hover(selector);
  await expect.poll(() => tip(page).isVisible()).toBe(true);
  return {
    text: await tip(page).locator('.explain-text').innerText(),
    term: await tip(page).locator('.explain-term').innerText(),
    kind: await tip(page).locator('.explain-kind').innerText(),
  };
}

/** The accessible description of an element: the text its aria-describedby points at. */
async function description(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => {
    const id = el.getAttribute('aria-describedby');
    return id ? (document.getElementById(id)?.textContent ?? '') : '';
  });
}

async function openTop(page: Page, id: string): Promise<void> {
  await page.goto(`${H.base}/p/${id}?v=top`);
  await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
}

beforeAll(async () => {
  H = await startHarness();
  ids.cpu = await uploadBytes(H.base, sampleBytes('cpu/cpu.pb.gz'), 'cpu/cpu.pb.gz');
  ids.heap = await uploadBytes(H.base, sampleBytes('boxing/heap.pb.gz'), 'boxing/heap.pb.gz');
  ids.heap1 = await uploadBytes(H.base, sampleBytes('before-after/heap.1.pb.gz'), 'before-after/heap.1.pb.gz');
  ids.heap2 = await uploadBytes(H.base, sampleBytes('before-after/heap.2.pb.gz'), 'before-after/heap.2.pb.gz');
  for (const k of Object.keys(ids)) metas[k] = await meta(ids[k]!);
}, 120_000);

afterAll(async () => {
  await H?.close();
});

describe('explanations in place', () => {
  it('the samples are the kinds this test is about', () => {
    expect(metas.cpu!.kind).toBe('cpu');
    expect(metas.heap!.kind).toBe('heap');
    expect(metas.heap!.defaultSampleType).toBe('inuse_space');
    expect(metas.heap2!.kind).toBe('heap');
  });

  it('top table headers explain flat, cum and the rest for the profile kind, on hover', async () => {
    const seen: Record<string, Record<string, string>> = { cpu: {}, heap: {} };
    for (const which of ['heap', 'cpu'] as const) {
      const { page, errors } = await newPage();
      const kind = metas[which]!.kind;
      await openTop(page, ids[which]!);
      for (const col of ['flat', 'flat%', 'sum%', 'cum', 'cum%', 'name']) {
        const sel = `.top-head [data-col="${col}"]`;
        const got = await hoverAndRead(page, sel);
        const want = explainColumn(kind, col);
        expect(want).not.toBe('');
        expect(got.text).toBe(want);
        expect(got.term).toBe(col);
        expect(got.kind).toBe(`${kind} profile`);
        // Screen readers get the same text through aria-describedby.
        expect(await description(page, sel)).toContain(want);
        seen[which]![col] = got.text;
        if (col === 'flat' || col === 'cum')
          await page.screenshot({ path: join(SHOTS, `explain-top-${which}-${col}.png`), clip: { x: 0, y: 0, width: 900, height: 420 } });
      }
      // The sortable headers stay sortable (and their accessible name is unchanged).
      await page.getByRole('columnheader', { name: 'cum', exact: true }).click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'cum');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    // Different where explain.ts has kind-specific text, equal where it does not.
    for (const col of ['flat', 'flat%', 'sum%', 'cum', 'cum%', 'name']) {
      const differs = COLUMN_EXPLANATIONS_BY_KIND.cpu?.[col] !== COLUMN_EXPLANATIONS_BY_KIND.heap?.[col];
      if (differs) expect(seen.cpu![col]).not.toBe(seen.heap![col]);
      else expect(seen.cpu![col]).toBe(seen.heap![col]);
    }
    expect(seen.cpu!.flat).not.toBe(seen.heap!.flat);
    expect(seen.cpu!.cum).not.toBe(seen.heap!.cum);
  });

  it('headers explain themselves on keyboard focus too; Esc dismisses', async () => {
    const { page, errors } = await newPage(true);
    await openTop(page, ids.heap!);
    await page.focus('.top-view input.search');
    // Tab through the toolbar until the first header has focus.
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.col)) === 'flat') break;
    }
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.col)).toBe('flat');
    await expect.poll(() => tip(page).isVisible()).toBe(true);
    expect(await tip(page).locator('.explain-text').innerText()).toBe(explainColumn('heap', 'flat'));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.col)).toBe('flat%');
    await expect.poll(() => tip(page).locator('.explain-text').innerText()).toBe(explainColumn('heap', 'flat%'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.col)).toBe('cum');
    await expect.poll(() => tip(page).locator('.explain-text').innerText()).toBe(explainColumn('heap', 'cum'));
    await page.screenshot({ path: join(SHOTS, 'explain-top-heap-cum-dark-focus.png'), clip: { x: 0, y: 0, width: 900, height: 420 } });
    // Enter sorts; focus stays on the (re-rendered) cum header and its popover.
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'cum');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.col)).toBe('cum');
    await page.keyboard.press('Escape');
    await expect.poll(() => tip(page).isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the sample type picker explains the selected type (and the others), with a ? link to the concept page', async () => {
    const picker: Record<string, string> = {};
    for (const which of ['heap', 'cpu'] as const) {
      const { page, errors } = await newPage(which === 'cpu');
      const m = metas[which]!;
      await openTop(page, ids[which]!);
      const got = await hoverAndRead(page, 'select.si');
      const want = explainSampleType(m.kind, m.defaultSampleType);
      expect(want).not.toBe('');
      expect(got.text).toBe(want);
      expect(got.term).toBe(`${m.defaultSampleType} (${m.sampleTypes.find((t) => t.type === m.defaultSampleType)!.unit})`);
      expect(got.kind).toBe(`${m.kind} profile`);
      expect(await description(page, 'select.si')).toBe(want);
      picker[which] = got.text;
      // Every option carries its own explanation; the popover lists the other types.
      const titles = await page.$$eval('select.si option', (os) =>
        os.map((o) => [(o as HTMLOptionElement).value, o.getAttribute('title') ?? '']),
      );
      for (const [type, title] of titles) expect(title).toBe(explainSampleType(m.kind, type!));
      const others = await tip(page).locator('.explain-more dt').allInnerTexts();
      const otherTexts = await tip(page).locator('.explain-more dd').allInnerTexts();
      expect(others.sort()).toEqual(
        m.sampleTypes
          .map((t) => t.type)
          .filter((t) => t !== m.defaultSampleType)
          .sort(),
      );
      const all = await tip(page).locator('.explain-more dt').allInnerTexts();
      all.forEach((type, i) => expect(otherTexts[i]).toBe(explainSampleType(m.kind, type)));
      await page.screenshot({ path: join(SHOTS, `explain-sample-type-${which}.png`), clip: { x: 0, y: 0, width: 1000, height: 460 } });
      if (which === 'heap') {
        // alloc_space vs inuse_space: switching the type switches the explanation.
        await page.selectOption('select.si', 'alloc_space');
        await page.waitForFunction(() => new URL(location.href).searchParams.get('si') === 'alloc_space');
        const alloc = await hoverAndRead(page, 'select.si');
        expect(alloc.text).toBe(explainSampleType('heap', 'alloc_space'));
        expect(alloc.text).not.toBe(got.text);
        expect(await description(page, 'select.si')).toBe(explainSampleType('heap', 'alloc_space'));
        await page.screenshot({
          path: join(SHOTS, 'explain-sample-type-heap-alloc-space.png'),
          clip: { x: 0, y: 0, width: 1000, height: 460 },
        });
      }
      // The "?" link opens the concept page in the app.
      expect(await page.getAttribute('a.si-help', 'href')).toBe('/concepts/reading-pprof');
      await page.click('a.si-help');
      await page.waitForFunction(() => location.pathname === '/concepts/reading-pprof');
      await page.waitForSelector('.concept-title');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    expect(picker.cpu).toBe(explainSampleType('cpu', 'cpu'));
    expect(picker.heap).toBe(explainSampleType('heap', 'inuse_space'));
    expect(picker.cpu).not.toBe(picker.heap);
  });

  it('the flame graph tooltip says what the width means for this sample type', async () => {
    const texts: Record<string, string> = {};
    for (const which of ['cpu', 'heap'] as const) {
      const { page, errors } = await newPage();
      const m = metas[which]!;
      await page.goto(`${H.base}/p/${ids[which]}`);
      await page.waitForSelector('.view[data-view=flame][data-ready=true]', { timeout: 15_000 });
      const fs = await page.evaluate(() => (window as unknown as { pprofLensDebug: { frames(): Frame[] } }).pprofLensDebug.frames());
      const f = fs.filter((x) => x.name === 'main.main' && !x.pruned).sort((a, b) => b.w - a.w)[0]!;
      expect(f).toBeTruthy();
      const box = (await page.locator('.flame-canvas').boundingBox())!;
      await page.mouse.move(box.x + f.x + Math.min(f.w / 2, 30), box.y + f.y + f.h / 2);
      await expect.poll(() => page.locator('.tooltip').isVisible()).toBe(true);
      texts[which] = await page.locator('.tooltip .tt-explain-text').innerText();
      expect(texts[which]).toBe(explainSampleType(m.kind, m.defaultSampleType));
      expect(await page.locator('.tooltip .tt-explain-label').innerText()).toContain(m.defaultSampleType);
      await page.screenshot({ path: join(SHOTS, `explain-flame-${which}.png`) });
      expect(errors).toEqual([]);
      await page.context().close();
    }
    expect(texts.cpu).not.toBe(texts.heap);
  });

  it('the Compare table headers explain the diff column and the pprof column under it', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${H.base}/p/${ids.heap2}?v=compare&base=${ids.heap1}`);
    await page.waitForSelector('.compare-view[data-ready=true] .compare-table');
    const dflat = page.locator('.compare-table th button', { hasText: /^Δ flat/ }).first();
    await dflat.hover();
    await expect.poll(() => tip(page).isVisible()).toBe(true);
    expect(await tip(page).locator('.explain-term').innerText()).toBe('Δ flat');
    expect(await tip(page).locator('.explain-more dt').innerText()).toBe('flat');
    expect(await tip(page).locator('.explain-more dd').innerText()).toBe(explainColumn('heap', 'flat'));
    await page.screenshot({
      path: join(SHOTS, 'explain-compare-heap.png'),
      clip: { x: 0, y: 0, width: 1400, height: 900 },
      fullPage: false,
    });
    // A non-sortable header is reachable by keyboard and explains itself on focus.
    await page.locator('.compare-table th', { hasText: /^base flat$/ }).focus();
    await expect.poll(() => tip(page).locator('.explain-term').innerText()).toBe('base flat');
    expect(await tip(page).locator('.explain-more dd').innerText()).toBe(explainColumn('heap', 'flat'));
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('live-capture start section', () => {
  let svc: LiveService | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'explain-live-'));
  afterAll(() => {
    svc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the shared .btn style for its buttons', async () => {
    svc = await startLiveService(dir);
    for (const dark of [false, true]) {
      const { page, errors } = await newPage(dark);
      await page.goto(`${H.base}/`);
      await page.fill('.capture-url', svc.base);
      await page.click('.capture-list-btn');
      await page.waitForSelector('.capture-table tr[data-profile="heap"] .capture-snapshot');
      // Same computed look as the page's other .btn buttons (the stored list's pager).
      const look = (sel: string) =>
        page.$eval(sel, (el) => {
          const s = getComputedStyle(el);
          return {
            cls: el.classList.contains('btn'),
            height: s.height,
            radius: s.borderRadius,
            border: s.borderTopColor,
            font: s.fontSize,
          };
        });
      const ref = (cls: string) =>
        page.evaluate((c) => {
          const b = document.createElement('button');
          b.className = c;
          b.textContent = 'x';
          document.body.append(b);
          const s = getComputedStyle(b);
          const r = { cls: true, height: s.height, radius: s.borderRadius, border: s.borderTopColor, font: s.fontSize };
          b.remove();
          return r;
        }, cls);
      // The form's submit is the primary action, the rest plain buttons.
      expect(await look('.capture-list-btn')).toEqual(await ref('btn primary'));
      for (const sel of ['.capture-cpu', 'tr[data-profile="heap"] .capture-snapshot', 'tr[data-profile="heap"] .capture-watch']) {
        expect(await look(sel)).toEqual(await ref('btn'));
      }
      await page.locator('.capture-section').screenshot({ path: join(SHOTS, `explain-capture-buttons${dark ? '-dark' : ''}.png`) });
      expect(errors).toEqual([]);
      await page.context().close();
    }
  }, 90_000);
});
