// The comparison API over HTTP: GET /api/profiles/:id/diff equals `go tool pprof -top
// -diff_base` / `-base` (through the engine's formatter, every line), the flame tree
// endpoint answers, and mismatched or missing profiles get 4xx JSON errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/http/server.js';
import type { DiffFlameGraph, DiffTopReport } from '../../contract/diff.js';
import { formatTopText } from '../../server/src/report/index.js';
import { diffCases, refPath } from '../unit/diff-references.js';

const cases = diffCases();
const ok = cases.filter((c) => !c.error && (c.name.startsWith('before-after') || c.name.startsWith('go.')));
const refused = cases.filter((c) => c.error);

let server: RunningServer;
let dir: string;
const ids = new Map<string, string>();

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(server.url + path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pprof-lens-diff-api-'));
  server = await startServer({ port: 0, store: { backend: 'fs', dir }, workers: 0, samplesDir: null, log: () => {} });
  const files = new Set<string>();
  for (const c of [...ok, ...refused]) files.add(c.newer).add(c.base);
  for (const f of files) {
    const info = await server.service.storeProfile(new Uint8Array(readFileSync(f)), f);
    ids.set(f, info.id);
  }
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/profiles/:id/diff', () => {
  for (const c of ok) {
    const variants: [string, string][] = [
      ['diff_base.top.txt', ''],
      ['base.top.txt', '&mode=base'],
      ['diff_base.normalize.top.txt', '&normalize=1'],
      ['diff_base.nodefraction0.top.txt', '&nodeFraction=0'],
      ['diff_base.cum.top.txt', '&cum=1'],
    ];
    for (const [suffix, extra] of variants) {
      it(`${c.name} ${suffix}`, async () => {
        const url = `/api/profiles/${ids.get(c.newer)}/diff?base=${ids.get(c.base)}${extra}`;
        const { status, body } = await get(url);
        expect(status, JSON.stringify(body)).toBe(200);
        const report = body as unknown as DiffTopReport & { id: string; base: string };
        expect(report.base).toBe(ids.get(c.base));
        const want = readFileSync(refPath(c, suffix), 'utf8');
        expect(formatTopText(report).split('\n')).toEqual(want.split('\n'));
        for (const r of report.rows) {
          expect(Object.keys(r)).toEqual(
            expect.arrayContaining(['name', 'inline', 'flat', 'cum', 'baseFlat', 'baseCum', 'newFlat', 'newCum']),
          );
          expect(r.newCum - r.baseCum).toBe(r.cum);
        }
      });
    }
  }

  it('n limits the rows like pprof -nodecount', async () => {
    const c = ok[0]!;
    const { body } = await get(`/api/profiles/${ids.get(c.newer)}/diff?base=${ids.get(c.base)}&n=3`);
    expect((body.rows as unknown[]).length).toBe(3);
  });

  for (const c of refused) {
    it(`refuses ${c.name} with 400 (pprof: ${c.error})`, async () => {
      const { status, body } = await get(`/api/profiles/${ids.get(c.newer)}/diff?base=${ids.get(c.base)}`);
      expect(status).toBe(400);
      const reason = c.error!.startsWith('period type') ? 'period type: incompatible types' : 'profiles have no sample type in common';
      expect(body.error).toMatch(/^cannot compare profile \S+ with base \S+: they are not the same kind of profile \(/);
      expect(body.error).toContain(reason);
      const fg = await get(`/api/profiles/${ids.get(c.newer)}/diff/flamegraph?base=${ids.get(c.base)}`);
      expect(fg.status).toBe(400);
      expect(fg.body.error).toMatch(/not the same kind of profile/);
    });
  }

  it('missing base, bad mode, unknown base and unknown sample type are 4xx with a message', async () => {
    const id = ids.get(ok[0]!.newer)!;
    const base = ids.get(ok[0]!.base)!;
    let r = await get(`/api/profiles/${id}/diff`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/"base" is required/);
    r = await get(`/api/profiles/${id}/diff?base=${base}&mode=sideways`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/"mode" must be/);
    r = await get(`/api/profiles/${id}/diff?base=${'0'.repeat(64)}`);
    expect(r.status).toBe(404);
    expect(typeof r.body.error).toBe('string');
    r = await get(`/api/profiles/${id}/diff?base=${base}&si=no_such_type`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/no_such_type/);
  });
});

describe('GET /api/profiles/:id/diff/flamegraph', () => {
  it('returns a tree with value = new, base and delta per node', async () => {
    const c = ok.find((k) => k.name.includes('heap'))!;
    const { status, body } = await get(
      `/api/profiles/${ids.get(c.newer)}/diff/flamegraph?base=${ids.get(c.base)}&si=alloc_space&minFraction=0`,
    );
    expect(status).toBe(200);
    const g = body as unknown as DiffFlameGraph;
    expect(g.sampleType.type).toBe('alloc_space');
    const walk = (n: DiffFlameGraph['root']): void => {
      expect(n.delta).toBe(n.value - n.base);
      expect(n.value).toBeGreaterThanOrEqual(n.children.reduce((a, k) => a + k.value, 0));
      n.children.forEach(walk);
    };
    walk(g.root);
    expect(g.root.value).toBe(g.newTotal);
    expect(g.root.base).toBe(g.baseTotal);
    // The top endpoint's totals agree with the tree's.
    const top = await get(`/api/profiles/${ids.get(c.newer)}/diff?base=${ids.get(c.base)}&si=alloc_space`);
    expect((top.body as unknown as DiffTopReport).newTotal).toBe(g.newTotal);
    expect((top.body as unknown as DiffTopReport).baseTotal).toBe(g.baseTotal);
  });
});
