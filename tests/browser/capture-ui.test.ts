// The live-capture UI in Chromium against a real pprof-lens server (real capture routes)
// and samples/live-service: list profiles, capture CPU with progress, cancel, errors,
// and a watch with its chart and compare link. Screenshots go to tests/.screenshots/.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/http/server.js';
import { functionNames, startLiveService, type LiveService } from '../api/capture-env.js';
import { decodeProfile } from '../../server/src/decode/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = join(ROOT, 'tests/.screenshots');
const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>capture</title><link rel="stylesheet" href="/h.css">
<style>:root{--bg:#fff;--fg:#1d1d1f;--muted:#666;--border:#d0d0d0;--accent:#1565c0;--panel-bg:#f6f6f8}
body{margin:0;padding:12px;background:var(--bg);color:var(--fg);font-family:'DejaVu Sans',sans-serif}</style>
</head><body><div id="app"></div><script type="module" src="/h.js"></script></body></html>`;

let work: string;
let svc: LiveService;
let lens: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'capture-ui-'));
  const web = join(work, 'web');
  mkdirSync(web);
  const out = await build({
    entryPoints: [join(ROOT, 'tests/browser/capture-harness.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    outdir: '/virtual',
    loader: { '.css': 'css' },
    logLevel: 'silent',
  });
  writeFileSync(join(web, 'h.js'), out.outputFiles.find((f) => f.path.endsWith('.js'))!.text);
  writeFileSync(join(web, 'h.css'), out.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '');
  writeFileSync(join(web, 'index.html'), HTML);
  svc = await startLiveService(work);
  lens = await startServer({
    port: 0,
    store: { backend: 'fs', dir: join(work, 'data') },
    workers: 0,
    samplesDir: null,
    webRoot: web,
    log: () => undefined,
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await lens?.close();
  svc?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function listProfiles(url: string): Promise<void> {
  await page.goto(`${lens.url}/`);
  await page.fill('.capture-url', url);
  await page.click('.capture-list-btn');
}

describe('capture start section', () => {
  it('lists the target profiles', async () => {
    await listProfiles(svc.base);
    await page.waitForSelector('.capture-table');
    const names = await page.$$eval('.capture-table tbody tr', (rows) => rows.map((r) => r.getAttribute('data-profile')));
    expect(names).toEqual(['profile', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate', 'live.widgets', 'cmdline', 'trace']);
    expect(await page.textContent('tr[data-profile="trace"] .capture-note')).toMatch(/go tool trace/);
    expect(await page.textContent('.capture-status')).toMatch(/offers 8 profiles/);
    await page.screenshot({ path: join(SHOTS, 'capture-targets.png'), fullPage: true });
  });

  it('captures CPU with a countdown and progress bar, then opens the profile', async () => {
    await listProfiles(svc.base);
    await page.fill('.capture-seconds', '2');
    await page.click('.capture-cpu');
    await page.waitForSelector('.capture-running progress');
    await page.waitForFunction(() => /\d s left/.test(document.querySelector('.capture-left')?.textContent ?? ''));
    await page.screenshot({ path: join(SHOTS, 'capture-progress.png') });
    await page.waitForSelector('.capture-link', { timeout: 15_000 });
    const opened = await page.evaluate(() => window.__opened);
    expect(opened).toHaveLength(1);
    const href = await page.getAttribute('.capture-link', 'href');
    expect(href).toBe(`/p/${opened[0]}`);
    const raw = await fetch(`${lens.url}/api/profiles/${opened[0]}/raw`);
    expect(functionNames(decodeProfile(new Uint8Array(await raw.arrayBuffer())))).toContain('main.spinHot');
  });

  it('cancels a running CPU capture', async () => {
    await listProfiles(svc.base);
    await page.fill('.capture-seconds', '30');
    await page.click('.capture-cpu');
    await page.waitForSelector('.capture-cancel');
    await page.click('.capture-cancel');
    await page.waitForFunction(() => document.querySelector('.capture-status')?.textContent === 'Capture cancelled.');
    expect(await page.evaluate(() => window.__opened)).toEqual([]);
  });

  it('shows server errors as text', async () => {
    await listProfiles('http://127.0.0.1:1');
    await page.waitForSelector('.capture-status.capture-error');
    expect(await page.textContent('.capture-status')).toMatch(/connection refused by 127\.0\.0\.1:1/);
  });
});

describe('watch page', () => {
  it('watches the goroutine leak grow, charts it and links two snapshots to compare', async () => {
    await listProfiles(svc.base);
    await page.waitForSelector('tr[data-profile="goroutine"] .capture-watch');
    await page.fill('tr[data-profile="goroutine"] .capture-interval', '1');
    await page.fill('tr[data-profile="goroutine"] .capture-count', '3');
    await page.click('tr[data-profile="goroutine"] .capture-watch');
    await page.waitForURL(/\/watch\/[0-9a-f]{24}$/);
    await page.waitForSelector('.watch-state[data-state="done"]', { timeout: 20_000 });
    expect(await page.$$eval('.watch-table tbody tr', (r) => r.length)).toBe(3);
    expect(await page.$$eval('.watch-chart', (f) => f.map((x) => x.getAttribute('data-type')))).toEqual(['goroutine']);
    expect(await page.$$eval('.watch-dot', (d) => d.length)).toBe(3);
    // The line rises: each dot is higher (smaller y) than the one before.
    const ys = await page.$$eval('.watch-dot', (d) => d.map((c) => Number(c.getAttribute('cy'))));
    expect(ys[1]!).toBeLessThan(ys[0]!);
    expect(ys[2]!).toBeLessThan(ys[1]!);
    const ids = await page.$$eval('.watch-open', (a) => a.map((x) => x.getAttribute('href')!.replace('/p/', '')));
    expect(await page.getAttribute('.watch-compare-link', 'href')).toBe(`/p/${ids[2]}?v=compare&base=${ids[0]}`);
    await page.selectOption('.watch-base', ids[1]!);
    expect(await page.getAttribute('.watch-compare-link', 'href')).toBe(`/p/${ids[2]}?v=compare&base=${ids[1]}`);
    await page.screenshot({ path: join(SHOTS, 'capture-watch.png'), fullPage: true });
  });
});
