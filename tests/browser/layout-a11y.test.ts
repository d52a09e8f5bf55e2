// Every page on a phone (360x740) and a small laptop (1024x700): no horizontal page
// scroll (wide tables and code scroll in their own box), the profile name and the
// Copy link / Download buttons in sight; axe-core finds no serious or critical
// violation on the start page, each profile tab, a concept page and the live-capture
// watch page, in the light and the dark theme; every control is reached with Tab and
// shows its focus; touch: a tap zooms the flame graph, a long press opens its menu; and the
// smaller things of issue 17: the legend's own share, zoom-aware search figures, the
// column popover's place, links to the concept pages.
// Screenshots go to tests/.screenshots/layout-<width>-<theme>-<view>.png (git-ignored).
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureStatus } from '../../contract/capture.js';
import { scaledLabel } from '../../contract/format.js';
import type { TopReport } from '../../contract/views.js';
import { sampleBytes, SHOTS, startHarness, uploadBytes, type Harness } from './web-harness.js';

let H: Harness;
let pprofEndpoint: Server;
const ids: Record<string, string> = {};
let watchId = '';

interface ViewCase {
  name: string;
  path: () => string;
  /** A selector present once the view has drawn its content. */
  ready: string;
}

const flameReady = '.view[data-view=flame][data-ready=true] g.frame';
const VIEWS: ViewCase[] = [
  { name: 'start', path: () => '/', ready: 'table.profiles td.name a' },
  { name: 'flame', path: () => `/p/${ids.cpu}`, ready: flameReady },
  { name: 'top', path: () => `/p/${ids.cpu}?v=top`, ready: '.top-view[data-ready=true] .top-body .top-row' },
  { name: 'source', path: () => `/p/${ids.cpu}?v=source&fn=main.walk`, ready: '.source-view[data-ready=true] .routine .src-line' },
  { name: 'peek', path: () => `/p/${ids.cpu}?v=peek&pk=main.walk`, ready: '.peek-view tbody.peek-entry' },
  { name: 'sandwich', path: () => `/p/${ids.cpu}?v=sandwich&sw=main.walk`, ready: '.sandwich-view .sw-callers g.frame' },
  { name: 'callgraph', path: () => `/p/${ids.cpu}?v=graph`, ready: '.graph-view[data-nodes] svg g.node' },
  { name: 'compare', path: () => `/p/${ids.after}?v=compare&base=${ids.before}`, ready: '.compare-view[data-ready=true]' },
  { name: 'insights', path: () => `/p/${ids.heap}?panel=insights`, ready: '.side-panel .insight' },
  { name: 'labels', path: () => `/p/${ids.labels}?panel=labels`, ready: '.labels-key .labels-bar' },
  { name: 'sizes', path: () => `/p/${ids.heap}?v=top&panel=sizes`, ready: '.size-table .size-row' },
  { name: 'merge', path: () => `/p/${ids.cpu}?panel=merge`, ready: '.merge-pick li' },
  { name: 'goroutines', path: () => `/p/${ids.goroutine}?v=goroutines`, ready: '.goroutine-group' },
  { name: 'concept', path: () => '/concepts/escape-analysis', ready: 'article.concept h1' },
  { name: 'concepts', path: () => '/concepts', ready: '.concepts-list li' },
  { name: 'watch', path: () => `/watch/${watchId}`, ready: '.watch-state[data-state=done]' },
];

async function open(page: Page, v: ViewCase): Promise<Page> {
  await page.goto(H.base + v.path());
  await page.waitForSelector(v.ready, { timeout: 30_000 });
  // Fonts and late layout (ResizeObserver redraws) settle before measuring.
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
  return page;
}

