// Huge and hostile profiles over HTTP: the memory budget refuses with 413 naming it (and
// the server keeps serving), reopening a view is answered from the view cache, and a
// 100,000-frame stack gets a flame graph, not a 5xx.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodedBytes } from '../../server/src/workers/budget.js';
import { decodeProfile } from '../../server/src/decode/index.js';
import type { RunningServer } from '../../server/src/http/server.js';
import type { FlameGraph } from '../../contract/views.js';
import { generateProfile } from '../../scripts/gen-profile.js';
import { getJson, sample, startTestServer, tempDir, upload, uploadOk } from './server-helpers.js';

const MB = 1024 * 1024;

describe('memory budget', () => {
  const t = tempDir();
  let srv: RunningServer;
  const heap = sample('largeheap/heap.pb.gz');
  const heapDecoded = decodedBytes(decodeProfile(heap));
  beforeAll(async () => {
    // Room for the large heap profile decoded, not for its per-sample objects (insights).
    srv = await startTestServer(t.dir, { workers: 1, config: { memoryBudgetBytes: heapDecoded + 4 * MB } });
  });
  afterAll(async () => {
    await srv.close();
    t.remove();
  });

  it('a view that would build per-sample objects past the budget is a 413 naming it; other views and the server go on', async () => {
    const id = await uploadOk(srv.url, heap);
    const r = await getJson<{ error: string }>(`${srv.url}/api/profiles/${id}/insights`);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatch(/memory budget of \d+ MB/);
    const f = await getJson<FlameGraph>(`${srv.url}/api/profiles/${id}/flamegraph`);
    expect(f.status).toBe(200);
    expect(f.body.root.value).toBeGreaterThan(0);
  });

  it('a profile too large to decode within the budget is refused at upload with 413; the server keeps serving', async () => {
    // 20 MB: the large heap profile's inflated size passes the check made before decoding,
    // its measured decoded size (labels on every sample) does not.
    const s = await startTestServer(t.dir + '-small', { workers: 1, config: { memoryBudgetBytes: 20 * MB } });
    try {
      const res = await upload(s.url, heap);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: string }).error).toMatch(/analysis memory budget of 20 MB/);
      // refused before decoding: inflated size alone is over the budget
      const big = gzipSync(generateProfile({ samples: 100_000, shape: 'worst', functions: 2000 }));
      const r2 = await upload(s.url, big);
      expect(r2.status).toBe(413);
      expect(((await r2.json()) as { error: string }).error).toMatch(
        /inflated\) once decoded needs about \d+ MB, over the analysis memory budget/,
      );
      const small = await uploadOk(s.url, sample('cpu/cpu.pb.gz'));
      expect((await getJson(`${s.url}/api/profiles/${small}/flamegraph`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('a stack of 100,000 frames renders /flamegraph (no 5xx)', async () => {
    const deep = gzipSync(generateProfile({ samples: 3, shape: 'worst', minDepth: 100_000, maxDepth: 100_000, functions: 500 }));
    const id = await uploadOk(srv.url, deep);
    const r = await fetch(`${srv.url}/api/profiles/${id}/flamegraph`);
    expect(r.status).toBe(200);
    const g = JSON.parse(await r.text()) as FlameGraph;
    let depth = 0;
    for (let n = g.root; n.children.length > 0; n = n.children[0]) depth++;
    expect(depth).toBeGreaterThanOrEqual(100_000);
  });

  it("the top table comes a page at a time: rows equal the whole table's, with the row count", async () => {
    const id = await uploadOk(srv.url, sample('cpu/cpu.pb.gz'));
    const whole = await getJson<{ rows: { name: string }[]; total: number }>(`${srv.url}/api/profiles/${id}/top`);
    expect(whole.body.rows.length).toBeGreaterThan(3);
    const page = await getJson<{ rows: unknown[]; offset: number; totalRows: number; total: number }>(
      `${srv.url}/api/profiles/${id}/top?offset=2&limit=2`,
    );
    expect(page.status).toBe(200);
    expect(page.body.rows).toEqual(whole.body.rows.slice(2, 4));
    expect([page.body.offset, page.body.totalRows, page.body.total]).toEqual([2, whole.body.rows.length, whole.body.total]);
    expect((await getJson(`${srv.url}/api/profiles/${id}/top?offset=-1`)).status).toBe(400);
  });

  it('reopening a view answers the same text from the view cache', async () => {
    const id = await uploadOk(srv.url, sample('cpu/cpu.pb.gz'));
    const a = await (await fetch(`${srv.url}/api/profiles/${id}/flamegraph?minFraction=0.01`)).text();
    const b = await (await fetch(`${srv.url}/api/profiles/${id}/flamegraph?minFraction=0.01`)).text();
    expect(b).toBe(a);
    expect(JSON.parse(a).root.value).toBeGreaterThan(0);
  });
});
