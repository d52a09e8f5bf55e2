// GET /api/profiles/:id/tags (pprof -tags as JSON, equal to the engine and to the text the
// CLI prints), -tagroot/-tagleaf through the flame graph route, and the goroutine routes on
// an uploaded (pasted) text dump: groups, filters, comparison, bad parameters.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import type { RunningServer } from '../../server/src/http/server.js';
import type { FlameGraph, GoroutinesView, TagsReport } from '../../contract/views.js';
import { computeTags } from '../../server/src/report/tags.js';
import { ROOT, getJson, sample, startTestServer, tempDir, uploadOk } from './server-helpers.js';

let tmp: ReturnType<typeof tempDir>;
let srv: RunningServer;
let base: string;
let cpuId: string;
let heapId: string;
let dumpId: string;
const dump = readFileSync(join(ROOT, 'tests/fixtures/goroutines/go1.23.debug2.txt'));

beforeAll(async () => {
  tmp = tempDir();
  srv = await startTestServer(join(tmp.dir, 'data'));
  base = srv.url;
  cpuId = await uploadOk(base, sample('labels/cpu.pb.gz'), 'labels/cpu.pb.gz');
  heapId = await uploadOk(base, sample('growslice/heap.pb.gz'), 'growslice/heap.pb.gz');
  dumpId = await uploadOk(base, new Uint8Array(dump), 'goroutines.txt');
});

afterAll(async () => {
  await srv?.close();
  tmp?.remove();
});

describe('GET /api/profiles/:id/tags', () => {
  it('equals the engine for the sample type, filters and unit', async () => {
    const { status, body } = await getJson<TagsReport>(`${base}/api/profiles/${heapId}/tags?si=alloc_objects&tagFocus=1kb:&unit=kb`);
    expect(status).toBe(200);
    const want = computeTags(
      decodeProfile(sample('growslice/heap.pb.gz')),
      { sampleIndex: 'alloc_objects', tagFocus: '1kb:', labelUnit: 'kb' },
      { unit: 'kb' },
    );
    expect(body).toEqual(JSON.parse(JSON.stringify(want)));
    expect(body.keys[0].key).toBe('bytes');
    expect(body.keys[0].numeric).toBe(true);
    expect(body.keys[0].values.every((v) => v.num !== null && v.num >= 1024)).toBe(true);
  });
  it('string labels of pprof.Do, narrowed by tagShow', async () => {
    const { body } = await getJson<TagsReport>(`${base}/api/profiles/${cpuId}/tags?tagShow=^handler$`);
    expect(body.keys.map((k) => k.key)).toEqual(['handler']);
    expect(body.keys[0].values.map((v) => v.value).sort()).toEqual(['checkout', 'report', 'search']);
  });
  it('n keeps the heaviest values per key and says how many were left out', async () => {
    const all = await getJson<TagsReport>(`${base}/api/profiles/${heapId}/tags`);
    const { body } = await getJson<TagsReport>(`${base}/api/profiles/${heapId}/tags?n=3`);
    expect(body.keys[0].values).toEqual(all.body.keys[0].values.slice(0, 3));
    expect(body.keys[0].omitted).toBe(all.body.keys[0].values.length - 3);
    expect(body.keys[0].total).toBe(all.body.keys[0].total);
    expect((await getJson(`${base}/api/profiles/${heapId}/tags?n=0`)).status).toBe(400);
  });
  it('400 on a bad tag filter', async () => {
    const r = await getJson<{ error: string }>(`${base}/api/profiles/${cpuId}/tags?tagFocus=handler=(`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/tagfocus/);
  });
});

describe('-tagroot / -tagleaf in the flame graph', () => {
  it('label values become the root frames', async () => {
    const { body } = await getJson<FlameGraph>(`${base}/api/profiles/${cpuId}/flamegraph?tagRoot=handler`);
    const names = JSON.stringify(body);
    for (const h of ['checkout', 'search', 'report']) expect(names).toContain(`"${h}"`);
  });
});

describe('GET /api/profiles/:id/goroutines', () => {
  it('groups a pasted debug=2 dump', async () => {
    const { status, body } = await getJson<GoroutinesView>(`${base}/api/profiles/${dumpId}/goroutines`);
    expect(status).toBe(200);
    expect(body.fromDump).toBe(true);
    expect(body.total).toBe(58);
    expect(body.groups[0]).toMatchObject({ count: 20, state: 'chan send' });
    expect(body.groups[0].wait.min).toBeGreaterThanOrEqual(1);
  });
  it('filters and compares', async () => {
    const f = await getJson<GoroutinesView>(
      `${base}/api/profiles/${dumpId}/goroutines?state=chan%20receive&creator=^main\\.main$&minWait=1`,
    );
    expect(f.body.matched).toBe(18);
    const c = await getJson<GoroutinesView>(`${base}/api/profiles/${dumpId}/goroutines?base=${dumpId}`);
    expect(c.body.compare?.every((d) => d.delta === 0)).toBe(true);
  });
  it('a goroutine profile has groups without state', async () => {
    const id = await uploadOk(base, sample('goroutines/goroutine.pb.gz'));
    const { body } = await getJson<GoroutinesView>(`${base}/api/profiles/${id}/goroutines`);
    expect(body.fromDump).toBe(false);
    expect(body.groups[0].count).toBeGreaterThanOrEqual(100);
  });
  it('400 on bad parameters, 404 on unknown ids', async () => {
    expect((await getJson(`${base}/api/profiles/${dumpId}/goroutines?minWait=x`)).status).toBe(400);
    expect((await getJson(`${base}/api/profiles/${dumpId}/goroutines?creator=(`)).status).toBe(400);
    expect((await getJson(`${base}/api/profiles/${dumpId}/goroutines?base=nosuchid`)).status).toBe(404);
  });
});
