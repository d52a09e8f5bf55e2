// The Compare tab in Chromium against the real server and the built UI: a CPU profile
// compared with its "before" run, numbers as the diff API (= go tool pprof) gives them,
// state in the URL, the colour-blind palette, and a refused CPU-vs-heap comparison.
// Screenshots go to tests/.screenshots/compare-*.png.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/http/server.js';
import type { DiffTopReport } from '../../contract/diff.js';
import { diffCases, refPath, ROOT } from '../unit/diff-references.js';

const SHOTS = join(ROOT, 'tests/.screenshots');
const FILES = {
  before: 'samples/before-after/cpu.before.pb.gz',
  after: 'samples/before-after/cpu.after.pb.gz',
  heap: 'samples/before-after/heap.2.pb.gz',
};

let server: RunningServer;
let browser: Browser;
let dir: string;
// Built UI in a private temp directory (parallel builds do not clash; no dot-directory in
// the path, which the static file server refuses).
const WEB = mkdtempSync(join(tmpdir(), 'pprof-lens-compare-web-'));
const ids: Record<string, string> = {};

beforeAll(async () => {
  // The UI as users get it, built to a private directory so parallel builds do not clash.
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--outDir', WEB, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  dir = mkdtempSync(join(tmpdir(), 'pprof-lens-compare-ui-'));
  server = await startServer({ port: 0, store: { backend: 'fs', dir }, workers: 0, samplesDir: null, webRoot: WEB, log: () => {} });
  for (const [k, f] of Object.entries(FILES)) {
    ids[k] = (await server.service.storeProfile(new Uint8Array(readFileSync(join(ROOT, f))), f.split('/').pop()!)).id;
  }
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(WEB, { recursive: true, force: true });
});

async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + path);
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}

async function ready(page: Page, state = 'true'): Promise<void> {
  await page.waitForSelector(`.compare-view[data-ready="${state}"]`, { timeout: 30_000 });
}

