// Feature routes (comparison, insights) compute in the analysis worker pool, not on the HTTP
// thread: their answers through the workers equal pprof's / the engine's, their errors keep
// their status and message across the worker boundary, and while a first large comparison
// and a large insights analysis run, another user's small requests are answered meanwhile
// (their latency is in bench/nonblocking.bench.ts).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import { computeInsights } from '../../server/src/insights/engine.js';
import type { DiffTopReport } from '../../contract/diff.js';
import { formatTopText, prepareProfile } from '../../server/src/report/index.js';
import type { RunningServer } from '../../server/src/http/server.js';
import { diffCases, refPath } from '../unit/diff-references.js';
import { getJson, sample, startTestServer, tempDir, trackAnalyses, uploadOk } from './server-helpers.js';

let t: ReturnType<typeof tempDir>;
let srv: RunningServer;
let heapId: string;
let heap2Id: string;
let cpuId: string;

/** The same profile as different bytes (gzip header mtime), so a new id: a second large profile. */
function variant(bytes: Uint8Array, i: number): Uint8Array {
  const out = bytes.slice();
  if (out[0] !== 0x1f || out[1] !== 0x8b) throw new Error('expected a gzip file');
  out[4] = (out[4]! + i) & 0xff;
  return out;
}

beforeAll(async () => {
  t = tempDir();
  srv = await startTestServer(t.dir, { workers: 2 });
  const large = sample('largeheap/heap.pb.gz');
  heapId = await uploadOk(srv.url, large);
  heap2Id = await uploadOk(srv.url, variant(large, 1));
  cpuId = await uploadOk(srv.url, sample('cpu/cpu.pb.gz'));
});

afterAll(async () => {
  await srv?.close();
  t?.remove();
});

describe('feature routes through the worker pool', () => {
  const cases = diffCases().filter((c) => !c.error && c.name.startsWith('before-after'));
  const refused = diffCases().find((c) => c.error);

  it('comparisons equal go tool pprof -top -diff_base / -base (every line)', async () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const id = await uploadOk(srv.url, new Uint8Array(readFileSync(c.newer)));
      const base = await uploadOk(srv.url, new Uint8Array(readFileSync(c.base)));
      for (const [suffix, extra] of [
        ['diff_base.top.txt', ''],
        ['base.top.txt', '&mode=base'],
      ] as const) {
        const r = await getJson<DiffTopReport & { id: string; base: string }>(`${srv.url}/api/profiles/${id}/diff?base=${base}${extra}`);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.id).toBe(id);
        expect(r.body.base).toBe(base);
        expect(formatTopText(r.body).split('\n')).toEqual(readFileSync(refPath(c, suffix), 'utf8').split('\n'));
      }
      const fg = await getJson<{ root: { value: number; base: number }; newTotal: number; baseTotal: number }>(
        `${srv.url}/api/profiles/${id}/diff/flamegraph?base=${base}`,
      );
      expect(fg.status).toBe(200);
      expect(fg.body.root.value).toBe(fg.body.newTotal);
      expect(fg.body.root.base).toBe(fg.body.baseTotal);
    }
  });

  it('keeps 4xx errors and their messages across the worker boundary', async () => {
    expect(refused).toBeDefined();
    const id = await uploadOk(srv.url, new Uint8Array(readFileSync(refused!.newer)));
    const base = await uploadOk(srv.url, new Uint8Array(readFileSync(refused!.base)));
    for (const path of ['diff', 'diff/flamegraph']) {
      const r = await getJson<{ error: string }>(`${srv.url}/api/profiles/${id}/${path}?base=${base}`);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(
        new RegExp(`^cannot compare profile ${id} with base ${base}: they are not the same kind of profile \\(`),
      );
    }
    const unknown = '0'.repeat(64);
    let r = await getJson<{ error: string }>(`${srv.url}/api/profiles/${cpuId}/diff?base=${unknown}`);
    expect(r.status).toBe(404);
    expect(r.body.error).toContain(unknown);
    r = await getJson<{ error: string }>(`${srv.url}/api/profiles/${cpuId}/diff?base=${cpuId}&si=no_such_type`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/no_such_type/);
    r = await getJson<{ error: string }>(`${srv.url}/api/profiles/${cpuId}/insights?si=nope`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/unknown sample type "nope"/);
    r = await getJson<{ error: string }>(`${srv.url}/api/profiles/${unknown}/insights`);
    expect(r.status).toBe(404);
  });

  it('insights equal the engine on the decoded profile', async () => {
    const want = computeInsights(prepareProfile(decodeProfile(sample('cpu/cpu.pb.gz'))));
    const r = await getJson<Record<string, unknown>>(`${srv.url}/api/profiles/${cpuId}/insights`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(JSON.parse(JSON.stringify({ id: cpuId, ...want })));
  });
});

/**
 * Starts the heavy requests, waits until they are all in the workers, then issues small
 * requests one after another until the heavy ones finish. Durations are measured by
 * bench/nonblocking.bench.ts; here only the order counts.
 */
async function smallDuring(heavyUrls: string[], smallUrl: string): Promise<{ heavy: number[]; small: number[]; whileHeavy: number }> {
  const tasks = trackAnalyses(srv.service, ['diffTop', 'insights']);
  let done = false;
  const heavy = Promise.all(
    heavyUrls.map(async (u) => {
      const res = await fetch(u);
      await res.arrayBuffer();
      return res.status;
    }),
  ).finally(() => (done = true));
  await vi.waitFor(() => expect(tasks.started()).toBeGreaterThanOrEqual(heavyUrls.length), { timeout: 30_000, interval: 5 });
  const small: number[] = [];
  let whileHeavy = 0;
  while (!done && small.length < 200) {
    const res = await fetch(`${smallUrl}&i=${small.length}`);
    await res.arrayBuffer();
    small.push(res.status);
    if (!done) whileHeavy++;
  }
  return { heavy: await heavy, small, whileHeavy };
}

function check(r: { heavy: number[]; small: number[]; whileHeavy: number }): void {
  for (const h of r.heavy) expect(h).toBe(200);
  for (const s of r.small) expect(s).toBe(200);
  // Several small requests were answered while the heavy work was still running (on the
  // HTTP thread, a first large comparison held every request for seconds).
  expect(r.whileHeavy).toBeGreaterThanOrEqual(3);
}

it('small requests are answered while a first large comparison and a large insights analysis run', async () => {
  // A first comparison of the two large profiles (the base is decoded next to the new one and
  // the pair merged: seconds of work) and insights of the new one at an uncached sample type.
  const r = await smallDuring(
    [`${srv.url}/api/profiles/${heap2Id}/diff?base=${heapId}`, `${srv.url}/api/profiles/${heap2Id}/insights?si=alloc_space`],
    `${srv.url}/api/profiles/${cpuId}/top?n=5`,
  );
  check(r);
});

it('... and while every regular worker analyses a large profile (the small-request lane)', async () => {
  // Each large profile sits on its own worker: a comparison (-base: a new merge) on one, the
  // comparison the other way round (a decode and a merge) plus insights on the other.
  const r = await smallDuring(
    [
      `${srv.url}/api/profiles/${heap2Id}/diff?base=${heapId}&mode=base`,
      `${srv.url}/api/profiles/${heapId}/diff?base=${heap2Id}`,
      `${srv.url}/api/profiles/${heapId}/insights?si=inuse_space`,
    ],
    `${srv.url}/api/profiles/${cpuId}/top?n=5`,
  );
  check(r);
});