/** The page's own horizontal overflow, and the outermost elements sticking out of the viewport. */
async function overflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const se = document.scrollingElement!;
    const vw = se.clientWidth;
    const culprits: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const r = el.getBoundingClientRect();
      const p = el.parentElement!.getBoundingClientRect();
      if (r.width > 0 && r.right > vw + 0.5 && p.right <= vw + 0.5)
        culprits.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`);
    }
    return { scrollWidth: se.scrollWidth, clientWidth: vw, culprits };
  });
}

beforeAll(async () => {
  H = await startHarness();
  ids.cpu = await uploadBytes(H.base, sampleBytes('cpu/cpu.pb.gz'), 'a-rather-long-profile-name-from-ci/cpu.pb.gz');
  ids.before = await uploadBytes(H.base, sampleBytes('before-after/cpu.before.pb.gz'), 'cpu.before.pb.gz');
  ids.after = await uploadBytes(H.base, sampleBytes('before-after/cpu.after.pb.gz'), 'cpu.after.pb.gz');
  ids.heap = await uploadBytes(H.base, sampleBytes('boxing/heap.pb.gz'), 'boxing/heap.pb.gz');
  ids.labels = await uploadBytes(H.base, sampleBytes('labels/cpu.pb.gz'), 'labels/cpu.pb.gz');
  ids.goroutine = await uploadBytes(H.base, sampleBytes('goroutines/goroutine.pb.gz'), 'goroutines/goroutine.pb.gz');
  // A stand-in /debug/pprof endpoint on loopback for the watch page: it serves a stored goroutine profile.
  const goroutine = sampleBytes('goroutines/goroutine.pb.gz');
  pprofEndpoint = createServer((req, res) => {
    if (req.url?.startsWith('/debug/pprof/goroutine')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(goroutine);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => pprofEndpoint.listen(0, '127.0.0.1', r));
  const port = (pprofEndpoint.address() as { port: number }).port;
  const res = await fetch(`${H.base}/api/captures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: `http://127.0.0.1:${port}`, profile: 'goroutine', watch: { intervalSeconds: 1, count: 2 } }),
  });
  expect(res.status).toBe(202);
  watchId = ((await res.json()) as CaptureStatus).cid;
  // Wait for the watch to finish its two snapshots (the hook's timeout bounds the wait).
  for (;;) {
    const s = (await (await fetch(`${H.base}/api/captures/${watchId}`)).json()) as CaptureStatus;
    if (s.state === 'done') break;
    if (s.state !== 'running') throw new Error(`watch ended ${s.state}: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 180_000);

afterAll(async () => {
  await H?.close();
  await new Promise((r) => pprofEndpoint?.close(r));
});

/** Header essentials on screen, the active tab scrolled into the tab strip's view. */
async function headerProblems(page: Page, v: ViewCase, width: number): Promise<string[]> {
  if (!v.path().startsWith('/p/')) return [];
  const out: string[] = [];
  for (const sel of ['.profile-name', '.title-row button:has-text("Copy link")', '.title-row a:has-text("Download")', '.tab.active']) {
    const box = await page.locator(sel).boundingBox();
    if (!box || box.width < 20 || box.x < 0 || box.x + box.width > width)
      out.push(`${v.name}: ${sel} not in view (${JSON.stringify(box)})`);
  }
  return out;
}

/** `rules`: only these axe rules (the dark theme changes colours only, so contrast is what it can break). */
async function seriousViolations(page: Page, v: ViewCase, rules?: string[]): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const res = await (rules ? builder.withRules(rules) : builder).analyze();
  return res.violations
    .filter((x) => x.impact === 'serious' || x.impact === 'critical')
    .map(
      (x) =>
        `${v.name}: ${x.id} (${x.impact}) ${x.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 4)
          .join(' | ')}`,
    );
}

// One pass over every page per viewport and theme: page loads dominate the cost.
describe.each([
  { width: 360, height: 740, theme: 'light', axe: false },
  { width: 1024, height: 700, theme: 'light', axe: true },
  { width: 1024, height: 700, theme: 'dark', axe: true },
] as const)('at $width x $height, $theme theme', ({ width, height, theme, axe }) => {
  it(`every page fits the width without horizontal page scroll${axe ? '; axe-core finds no serious or critical violation' : ''}`, async () => {
    const ctx = await H.newContext({ width, height, dark: theme === 'dark' });
    const page = await ctx.newPage();
    const failures: string[] = [];
    for (const v of VIEWS) {
      await open(page, v);
      const o = await overflow(page);
      if (o.scrollWidth > o.clientWidth) failures.push(`${v.name}: ${o.scrollWidth} > ${o.clientWidth} (${o.culprits.join(', ')})`);
      failures.push(...(await headerProblems(page, v, width)));
      await page.screenshot({ path: join(SHOTS, `layout-${width}-${theme}-${v.name}.png`) });
      if (axe) failures.push(...(await seriousViolations(page, v, theme === 'dark' ? ['color-contrast'] : undefined)));
    }
    await ctx.close();
    expect(failures).toEqual([]);
  }, 600_000);
});

describe('at 360x740', () => {
  it('wide content scrolls inside its own box: the top table, source lines, the tab strip', async () => {
    const ctx = await H.newContext({ width: 360, height: 740 });
    const page = await open(
      await ctx.newPage(),
      VIEWS.find((v) => v.name === 'top')!,
    );
    const box = await page.evaluate(() => {
      const s = document.querySelector<HTMLElement>('.top-scroll')!;
      const name = document.querySelector<HTMLElement>('.top-body .top-row .cell.name')!.getBoundingClientRect();
      return { scrollWidth: s.scrollWidth, clientWidth: s.clientWidth, nameLeft: name.left, nameWidth: name.width };
    });
    expect(box.scrollWidth).toBeGreaterThan(box.clientWidth);
    // The function name is the first column on a phone, in view without scrolling.
    expect(box.nameLeft).toBeLessThan(40);
    expect(box.nameWidth).toBeGreaterThan(100);
    const src = await open(
      await ctx.newPage(),
      VIEWS.find((v) => v.name === 'source')!,
    );
    const lines = await src.evaluate(() => {
      const l = document.querySelector<HTMLElement>('.src-lines')!;
      return { scrollWidth: l.scrollWidth, clientWidth: l.clientWidth, overflowX: getComputedStyle(l).overflowX };
    });
    expect(lines.overflowX).toBe('auto');
    expect(lines.scrollWidth).toBeGreaterThanOrEqual(lines.clientWidth);
    const tabs = await page.evaluate(() => {
      const t = document.querySelector<HTMLElement>('.tabs')!;
      return { scrollWidth: t.scrollWidth, clientWidth: t.clientWidth, overflowX: getComputedStyle(t).overflowX };
    });
    expect(tabs.overflowX).toBe('auto');
    expect(tabs.scrollWidth).toBeGreaterThan(tabs.clientWidth);
    await ctx.close();
  });

  it('the search box and the insights panel do not overlap', async () => {
    const ctx = await H.newContext({ width: 360, height: 740 });
    const page = await open(
      await ctx.newPage(),
      VIEWS.find((v) => v.name === 'insights')!,
    );
    await page.waitForSelector(flameReady);
    const a = (await page.locator('.view[data-view=flame] .search').boundingBox())!;
    const b = (await page.locator('.side-panel').boundingBox())!;
    const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    expect(overlap).toBe(false);
    await ctx.close();
  });

  it('touch: a tap zooms into a frame, a long press opens the frame menu', async () => {
    const ctx = await H.browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
    const page = await ctx.newPage();
    await page.goto(`${H.base}/p/${ids.cpu}`);
    await page.waitForSelector(flameReady);
    const target = async (name: string) => {
      const fs = await page.evaluate(() =>
        (
          window as unknown as { pprofLensDebug: { frames(): { name: string; x: number; y: number; w: number; h: number }[] } }
        ).pprofLensDebug.frames(),
      );
      const f = fs.filter((x) => x.name === name).sort((p, q) => q.w - p.w)[0]!;
      const c = (await page.locator('.flame-canvas').boundingBox())!;
      return { x: c.x + f.x + Math.min(f.w / 2, 20), y: c.y + f.y + f.h / 2 };
    };
    const mm = await target('main.main');
    await page.locator('.flame-canvas').scrollIntoViewIfNeeded();
    const p = await target('main.main');
    await page.touchscreen.tap(p.x, p.y);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('z') === JSON.stringify(['runtime.main', 'main.main']));
    void mm;
    // Long press: the finger stays down until the menu is open, then lifts.
    const q = await target('main.main');
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: q.x, y: q.y }] });
    await page.waitForSelector('.menu:not([hidden]) .menu-item');
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    expect(await page.locator('.menu .menu-title').innerText()).toBe('main.main');
    // Lifting the finger neither zoomed out nor closed the menu.
    expect(await page.locator('.menu').isVisible()).toBe(true);
    expect(new URL(page.url()).searchParams.get('z')).toBe(JSON.stringify(['runtime.main', 'main.main']));
    await page.screenshot({ path: join(SHOTS, 'layout-360-touch-menu.png') });
    await page.locator('.menu .menu-item', { hasText: 'Show source' }).tap();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('v') === 'source');
    await ctx.close();
  });
});

describe('keyboard', () => {
  it('Tab reaches every control of the profile page, each with a visible focus indicator', async () => {
    const ctx = await H.newContext({ width: 1024, height: 700 });
    const page = await open(
      await ctx.newPage(),
      VIEWS.find((v) => v.name === 'top')!,
    );
    // Mark every visible control, then Tab through the page and see which ones got focus.
    const total = await page.evaluate(() => {
      const sel =
        'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
      let n = 0;
      for (const el of document.querySelectorAll<HTMLElement>(sel)) {
        const r = el.getBoundingClientRect();
        if (
          !r.width ||
          !r.height ||
          el.closest('.offscreen') ||
          !el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })
        )
          continue;
        el.dataset.kbd = String(n++);
      }
      return n;
    });
    expect(total).toBeGreaterThan(20);
    const reached = new Set<string>();
    const noFocusRing: string[] = [];
    for (let i = 0; i < total * 2 && reached.size < total; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const cs = getComputedStyle(el);
        const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
        return { id: el.dataset.kbd ?? null, ring, what: `${el.tagName.toLowerCase()}.${el.className} ${el.textContent?.slice(0, 30)}` };
      });
      if (!f) continue;
      if (f.id !== null) reached.add(f.id);
      if (!f.ring) noFocusRing.push(f.what);
    }
    const missed = await page.evaluate(
      (got) =>
        [...document.querySelectorAll<HTMLElement>('[data-kbd]')]
          .filter((el) => !got.includes(el.dataset.kbd!))
          .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.textContent?.slice(0, 30)}`),
      [...reached],
    );
    expect(missed).toEqual([]);
    expect([...new Set(noFocusRing)]).toEqual([]);
    await ctx.close();
  });

  it('tabs, top table rows and the flame graph work from the keyboard', async () => {
    const ctx = await H.newContext({ width: 1024, height: 700 });
    const page = await open(
      await ctx.newPage(),
      VIEWS.find((v) => v.name === 'top')!,
    );
    // Top table: focus the rows, arrow down selects the next row, Enter shows it in the flame graph.
    await page.locator('.top-scroll').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('.top-row.selected');
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(
      () => (window as unknown as { pprofLensTop: { displayed(): { name: string }[] } }).pprofLensTop.displayed()[1]!.name,
    );
    expect(await page.locator('.top-row.selected .cell.name').innerText()).toBe(second);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('v') === null);
    await page.waitForSelector(flameReady);
    // Flame graph: focus the chart, arrows walk frames, Enter zooms, Shift+F10 opens the menu.
    await page.locator('.flame-canvas').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.has('z'));
    await page.keyboard.press('Shift+F10');
    await page.waitForSelector('.menu:not([hidden]) .menu-item:focus');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.menu', { state: 'hidden' });
    // Tabs: arrow keys move between tabs, as the tablist pattern expects.
    await page.locator('.tab.active').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('v') === 'top');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-tab'))).toBe('top');
    await ctx.close();
  });
});

