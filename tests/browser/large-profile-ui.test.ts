// The profile page while a large profile is prepared, and on large tables, in headless
// Chromium against the real server:
// - while the flame graph's answer is held back, the page asks the progress route and shows
//   the stages it answers, in words, then the flame graph once the answer comes (the
//   server's own stages, in order, are checked by tests/api/progress.test.ts; here the
//   progress answers are scripted so that no machine is too fast to show them);
// - each place that waits (opening placeholder, flame graph status, Top loading line)
//   describes the task its answer waits for, not the profile's furthest task;
// - the header's total is asked for with the page's first requests and is on screen no
//   later than the flame graph, even when the flame graph's answer comes first;
// - the Top tab of a 12,000-row table asks for one page first (never the whole table),
//   loads further pages as it scrolls, sorts and searches on the server, and its
//   "Download table" link still gives every row.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileProgress, ProgressStage, TaskProgress } from '../../contract/progress.js';
import { searchRegexp } from '../../contract/go-regexp.js';
import { scaledLabel } from '../../contract/format.js';
import type { TopReport } from '../../contract/views.js';
import { startServer, type RunningServer } from '../../server/src/http/server.js';
import { buildWeb, CHROMIUM_ARGS, manyFunctionsProfile, uploadBytes } from './web-harness.js';

let tmp = '';
let srv: RunningServer;
let browser: Browser;
let base = '';
const ids = { many: '' };

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'pprof-lens-large-ui-'));
  buildWeb(join(tmp, 'web'));
  srv = await startServer({
    port: 0,
    host: '127.0.0.1',
    store: { backend: 'fs', dir: join(tmp, 'data') },
    samplesDir: null,
    webRoot: join(tmp, 'web'),
    workers: 1,
    log: () => undefined,
  });
  base = srv.url.replace(/\/$/, '');
  ids.many = await uploadBytes(base, manyFunctionsProfile(12_000), 'many-functions.pb.gz');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await srv?.close().catch(() => undefined);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A page that records every stage the page shows (data-stage on its progress text). */
async function stageRecordingPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    const seen: { stage: string; text: string }[] = [];
    (window as unknown as { shownStages: typeof seen }).shownStages = seen;
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as HTMLElement;
        const stage = el.dataset.stage;
        const last = seen[seen.length - 1];
        if (stage && (!last || last.stage !== stage)) seen.push({ stage, text: el.textContent ?? '' });
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-stage'] });
  });
  return { page, errors };
}

