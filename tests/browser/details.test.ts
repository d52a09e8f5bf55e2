// Issue 17 (items 2-7) in Chromium: the filter banner and its chips, pprof's default units,
// invalid regexps said beside their field, non-profile uploads, uploads that keep their
// names, and the Source tab's headers, first function and single missing-source message.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptSentence, scaledLabel } from '../../contract/format.js';
import type { TopReport } from '../../contract/views.js';
import { encodeProfile, sampleBytes, SHOTS, startHarness, uploadBytes, type Harness } from './web-harness.js';

let H: Harness;
const ids: Record<string, string> = {};

async function apiTop(id: string, q = ''): Promise<TopReport> {
  return (await (await fetch(`${H.base}/api/profiles/${id}/top?${q}`)).json()) as TopReport;
}

async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const ctx = await H.newContext();
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${H.base}${url}`);
  return { page, errors };
}

beforeAll(async () => {
  H = await startHarness();
  ids.cpu = await uploadBytes(H.base, sampleBytes('cpu/cpu.pb.gz'), 'cpu.pb.gz');
  // A heap profile whose every-row unit (kB) differs from pprof's default -top unit (MB).
  ids.heap = await uploadBytes(H.base, sampleBytes('pointers/heap.pb.gz'), 'pointers-heap.pb.gz');
  // Three functions in files nobody has, and one with no file at all.
  ids.nosrc = await uploadBytes(
    H.base,
    encodeProfile({
      sampleTypes: [['samples', 'count']],
      samples: [
        { stack: ['main.a', 'main.main'], values: [30] },
        { stack: ['main.b', 'main.main'], values: [20] },
        { stack: ['main.nofile', 'main.main'], values: [10] },
      ],
      fileOf: (fn) => (fn === 'main.nofile' ? '' : `/build/nowhere/${fn.slice(5)}.go`),
    }),
    'nosrc.pb.gz',
  );
}, 120_000);

afterAll(async () => {
  await H?.close();
});

describe('filter banner', () => {
  it("shows pprof's kept/total sentence with a chip per filter; removing a chip updates URL and view", async () => {
    const { page, errors } = await open(`/p/${ids.cpu}?v=top&f=main%5C.&h=runtime`);
    const banner = page.getByTestId('filter-banner');
    await banner.waitFor();
    const rep = await apiTop(ids.cpu, 'focus=main%5C.&hide=runtime&n=1');
    await expect.poll(() => page.getByTestId('filter-kept').innerText(), { timeout: 15_000 }).toBe(keptSentence(rep));
    expect(rep.kept).toBeLessThan(rep.total);
    expect(await banner.locator('.filter-chip span').allInnerTexts()).toEqual(['focus=main\\.', 'hide=runtime']);
    await page.screenshot({ path: join(SHOTS, 'details-filter-banner.png') });
    await page.getByRole('button', { name: 'Remove filter hide=runtime' }).click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('h'));
    expect(new URL(page.url()).searchParams.get('f')).toBe('main\\.');
    const after = await apiTop(ids.cpu, 'focus=main%5C.&n=1');
    await expect.poll(() => page.getByTestId('filter-kept').innerText(), { timeout: 15_000 }).toBe(keptSentence(after));
    // Another tab: the same banner, the same figures.
    await page.getByRole('tab', { name: 'Flame graph' }).click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('v'));
    expect(await page.getByTestId('filter-kept').innerText()).toBe(keptSentence(after));
    await page.getByRole('button', { name: 'Remove filter focus=main\\.' }).click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('f'));
    await expect.poll(() => banner.isHidden(), { timeout: 15_000 }).toBe(true);
    // The flame graph shows the banner too (it is the page's, above every view).
    await page.goto(`${H.base}/p/${ids.cpu}?i=runtime`);
    await expect.poll(() => page.getByTestId('filter-banner').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('units', () => {
  it("the Top table and the header read in go tool pprof's default unit (MB, not hundreds of thousands of kB)", async () => {
    const { page, errors } = await open(`/p/${ids.heap}?v=top`);
    await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
    const rep = await apiTop(ids.heap);
    expect(rep.displayUnit).not.toBe(rep.unit);
    const first = await page.locator('.top-body .top-row >> nth=0 >> .cell >> nth=0').innerText();
    expect(first).toBe(scaledLabel(rep.rows[0]!.flat, rep.sampleType.unit, rep.displayUnit));
    await expect
      .poll(() => page.getByTestId('total').innerText(), { timeout: 15_000 })
      .toBe(scaledLabel(rep.total, rep.sampleType.unit, rep.displayUnit));
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('invalid regular expressions', () => {
  it('search, filter and refine fields say what is wrong beside the field', async () => {
    const { page, errors } = await open(`/p/${ids.cpu}?v=top`);
    await page.waitForSelector('.top-view[data-ready=true] .top-body .top-row');
    const search = page.getByRole('searchbox', { name: 'Filter rows' });
    await search.fill('main.(walk');
    await expect.poll(() => search.getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
    const problem = page.locator('.top-view .field-problem');
    expect(await problem.innerText()).toBe('Invalid regexp: missing closing ): `main.(walk` (matching the text literally)');
    await search.fill('main\\.walk');
    await expect.poll(() => problem.isHidden(), { timeout: 15_000 }).toBe(true);
    // A refine filter that does not compile is not applied: the message sits beside it.
    await page.getByRole('button', { name: 'Filters', exact: true }).click();
    const focus = page.locator('form.refine input[name=focus]');
    await focus.fill('(');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    const msg = page.locator('form.refine label.filter:has(input[name=focus]) .field-problem');
    await expect.poll(() => msg.innerText(), { timeout: 15_000 }).toBe('Invalid regexp: missing closing ): `(`');
    expect(new URL(page.url()).searchParams.has('f')).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'details-invalid-regexp.png') });
    // A tag filter the server refuses: its 400 lands beside that field.
    await page.goto(`${H.base}/p/${ids.cpu}?v=top&tagfocus=k%3D(`);
    const tagMsg = page.locator('form.refine label.filter:has(input[name=tagFocus]) .field-problem');
    await expect
      .poll(() => tagMsg.innerText(), { timeout: 15_000 })
      .toMatch(/^parsing tagfocus regexp: error parsing regexp: missing closing \)/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('uploads', () => {
  it('a PNG upload turns the bar to an error and says what the file is and how to get a profile', async () => {
    const { page } = await open('/');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    await page.setInputFiles('#file-input', { name: 'screenshot.png', mimeType: 'image/png', buffer: png });
    const item = page.locator('li.upload.failed');
    await item.waitFor();
    const status = item.locator('.status');
    expect(await status.getAttribute('role')).toBe('alert');
    expect(await status.innerText()).toMatch(
      /^Upload failed: this is a PNG image, not a profile; a profile comes from .*go test -cpuprofile/,
    );
    // Readable: the message has the row's width, not a narrow column.
    const row = (await item.boundingBox())!;
    const box = (await status.boundingBox())!;
    expect(box.width).toBeGreaterThan(row.width * 0.8);
    expect(await item.locator('progress').evaluate((p) => getComputedStyle(p).accentColor)).not.toBe(
      await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()),
    );
    await page.screenshot({ path: join(SHOTS, 'details-upload-png.png') });
    await page.context().close();
  });

  it('dropping mem.prof whose bytes another upload has opens a page titled mem.prof; Download saves mem.prof', async () => {
    const bytes = sampleBytes('mapgrow/heap.pb.gz');
    await uploadBytes(H.base, bytes, 'other-name.pb.gz');
    const { page, errors } = await open('/');
    await page.setInputFiles('#file-input', { name: 'mem.prof', mimeType: 'application/octet-stream', buffer: bytes });
    await page.waitForURL(/\/p\//);
    await expect.poll(() => page.locator('h1.profile-name').innerText(), { timeout: 15_000 }).toBe('mem.prof');
    const download = page.getByRole('link', { name: 'Download' });
    expect(await download.getAttribute('download')).toBe('mem.prof');
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe('mem.prof');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('source tab', () => {
  it('opens on the hottest function, with flat and cum column headers', async () => {
    const { page, errors } = await open(`/p/${ids.cpu}?v=source`);
    await page.waitForSelector('.source-view[data-ready=true] .routine');
    const rep = await apiTop(ids.cpu, 'n=50');
    const hottest = rep.rows.find((r) => r.function && r.flat)!;
    expect(await page.locator('.routine .fn-name').first().innerText()).toBe(hottest.function);
    const heads = await page.locator('.routine').first().getByRole('columnheader').allInnerTexts();
    expect(heads.slice(0, 2)).toEqual(['flat', 'cum']);
    expect(await page.locator('.empty', { hasText: 'Pick a function' }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'details-source-hottest.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('says once that sources are missing, names each file, never an empty name or a missing button', async () => {
    const { page, errors } = await open(`/p/${ids.nosrc}?v=source&fn=main%5C.`);
    await page.waitForSelector('.source-view[data-ready=true] .routine');
    expect(await page.locator('.routine').count()).toBeGreaterThan(2);
    const missing = page.getByTestId('source-missing');
    expect(await missing.count()).toBe(1);
    const text = await missing.innerText();
    expect(text).toContain('/build/nowhere/a.go');
    expect(text).toContain('/build/nowhere/b.go');
    expect(text).toMatch(/No source file recorded[\s\S]*main\.nofile/);
    expect(text).not.toMatch(/names ,|Sources button/);
    // Local server: its one user may upload the sources the hint names.
    expect(await missing.getByRole('button', { name: 'Upload sources…' }).count()).toBe(1);
    expect(text).toContain('Upload sources…');
    await page.screenshot({ path: join(SHOTS, 'details-source-missing.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
