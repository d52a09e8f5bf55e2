// Sharing in the web UI of a --shared server, in real headless Chromium: the upload's
// manage token stays in the uploader's browser, the start page lists that browser's own
// uploads (the server lists nobody's), the profile page shows the expiry, a sanitised copy
// shows what it removes before it is stored, and the owner deletes; another browser sees
// none of the owner's controls.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/http/server.js';
import { buildWeb, CHROMIUM_ARGS, ROOT } from './web-harness.js';

let server: RunningServer;
let browser: Browser;
const tmp = mkdtempSync(join(tmpdir(), 'pprof-lens-sharing-ui-'));

beforeAll(async () => {
  const webRoot = join(tmp, 'web');
  buildWeb(webRoot);
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    store: { backend: 'fs', dir: join(tmp, 'data') },
    samplesDir: null,
    webRoot,
    config: { shared: true },
    log: () => undefined,
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 180_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('sharing on a --shared server', () => {
  it('owner: upload, own list, expiry, sanitised copy, delete; a stranger sees no controls', { timeout: 180_000 }, async () => {
    const owner = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await owner.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.setInputFiles('#file-input', join(ROOT, 'samples/cpu/cpu.pb.gz'));
    await page.waitForURL(/\/p\/[a-z2-7]{32}$/);
    const id = page.url().split('/p/')[1];
    const stored = await page.evaluate(
      () => JSON.parse(localStorage.getItem('pprof-lens.owned') ?? '[]') as { id: string; token: string }[],
    );
    expect(stored.map((o) => o.id)).toEqual([id]);
    await page.waitForSelector('[data-testid=expires]');
    expect(await page.textContent('[data-testid=expires]')).toBe('in 30 days');

    // A sanitised copy: the preview lists what goes, confirming stores it.
    await page.click('[data-testid=sanitise]');
    await page.waitForSelector('dialog.sanitise section');
    const preview = await page.textContent('dialog.sanitise');
    expect(preview).toContain('Binary paths and build ids');
    expect(preview).toContain('every number in every view stays the same');
    await page.click('[data-testid=sanitise-confirm]');
    await page.waitForSelector('[data-testid=sanitised-link]');
    const copyUrl = (await page.getAttribute('[data-testid=sanitised-link]', 'href'))!;
    const copyId = copyUrl.split('/p/')[1];
    await page.keyboard.press('Escape');

    // The start page lists this browser's uploads (the server lists none without sign-in).
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => document.querySelectorAll('table.profiles td.name a').length === 2);
    expect((await (await fetch(`${server.url}/api/profiles`)).json()).total).toBe(0);

    // A stranger with the link reads it but has no controls.
    const stranger = await browser.newContext();
    const sp = await stranger.newPage();
    await sp.goto(`${server.url}/p/${id}`);
    await sp.waitForSelector('[data-testid=expires]');
    expect(await sp.locator('[data-testid=delete-profile]').count()).toBe(0);
    await sp.goto(`${server.url}/`);
    await sp.waitForSelector('table.profiles td.muted');
    expect(await sp.locator('table.profiles td.name a').count()).toBe(0);

    // The owner deletes: the link stops working for everyone.
    await page.goto(`${server.url}/p/${id}`);
    page.on('dialog', (d) => void d.accept());
    await page.click('[data-testid=delete-profile]');
    await page.waitForURL(`${server.url}/`);
    expect((await fetch(`${server.url}/api/profiles/${id}`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/profiles/${copyId}`)).status).toBe(200);
    await page.waitForFunction(() => document.querySelectorAll('table.profiles td.name a').length === 1);
    expect(errors).toEqual([]);
    await stranger.close();
    await owner.close();
  });
});
