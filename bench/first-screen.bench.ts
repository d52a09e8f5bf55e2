// The first screen of a large profile in the real page (issue 15): a synthetic profile
// (scripts/gen-profile.ts) uploaded to a `pprof-lens serve` process, its page opened in
// headless Chromium at once (the upload's warm-up still running) and again on a second
// server on the same store (nothing decoded: a link opened after a restart). Prints, from
// navigation start, when the header's total and the drawn flame graph appear, and which
// came first. Figures, not pass/fail; bench/RESULTS.md records them.
//   FIRST_SCREEN_SIZES=300000 npx tsx bench/first-screen.bench.ts   (default 300000,1000000)
//   FIRST_SCREEN_SHAPES=realistic,worst                              (default realistic)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { generateProfileGz, type ProfileShape } from '../scripts/gen-profile.js';
import { CHROMIUM_ARGS } from '../tests/browser/web-harness.js';
import { root, startServe, timed, type ServeProcess } from './serve-process.js';

const tmp = path.join(root, 'bench/.tmp/first-screen');
mkdirSync(tmp, { recursive: true });
const sizes = (process.env.FIRST_SCREEN_SIZES ?? '300000,1000000').split(',').map(Number);
const shapes = (process.env.FIRST_SCREEN_SHAPES ?? 'realistic').split(',') as ProfileShape[];

function input(shape: ProfileShape, n: number): string {
  const f = path.join(tmp, `${shape}-${n}.pb.gz`);
  if (!existsSync(f)) writeFileSync(f, generateProfileGz({ samples: n, shape, seed: 1 }));
  return f;
}

interface FirstScreen {
  /** ms from navigation start; NaN when never shown. */
  total: number;
  flame: number;
}

/** Opens the profile's page and waits for both the header's total and the drawn flame graph. */
async function openPage(browser: Browser, url: string): Promise<FirstScreen> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      const at = { total: NaN, flame: NaN };
      (window as unknown as { firstScreen: typeof at }).firstScreen = at;
      new MutationObserver(() => {
        const total = document.querySelector('[data-testid=total]')?.textContent;
        if (Number.isNaN(at.total) && total && total !== '…') at.total = performance.now();
        if (Number.isNaN(at.flame) && document.querySelector('.view[data-view=flame][data-ready=true]')) at.flame = performance.now();
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.goto(url);
    await page.waitForFunction(
      () => {
        const at = (window as unknown as { firstScreen: FirstScreen }).firstScreen;
        return !Number.isNaN(at.total) && !Number.isNaN(at.flame);
      },
      null,
      { timeout: 600_000 },
    );
    return await page.evaluate(() => (window as unknown as { firstScreen: FirstScreen }).firstScreen);
  } finally {
    await ctx.close();
  }
}

const f0 = (x: number) => x.toFixed(0);
console.log(`uptime: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
console.log('| shape | samples | page opened | upload ms | header total shown ms | flame graph drawn ms | first |');
console.log('|---|---:|---|---:|---:|---:|---|');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  for (const shape of shapes) {
    for (const n of sizes) {
      const bytes = readFileSync(input(shape, n));
      const data = path.join(tmp, `data-${process.pid}`);
      let srv: ServeProcess | null = await startServe(data);
      try {
        const [up, res] = await timed(() =>
          fetch(`${srv!.url}/api/profiles`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } }),
        );
        const { id } = (await res.json()) as { id: string };
        const row = (open: string, upload: string, s: FirstScreen) =>
          console.log(
            `| ${shape} | ${n} | ${open} | ${upload} | ${f0(s.total)} | ${f0(s.flame)} | ${s.total <= s.flame ? 'total' : 'flame'} |`,
          );
        row('right after the upload', f0(up), await openPage(browser, `${srv.url}/p/${id}`));
        srv.child.kill();
        await new Promise((r) => srv!.child.once('exit', r));
        srv = await startServe(data, [], 'inherit', false);
        row('server restarted (cold)', '-', await openPage(browser, `${srv.url}/p/${id}`));
      } finally {
        srv?.child.kill();
        rmSync(data, { recursive: true, force: true });
      }
    }
  }
} finally {
  await browser.close();
}