describe('progress while a large profile is prepared', () => {
  it('shows each stage the server reports, in words, while the flame graph is awaited; then the flame graph', async () => {
    const { page, errors } = await stageRecordingPage();
    const shown = () => page.evaluate(() => (window as unknown as { shownStages: { stage: string; text: string }[] }).shownStages);
    // The server's answers: decoding, then (once the page has shown it) building.
    let stage: ProgressStage = 'decoding';
    let progressAsks = 0;
    await page.route(`**/api/profiles/${ids.many}/progress`, (route) => {
      progressAsks++;
      const fraction = stage === 'building' ? 0.4 : null;
      const body: ProfileProgress = { id: ids.many, tasks: [{ view: 'flame', stage, fraction, elapsedMs: 2500, stageMs: 900 }] };
      return route.fulfill({ json: body, headers: { 'cache-control': 'no-store' } });
    });
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    await page.route(`**/api/profiles/${ids.many}/flamegraph**`, async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(`${base}/p/${ids.many}`);
    await expect.poll(async () => (await shown()).map((s) => s.stage), { timeout: 30_000 }).toEqual(['decoding']);
    stage = 'building';
    await expect.poll(async () => (await shown()).map((s) => s.stage), { timeout: 30_000 }).toEqual(['decoding', 'building']);
    expect((await shown()).map((s) => /Step \d+ of \d+: [^…]+/.exec(s.text)?.[0])).toEqual([
      'Step 4 of 7: decoding the samples',
      'Step 6 of 7: building the flame graph (40%)',
    ]);
    release();
    await page.waitForSelector('.view[data-view=flame][data-ready=true]', { timeout: 60_000 });
    // The progress text is gone once the flame graph is drawn.
    expect(await page.locator('.flame-status').innerText()).toBe('');
    expect(progressAsks).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});

/** Progress answers that list `tasks` for the profile (each place of the page polls the same route). */
async function scriptProgress(page: Page, tasks: TaskProgress[]): Promise<void> {
  await page.route(`**/api/profiles/${ids.many}/progress`, (route) => {
    const body: ProfileProgress = { id: ids.many, tasks };
    return route.fulfill({ json: body, headers: { 'cache-control': 'no-store' } });
  });
}

const task = (view: string, stage: ProgressStage, fraction: number | null = null): TaskProgress => ({
  view,
  stage,
  fraction,
  elapsedMs: 2500,
  stageMs: 900,
});

/** Holds the answers of requests to `glob` until released (a route handler per request). */
async function holdAnswers(page: Page, glob: string | ((url: URL) => boolean)): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route(glob, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

describe('each place that waits describes the task it waits for', () => {
  it("the flame graph queued behind the header's total says it waits for it, not that it builds the total", async () => {
    const { page, errors } = await stageRecordingPage();
    await scriptProgress(page, [task('header', 'building'), task('flame', 'queued')]);
    const release = await holdAnswers(page, `**/api/profiles/${ids.many}/flamegraph**`);
    await page.goto(`${base}/p/${ids.many}`);
    const status = page.locator('.flame-status[data-stage]');
    await expect.poll(() => status.getAttribute('data-stage'), { timeout: 30_000 }).toBe('queued');
    expect(await status.innerText()).toMatch(
      /^Preparing the flame graph on the server\. Step 1 of 7: waiting while the server builds the header's total… \d+ s$/,
    );
    release();
    await page.waitForSelector('.view[data-view=flame][data-ready=true]');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('the top table queued behind the flame graph says it waits for it; while the profile is decoded, says so', async () => {
    const { page, errors } = await stageRecordingPage();
    const tasks = [task('flame', 'building', 0.5), task('top', 'queued')];
    await scriptProgress(page, tasks);
    // The table's pages (the header's one-row total goes through).
    const release = await holdAnswers(page, (url) => url.pathname.endsWith(`/${ids.many}/top`) && url.searchParams.has('limit'));
    await page.goto(`${base}/p/${ids.many}?v=top`);
    const loading = page.locator('.top-view .loading[data-stage]');
    await expect.poll(() => loading.getAttribute('data-stage'), { timeout: 30_000 }).toBe('queued');
    expect(await loading.innerText()).toMatch(
      /^Preparing the top table on the server\. Step 1 of 7: waiting while the server builds the flame graph… \d+ s$/,
    );
    // The flame graph's task decoding the profile: the table reuses that decode, so that is its step.
    tasks[0] = task('flame', 'decoding', 0.25);
    await expect.poll(() => loading.getAttribute('data-stage'), { timeout: 30_000 }).toBe('decoding');
    expect(await loading.innerText()).toMatch(/^Preparing the top table on the server\. Step 4 of 7: decoding the samples \(25%\)… \d+ s$/);
    release();
    await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("the opening placeholder describes the header's metadata task, not another view's", async () => {
    const { page, errors } = await stageRecordingPage();
    const tasks = [task('warm', 'building'), task('meta', 'queued')];
    await scriptProgress(page, tasks);
    const release = await holdAnswers(page, `**/api/profiles/${ids.many}`);
    await page.goto(`${base}/p/${ids.many}`);
    const loading = page.locator('.loading.center[data-stage]');
    await expect.poll(() => loading.getAttribute('data-stage'), { timeout: 30_000 }).toBe('queued');
    expect(await loading.innerText()).toMatch(/^Opening profile\. Step 1 of 7: waiting while the server builds the flame graph… \d+ s$/);
    tasks.splice(0, 2, task('meta', 'decoding', 0.6));
    await expect.poll(() => loading.getAttribute('data-stage'), { timeout: 30_000 }).toBe('decoding');
    expect(await loading.innerText()).toMatch(/^Opening profile\. Step 4 of 7: decoding the samples \(60%\)… \d+ s$/);
    release();
    await page.waitForSelector('.view[data-view=flame][data-ready=true]');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});

describe("the header's figures on the first screen", () => {
  it('shows the total no later than the flame graph, even when the flame graph answers first', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // What appears, in order: the header's total (its first text other than "…") and the drawn flame graph.
    await page.addInitScript(() => {
      const shown: string[] = [];
      (window as unknown as { shown: string[] }).shown = shown;
      new MutationObserver(() => {
        const total = document.querySelector('[data-testid=total]')?.textContent;
        if (total && total !== '…' && !shown.includes('total')) shown.push('total');
        if (document.querySelector('.view[data-view=flame][data-ready=true]') && !shown.includes('flame')) shown.push('flame');
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    // The flame graph's answer reaches the page first; the header's total is answered only after it.
    let flameDelivered!: () => void;
    const delivered = new Promise<void>((r) => (flameDelivered = r));
    const asked: string[] = [];
    await page.route(`**/api/profiles/${ids.many}/flamegraph**`, async (route) => {
      asked.push('flame');
      const response = await route.fetch();
      await route.fulfill({ response });
      flameDelivered();
    });
    await page.route(
      (url) => url.pathname.endsWith(`/${ids.many}/top`) && url.searchParams.get('n') === '1',
      async (route) => {
        asked.push('total');
        await delivered;
        await route.continue();
      },
    );
    await page.goto(`${base}/p/${ids.many}`);
    await page.waitForSelector('.view[data-view=flame][data-ready=true]');
    const whole = (await (await fetch(`${base}/api/profiles/${ids.many}/top?n=1`)).json()) as TopReport;
    await expect
      .poll(() => page.getByTestId('total').getAttribute('title'))
      .toBe(`cpu: ${scaledLabel(whole.total, 'nanoseconds', 'auto')}`);
    // Asked for at once, before the flame graph, and on screen before the flame graph is drawn.
    expect(asked).toEqual(['total', 'flame']);
    expect(await page.evaluate(() => (window as unknown as { shown: string[] }).shown)).toEqual(['total', 'flame']);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});

describe('top table pages', () => {
  async function apiTop(q = ''): Promise<TopReport> {
    return (await (await fetch(`${base}/api/profiles/${ids.many}/top?${q}`)).json()) as TopReport;
  }

  it('asks for the first page only, loads more while scrolling, sorts and searches on the server, downloads every row', async () => {
    const whole = await apiTop();
    expect(whole.rows.length).toBeGreaterThanOrEqual(12_000);
    const wholeBytes = JSON.stringify(whole).length;
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const tops: { url: URL; bytes: number }[] = [];
    page.on('response', async (r) => {
      const url = new URL(r.url());
      if (!url.pathname.endsWith('/top')) return;
      tops.push({ url, bytes: (await r.body()).length });
    });
    await page.goto(`${base}/p/${ids.many}?v=top`);
    await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
    expect(await page.locator('.top-view .match-info').innerText()).toBe(`${whole.rows.length} rows`);
    // Every table request is a page (the header's total asks for one row); together far smaller than the table.
    await expect.poll(() => tops.length).toBeGreaterThanOrEqual(1);
    for (const t of tops) expect(t.url.searchParams.has('limit') || t.url.searchParams.get('n') === '1').toBe(true);
    const firstScreen = tops.reduce((a, t) => a + t.bytes, 0);
    expect(firstScreen).toBeLessThan(wholeBytes / 20);
    // sum% of the first screen's rows: running flat in pprof's order.
    const firstRows = await page.$$eval('.top-body .top-row', (rows) =>
      rows.slice(0, 3).map((r) => [...r.querySelectorAll('.cell')].map((c) => c.textContent ?? '')),
    );
    expect(firstRows.map((r) => r[5])).toEqual(whole.rows.slice(0, 3).map((r) => r.name));

    // Scrolling to the end loads the last page (and only the pages scrolled past).
    const before = tops.length;
    await page.evaluate(() => {
      const s = document.querySelector('.top-scroll')!;
      s.scrollTop = s.scrollHeight;
      s.dispatchEvent(new Event('scroll'));
    });
    await page.waitForFunction(() => !document.querySelector('.top-body .top-row.pending'));
    expect(await page.locator('.top-body .top-row .cell.name').last().innerText()).toBe(whole.rows[whole.rows.length - 1]!.name);
    const scrolled = tops.slice(before);
    expect(scrolled.length).toBeGreaterThanOrEqual(1);
    expect(scrolled.length).toBeLessThanOrEqual(3);
    for (const t of scrolled) expect(Number(t.url.searchParams.get('offset'))).toBeGreaterThan(0);

    // Sort by name: the server's first page is the table's first name.
    await page.getByRole('columnheader', { name: 'name', exact: true }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'name');
    await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
    const byName = whole.rows.map((r) => r.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(await page.locator('.top-body .top-row .cell.name').first().innerText()).toBe(byName[0]);

    // Search: as many rows as the whole table has matching, with their sum% in the sorted order.
    await page.fill('.top-view input.search', 'Func1199');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tf') === 'Func1199');
    await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
    const re = searchRegexp('Func1199')!;
    const matching = whole.rows.filter((r) => re.test(r.name));
    expect(await page.locator('.top-view .match-info').innerText()).toBe(`${matching.length} of ${whole.rows.length} rows`);
    const shown = await page.$$eval('.top-body .cell.name', (els) => els.map((e) => e.textContent));
    expect(shown).toEqual(matching.map((r) => r.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    // The whole table is still a download away.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('top-download').click()]);
    expect(download.suggestedFilename()).toMatch(/\.top\.json$/);
    const file = (await download.path())!;
    const got = JSON.parse(readFileSync(file, 'utf8')) as TopReport;
    expect(got.rows).toEqual(whole.rows);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
