// Exports checked against go tool pprof on sample profiles: folded stacks (each
// function's flat = the lines ending in it, cum = the lines through it, as -top prints
// them) and the filtered pprof (-top on it = -top -relative_percentages with the same
// filters on the original).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/http/server.js';
import { exportFileName } from '../../server/src/export/index.js';
import { ROOT, sample, startTestServer, tempDir } from './server-helpers.js';

let go = '';
let server: RunningServer;
const temp = tempDir();
const scratch = mkdtempSync(join(tmpdir(), 'pprof-lens-export-'));
const ids = new Map<string, string>();

beforeAll(async () => {
  go = execFileSync('bash', [join(ROOT, 'scripts/ensure-go.sh')], { encoding: 'utf8' }).trim();
  server = await startTestServer(temp.dir);
  for (const rel of ['cpu/cpu.pb.gz', 'mapgrow/heap.pb.gz', 'contention/mutex.pb.gz']) {
    const res = await fetch(`${server.url}/api/profiles?name=${encodeURIComponent(rel)}`, { method: 'POST', body: sample(rel) });
    expect(res.status).toBe(201);
    ids.set(rel, ((await res.json()) as { id: string }).id);
  }
}, 120_000);
afterAll(async () => {
  await server?.close();
  temp.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function pprof(args: string[], file: string): string {
  return execFileSync(go, ['tool', 'pprof', ...args, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** name -> [flat, cum] from `-top` rows printed in one base unit. */
function topRows(text: string): Map<string, [number, number]> {
  const rows = new Map<string, [number, number]>();
  for (const line of text.split('\n')) {
    const m = /^\s*(-?[\d.]+)[a-zA-Z]*\s+[\d.]+%\s+[\d.]+%\s+(-?[\d.]+)[a-zA-Z]*\s+[\d.]+%\s+(.*?)( \(inline\))?$/.exec(line);
    if (m) rows.set(m[3], [Number(m[1]), Number(m[2])]);
  }
  return rows;
}

function foldedRows(text: string): Map<string, [number, number]> {
  const rows = new Map<string, [number, number]>();
  for (const line of text.trimEnd().split('\n')) {
    const sp = line.lastIndexOf(' ');
    const frames = line.slice(0, sp).split(';');
    const v = Number(line.slice(sp + 1));
    const leaf = frames[frames.length - 1];
    for (const f of new Set(frames)) {
      const r = rows.get(f) ?? [0, 0];
      r[1] += v;
      if (f === leaf) r[0] += v;
      rows.set(f, r);
    }
  }
  return rows;
}

const cases: { rel: string; si: string; unit: string; api: Record<string, string>; flags: string[] }[] = [
  { rel: 'cpu/cpu.pb.gz', si: '', unit: 'ns', api: {}, flags: [] },
  {
    rel: 'cpu/cpu.pb.gz',
    si: '',
    unit: 'ns',
    api: { focus: 'main\\.(walk|fib)', hide: 'runtime\\.' },
    flags: ['-focus=main\\.(walk|fib)', '-hide=runtime\\.'],
  },
  {
    rel: 'mapgrow/heap.pb.gz',
    si: 'alloc_space',
    unit: 'B',
    api: { ignore: 'main\\.index', showFrom: 'main\\.main' },
    flags: ['-ignore=main\\.index', '-show_from=main\\.main'],
  },
  { rel: 'mapgrow/heap.pb.gz', si: 'alloc_space', unit: 'B', api: { tagFocus: 'bytes=1kB:' }, flags: ['-tagfocus=bytes=1kB:'] },
  { rel: 'contention/mutex.pb.gz', si: 'delay', unit: 'ns', api: { show: 'main\\.|sync\\.' }, flags: ['-show=main\\.|sync\\.'] },
];

const apiQuery = (c: (typeof cases)[number]) => new URLSearchParams({ ...(c.si ? { si: c.si } : {}), ...c.api }).toString();

describe('folded stacks', () => {
  for (const c of cases) {
    it(
      `${c.rel} ${c.flags.join(' ') || '(no filters)'}: flat and cum of every function equal go tool pprof -top`,
      { timeout: 120_000 },
      async () => {
        const res = await fetch(`${server.url}/api/profiles/${ids.get(c.rel)}/export/folded?${apiQuery(c)}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${exportFileName(c.rel, '.folded.txt')}"`);
        const text = await res.text();
        expect(text).toMatch(/^[^\n;]+(;[^\n;]+)* -?\d+\n/);
        const want = topRows(
          pprof(
            ['-top', '-nodecount=0', '-nodefraction=0', `-unit=${c.unit}`, ...(c.si ? [`-sample_index=${c.si}`] : []), ...c.flags],
            join(ROOT, 'samples', c.rel),
          ),
        );
        expect(want.size).toBeGreaterThanOrEqual(2);
        expect(foldedRows(text)).toEqual(want);
      },
    );
  }
});

describe('filtered pprof', () => {
  for (const c of cases.filter((x) => x.flags.length > 0)) {
    it(
      `${c.rel} ${c.flags.join(' ')}: go tool pprof -top on it equals -top with the filters on the original`,
      { timeout: 120_000 },
      async () => {
        const res = await fetch(`${server.url}/api/profiles/${ids.get(c.rel)}/export/pprof?${apiQuery(c)}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-disposition')).toContain('.filtered.pb.gz');
        const bytes = new Uint8Array(await res.arrayBuffer());
        expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
        const file = join(scratch, exportFileName(c.rel, '.filtered.pb.gz'));
        writeFileSync(file, bytes);
        const si = c.si ? [`-sample_index=${c.si}`] : [];
        // From the "Showing nodes" line on; the header names the file and the active filters.
        const body = (t: string) => t.slice(t.indexOf('Showing nodes'));
        const want = body(pprof(['-top', '-relative_percentages', ...si, ...c.flags], join(ROOT, 'samples', c.rel)));
        const got = body(pprof(['-top', ...si], file));
        expect(want.split('\n').length).toBeGreaterThan(4);
        expect(got).toBe(want);
        // Granularity survives too: -lines on both.
        expect(body(pprof(['-top', '-lines', ...si], file))).toBe(
          body(pprof(['-top', '-lines', '-relative_percentages', ...si, ...c.flags], join(ROOT, 'samples', c.rel))),
        );
      },
    );
  }

  it('refuses an unknown format and answers 404 for an unknown profile', async () => {
    const id = ids.get('cpu/cpu.pb.gz');
    expect((await fetch(`${server.url}/api/profiles/${id}/export/zip`)).status).toBe(400);
    expect((await fetch(`${server.url}/api/profiles/${'a'.repeat(32)}/export/folded`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/profiles/${id}/export/folded?focus=(`)).status).toBe(400);
  });
});

describe('export file names', () => {
  it('carry the profile name', () => {
    expect(exportFileName('checkout/cpu.pb.gz', '.folded.txt')).toBe('cpu.folded.txt');
    expect(exportFileName('my profile (1).prof', '.svg')).toBe('my_profile_1_.svg');
    expect(exportFileName('../..', '.svg')).toBe('profile.svg');
  });
});
