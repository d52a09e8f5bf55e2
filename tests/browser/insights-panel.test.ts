// The Insights panel and the concept page in Chromium, against the real insights routes
// serving real profiles. Screenshots go to tests/.screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import express from 'express';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { insightsRouter } from '../../server/src/http/routes/insights.js';
import { errorHandler } from '../../server/src/http/errors.js';
import { serviceWith, type TestService } from '../service-harness.js';
import { computeInsights } from '../../server/src/insights/engine.js';
import { GO_VERSIONS_DIR, ROOT, load } from '../unit/insights-helpers.js';

const SHOTS = join(ROOT, 'tests/.screenshots');
const FILES: Record<string, string> = {
  goroutine: join(GO_VERSIONS_DIR, '1.26/goroutine.pb.gz'),
  allocs: join(GO_VERSIONS_DIR, '1.26/allocs.pb.gz'),
  concat: join(ROOT, 'samples/concat/allocs.pb.gz'),
  growth1: join(ROOT, 'tests/fixtures/insights/parked/profiles/growth.1.goroutine.pb.gz'),
  growth2: join(ROOT, 'tests/fixtures/insights/parked/profiles/growth.2.goroutine.pb.gz'),
};

let server: Server;
let base = '';
let browser: Browser;
let svc: TestService;

const HTML = `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/h.css">
<style>:root{--bg:#fff;--fg:#1d1d1f;--muted:#666;--border:#d0d0d0;--accent:#1565c0;--panel-bg:#f6f6f8}
body{margin:0;background:var(--bg);font-family:'DejaVu Sans',sans-serif} .side{width:440px;border-right:1px solid var(--border);min-height:100vh}</style>
</head><body><div id="app"></div><script type="module" src="/h.js"></script></body></html>`;

beforeAll(async () => {
  const out = await build({
    entryPoints: [join(ROOT, 'tests/browser/insights-harness.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    outdir: '/virtual',
    loader: { '.css': 'css' },
    logLevel: 'silent',
  });
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const css = out.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  svc = await serviceWith(FILES);
  const app = express();
  app.set('query parser', 'simple');
  app.get('/h.js', (_q, r) => r.type('js').send(js));
  app.get('/h.css', (_q, r) => r.type('css').send(css));
  app.get('/', (_q, r) => r.type('html').send(HTML));
  app.use(insightsRouter(svc.service));
  app.use(errorHandler);
  server = await new Promise<Server>((res) => {
    const s = app.listen(0, '127.0.0.1', () => res(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await svc?.close();
});

async function open(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/?${query}`);
  (page as unknown as { __errors: string[] }).__errors = errors;
  return page;
}

describe('Insights panel (browser)', () => {
  it('lists the findings, and a click highlights their frames and opens the concept', async () => {
    const page = await open(`id=${svc.ids.goroutine}`);
    await page.waitForSelector('.insight');
    const expected = computeInsights(load(FILES.goroutine));
    const titles = await page.$$eval('.insight .insight-text', (els) => els.map((e) => e.textContent));
    expect(titles).toEqual(expected.findings.map((f) => f.title));
    expect(await page.textContent('.insights-status')).toMatch(/1 finding on goroutine/);

    await page.click('.insight:first-child button.insight-title');
    await page.waitForSelector('.insights-concept .concept');
    const hl = await page.evaluate(() => window.__highlights.at(-1));
    expect(typeof hl).toBe('string');
    expect(new RegExp(hl as string).test('main.leakSend')).toBe(true);
    expect(await page.evaluate(() => window.__state.extra.ins)).toBe('goroutine.leak:main.leakSend');
    expect(await page.isVisible('.insight:first-child .insight-advice')).toBe(true);
    expect(await page.textContent('.insights-concept .concept-title')).toBe('Goroutine leaks');
    expect(await page.getAttribute('.insights-concept-open', 'href')).toBe('/concepts/goroutine-leaks');
    // The card inside a finding has no generic commands (placeholder names); the panel adds
    // no second "Insights" heading to its frame's.
    expect(await page.$$eval('.insights-concept .concept-next', (els) => els.length)).toBe(0);
    expect(await page.$$eval('.insights-panel h2', (els) => els.length)).toBe(0);

    await page.click('.insight:first-child .insight-fn');
    expect(await page.evaluate(() => window.__opened)).toEqual(['main.leakSend']);
    await page.screenshot({ path: join(SHOTS, 'insights-panel-goroutine.png'), fullPage: true });

    // Clicking again clears the selection and the highlight.
    await page.click('.insight:first-child button.insight-title');
    expect(await page.evaluate(() => window.__highlights.at(-1))).toBeNull();
    expect((page as unknown as { __errors: string[] }).__errors).toEqual([]);
    await page.close();
  });

  it('shows heap findings for the sample type in the URL and reports bad ones', async () => {
    const page = await open(`id=${svc.ids.allocs}&si=alloc_space`);
    await page.waitForSelector('.insight');
    await page.click('.insight:first-child button.insight-title');
    await page.waitForSelector('.insights-concept .concept');
    await page.screenshot({ path: join(SHOTS, 'insights-panel-allocs.png'), fullPage: true });
    await page.close();
    const bad = await open(`id=${svc.ids.allocs}&si=bogus`);
    await bad.waitForFunction(() => /Insights unavailable/.test(document.querySelector('.insights-status')?.textContent ?? ''));
    expect(await bad.textContent('.insights-status')).toMatch(/unknown sample type "bogus"/);
    await bad.close();
  });

  it('two findings of one rule and function at different lines are told apart (title and selection)', async () => {
    const page = await open(`id=${svc.ids.concat}`);
    await page.waitForSelector('.insight');
    const titles = await page.$$eval('.insight .insight-text', (els) => els.map((e) => e.textContent));
    expect(titles.sort()).toEqual([
      'A string is built with += in main.joinIDs (main.go:18)',
      'A string is built with += in main.joinIDs (main.go:20)',
    ]);
    await page.click('.insight:nth-child(2) button.insight-title');
    expect(await page.$$eval('.insight.selected', (els) => els.length)).toBe(1);
    expect(await page.evaluate(() => window.__state.extra.ins)).toMatch(/^heap\.string-concat:main\.joinIDs:(18|20)$/);
    await page.close();
  });

  it("a goroutine profile compared with the Goroutines tab's base shows the growth", async () => {
    const page = await open(`id=${svc.ids.growth2}&gbase=${svc.ids.growth1}`);
    await page.waitForSelector('.insight[data-rule="goroutine.growth"]');
    expect(await page.textContent('.insight[data-rule="goroutine.growth"] .insight-text')).toBe(
      'Goroutines blocked on chan send in main.firstOf.func1 grew from 8 to 32',
    );
    expect(await page.textContent('.insights-status')).toContain(`Compared with the earlier goroutine profile ${svc.ids.growth1}.`);
    await page.close();
  });

  it('renders a concept page with its sections, Go example and related links', async () => {
    const page = await open('page=/concepts/escape-analysis');
    await page.waitForSelector('article.concept');
    expect(await page.textContent('h1.concept-title')).toMatch(/Escape analysis/);
    expect(await page.$$eval('pre.lang-go', (els) => els.length)).toBeGreaterThan(0);
    expect(await page.textContent('article.concept')).toContain('moved to heap');
    await page.click('.concept-related a[data-slug="stack-vs-heap"]');
    expect(await page.evaluate(() => window.__opened)).toEqual(['/concepts/stack-vs-heap']);
    await page.screenshot({ path: join(SHOTS, 'concept-escape-analysis.png'), fullPage: true });
    await page.close();
  });
});