describe('Compare tab', () => {
  it('shows the differential flame graph and the base/new/delta table of go tool pprof -diff_base', async () => {
    const page = await open(`/p/${ids.after}?view=compare&base=${ids.before}`);
    await ready(page);
    // The issue's `view=` form became the page's `v=` key; base stays in the URL.
    const url = new URL(page.url());
    expect(url.searchParams.get('v')).toBe('compare');
    expect(url.searchParams.get('base')).toBe(ids.before);

    const api = (await (
      await fetch(`${server.url}/api/profiles/${ids.after}/diff?base=${ids.before}&nodeFraction=0`)
    ).json()) as DiffTopReport;
    const rows = await page.$$eval('.compare-table tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    expect(rows.length).toBe(api.rows.length);
    // Every row, in pprof order, shows what `go tool pprof -top -nodefraction=0 -diff_base`
    // prints: Δ flat, flat%, Δ cum, cum% and the name (reference made by the script).
    const c = diffCases().find((k) => k.name === 'before-after.cpu')!;
    const text = readFileSync(refPath(c, 'diff_base.nodefraction0.top.txt'), 'utf8').split('\n');
    const start = text.findIndex((l) => /^\s+flat\s+flat%/.test(l)) + 1;
    const pprofRows = text
      .slice(start)
      .filter((l) => l.trim())
      .map((l) => {
        const [flat, flatPct, , cum, cumPct, ...name] = l.trim().split(/\s+/);
        return [flat, flatPct, cum, cumPct, name.join(' ')];
      });
    expect(rows.length).toBe(pprofRows.length);
    const shown = rows.map((r) => [r[2]!.replace(/^\+/, ''), r[3], r[6]!.replace(/^\+/, ''), r[7], r[9]!.replace(/ (new|gone)$/, '')]);
    expect(shown).toEqual(pprofRows);
    // Vanished and appeared functions are marked.
    const gone = api.rows.filter((r) => r.newCum === 0 && r.baseCum !== 0).length;
    const fresh = api.rows.filter((r) => r.baseCum === 0 && r.newCum !== 0).length;
    expect(await page.locator('.compare-table .badge-gone').count()).toBe(gone);
    expect(await page.locator('.compare-table .badge-new').count()).toBe(fresh);
    expect(gone + fresh).toBeGreaterThan(0);

    const frames = Number(await page.getAttribute('.diff-flame-canvas', 'data-frames'));
    expect(frames).toBeGreaterThan(5);
    const legend = await page.textContent('.compare-legend');
    expect(legend).toContain('red: grew / new');
    expect(legend).toContain('green: shrank / gone');
    expect(legend).toContain('Width = the frame');
    expect(await page.textContent('.compare-summary')).toContain('Absolute change');
    expect(await page.textContent('.compare-summary')).toContain('Percentages are of the base total');
    await page.screenshot({ path: join(SHOTS, 'compare-cpu.png'), fullPage: true });

    // Sort by delta: the first row has the largest signed delta flat.
    await page.click('.compare-table th button:has-text("Δ flat")');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('csort') === 'dflat');
    const maxDelta = Math.max(...api.rows.map((r) => r.flat));
    const top = api.rows.find((r) => r.flat === maxDelta)!;
    expect(await page.textContent('.compare-table tbody tr:first-child td.name')).toContain(top.name);

    // Normalised view and the colour-blind palette are URL state too.
    await page.click('.compare-norm');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('norm') === '1');
    await ready(page);
    await page.waitForFunction(() => document.querySelector('.compare-summary')?.textContent?.includes('Normalised'));
    await page.selectOption('.compare-palette', 'cb');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('palette') === 'cb');
    expect(await page.textContent('.compare-legend')).toContain('orange: grew / new');
    await page.screenshot({ path: join(SHOTS, 'compare-cpu-normalized-cb.png') });

    // The link reproduces the view.
    const shared = await open(new URL(page.url()).pathname + new URL(page.url()).search);
    await ready(shared);
    expect(await shared.inputValue('.compare-palette')).toBe('cb');
    expect(await shared.getAttribute('.compare-norm', 'aria-pressed')).toBe('true');
    expect((shared as Page & { errors: string[] }).errors).toEqual([]);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
  });

  it('captures a live snapshot from a /debug/pprof endpoint and uses it as the base', async () => {
    // A loopback stand-in for a Go service: serves the "before" CPU profile.
    const before = readFileSync(join(ROOT, FILES.before));
    const seen: string[] = [];
    const target: Server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url?.startsWith('/debug/pprof/profile')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(before);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (target.address() as AddressInfo).port;
      const page = await open(`/p/${ids.after}?v=compare`);
      await ready(page, 'empty');
      await page.click('.compare-live summary');
      await page.fill('.compare-live-url', `http://127.0.0.1:${port}`);
      await page.fill('.compare-live-seconds', '1');
      await page.click('.compare-live button');
      await ready(page);
      // Same bytes, same content-derived id: the capture became the base.
      expect(new URL(page.url()).searchParams.get('base')).toBe(ids.before);
      expect(seen.some((u) => u.startsWith('/debug/pprof/profile?seconds=1'))).toBe(true);
      expect(await page.locator('.compare-table tbody tr').count()).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((r) => target.close(() => r()));
    }
  });

  it('offers only profiles of the same type as base, and refuses CPU vs heap with the reason', async () => {
    const page = await open(`/p/${ids.after}?v=compare`);
    await ready(page, 'empty');
    const options = await page.$$eval('.compare-base option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toContain(ids.before);
    expect(options).not.toContain(ids.heap);
    await page.selectOption('.compare-base', ids.before);
    await ready(page);
    expect(new URL(page.url()).searchParams.get('base')).toBe(ids.before);

    const bad = await open(`/p/${ids.after}?v=compare&base=${ids.heap}`);
    await ready(bad, 'error');
    expect(await bad.textContent('.compare-status')).toMatch(
      /^Cannot compare profile .* with base .*: they are not the same kind of profile/,
    );
    expect(await bad.isHidden('.compare-flame')).toBe(true);
    await bad.screenshot({ path: join(SHOTS, 'compare-refused.png') });
  });
});