describe('smaller things (issue 17, item 8)', () => {
  it('a legend click reports the package’s own (flat) share; while zoomed the search shows zoom and whole profile', async () => {
    const ctx = await H.newContext({ width: 1024, height: 700 });
    const page = await open(
      await ctx.newPage(),
      VIEWS.find((v) => v.name === 'flame')!,
    );
    await page.locator('.legend-item', { hasText: 'runtime' }).click();
    await page.waitForFunction(() => /^package runtime: own /.test(document.querySelector('.flame-view .match-info')?.textContent ?? ''));
    const info = await page.locator('.flame-view .match-info').innerText();
    // Own share = the flat of runtime's functions in pprof's top (API rows, every row).
    const top = (await (await fetch(`${H.base}/api/profiles/${ids.cpu}/top?nodeFraction=0`)).json()) as TopReport;
    const flat = top.rows.filter((r) => r.name.startsWith('runtime.')).reduce((s, r) => s + r.flat, 0);
    const pct = `${Number(((100 * flat) / top.total).toFixed(1))}%`;
    expect(info).toContain(`own ${scaledLabel(flat, 'nanoseconds', 'auto')} · ${pct} of total (flat)`);
    expect(pct).not.toBe('100%');
    // Every stack passes through runtime.main: that is the cum figure, labelled as such.
    expect(info).toMatch(/on the stack .* · 100% of total \(cum\)$/);
    expect(await page.locator('.flame-view .match-info').getAttribute('title')).toMatch(
      /flat: samples in the matching functions themselves/,
    );
    // Zoom into main.main: the figures for the zoom and for the whole profile, side by side.
    const url = new URL(page.url());
    url.searchParams.set('z', JSON.stringify(['runtime.main', 'main.main']));
    await page.goto(url.toString());
    await page.waitForSelector(flameReady);
    await page.waitForFunction(() =>
      / of main\.main \(zoom\) \/ /.test(document.querySelector('.flame-view .match-info')?.textContent ?? ''),
    );
    await page.screenshot({ path: join(SHOTS, 'layout-1024-legend-zoomed.png') });
    await ctx.close();
  });

  it('the column explanation opens above the table header, not over its first rows', async () => {
    const ctx = await H.newContext({ width: 1024, height: 700 });
    const page = await open(
      await ctx.newPage(),
      VIEWS.find((v) => v.name === 'top')!,
    );
    await page.locator('.top-head [data-col="flat"]').hover();
    await page.waitForSelector('.explain-tip:not([hidden])');
    const tip = (await page.locator('.explain-tip').boundingBox())!;
    const head = (await page.locator('.top-head').boundingBox())!;
    const firstRow = (await page.locator('.top-body .top-row').first().boundingBox())!;
    expect(tip.y + tip.height).toBeLessThanOrEqual(head.y);
    expect(tip.y + tip.height).toBeLessThan(firstRow.y);
    await ctx.close();
  });

  it('concept pages are linked from the header and the start page', async () => {
    const ctx = await H.newContext({ width: 360, height: 740 });
    const page = await open(
      await ctx.newPage(),
      VIEWS.find((v) => v.name === 'start')!,
    );
    await page.locator('.hero a', { hasText: 'Reading pprof output' }).click();
    await page.waitForSelector('article.concept[data-slug="reading-pprof"] h1');
    await page.goto(`${H.base}/p/${ids.cpu}`);
    await page.waitForSelector(flameReady);
    await page.locator('.topbar a', { hasText: 'Concepts' }).click();
    await page.waitForSelector('.concepts-list li');
    expect(new URL(page.url()).pathname).toBe('/concepts');
    await ctx.close();
  });
});
