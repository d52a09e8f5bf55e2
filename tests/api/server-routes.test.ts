// Every core route of the HTTP API over real HTTP, with the engine's own output as the
// expected value, and every bad-input path (status, JSON error, nothing stored changes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeProfile, ProfileDecodeError } from '../../server/src/decode/index.js';
import type { Profile } from '../../server/src/model/profile.js';
import { computeFlameGraph, computeSourceListing, computeTop, prepareProfile, profileMeta } from '../../server/src/report/index.js';
import { createSourceReader } from '../../server/src/source/index.js';
import { annotateSourceListing } from '../../server/src/workers/source-ops.js';
import type { RunningServer } from '../../server/src/http/server.js';
import { ID_PATTERN, profileId } from '../../server/src/store/id.js';
import { getJson, sample, startTestServer, tempDir, upload, uploadOk } from './server-helpers.js';

const CPU = 'cpu/cpu.pb.gz';
const HEAP = 'largeheap/heap.pb.gz';

function engineProfile(bytes: Uint8Array): Profile {
  return prepareProfile(decodeProfile(bytes));
}
const json = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));

let tmp: ReturnType<typeof tempDir>;
let srv: RunningServer;
let base: string;
let cpuId: string;
let cpuBytes: Uint8Array;
let cpu: Profile;

beforeAll(async () => {
  tmp = tempDir();
  const web = join(tmp.dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(
    join(web, 'index.html'),
    '<!doctype html><title>pprof-lens test shell</title><script type="module" src="/assets/app.js"></script>',
  );
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log("app")');
  srv = await startTestServer(join(tmp.dir, 'data'), { webRoot: web });
  base = srv.url;
  cpuBytes = sample(CPU);
  cpu = engineProfile(cpuBytes);
  cpuId = await uploadOk(base, cpuBytes, 'cpu/cpu.pb.gz');
});

afterAll(async () => {
  await srv?.close();
  tmp?.remove();
});

async function listIds(): Promise<string[]> {
  const r = await getJson<{ profiles: { id: string }[]; total: number }>(`${base}/api/profiles?limit=1000`);
  return r.body.profiles.map((p) => p.id).sort();
}

describe('upload and ids', () => {
  it('returns 201 with a content-derived id and link', async () => {
    const res = await upload(base, cpuBytes);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; url: string };
    expect(body.id).toMatch(ID_PATTERN);
    expect(body.id).toBe(cpuId);
    expect(body.id).toBe(profileId(cpuBytes));
    expect(body.url).toBe(`/p/${cpuId}`);
  });

  it('gives different bytes a different id (even the same profile re-compressed)', async () => {
    const heapId = await uploadOk(base, sample(HEAP));
    expect(heapId).not.toBe(cpuId);
    const raw = (await import('node:zlib')).gunzipSync(cpuBytes);
    const rawId = await uploadOk(base, new Uint8Array(raw));
    expect(rawId).not.toBe(cpuId);
    expect(rawId).toMatch(ID_PATTERN);
  });

  it('accepts multipart with a name field', async () => {
    const bytes = sample('goroutines/goroutine.pb.gz');
    const fd = new FormData();
    fd.append('name', 'my goroutines');
    fd.append('profile', new Blob([bytes as Uint8Array<ArrayBuffer>]), 'goroutine.pb.gz');
    const res = await fetch(`${base}/api/profiles`, { method: 'POST', body: fd });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(id).toBe(profileId(bytes));
    const meta = await getJson<{ name: string; size: number; kind: string }>(`${base}/api/profiles/${id}`);
    expect(meta.body.name).toBe('my goroutines');
    expect(meta.body.size).toBe(bytes.length);
    expect(meta.body.kind).toBe(profileMeta(engineProfile(bytes)).kind);
  });

  it('cleans display names (no control characters, at most 200 chars)', async () => {
    const bytes = sample('contention/mutex.pb.gz');
    const id = await uploadOk(base, bytes, `a\u0000b\nc${'x'.repeat(300)}`);
    const meta = await getJson<{ name: string }>(`${base}/api/profiles/${id}`);
    expect(meta.body.name).toBe(`a b c${'x'.repeat(195)}`);
  });

  it('rejects multipart without a profile field, or with an unknown file field', async () => {
    const fd = new FormData();
    fd.append('name', 'x');
    let res = await fetch(`${base}/api/profiles`, { method: 'POST', body: fd });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/profile/);
    const fd2 = new FormData();
    fd2.append('other', new Blob([cpuBytes as Uint8Array<ArrayBuffer>]), 'x');
    res = await fetch(`${base}/api/profiles`, { method: 'POST', body: fd2 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/other/);
  });

  it('handles concurrent uploads of the same and of different profiles', async () => {
    const same = sample('mapgrow/heap.pb.gz');
    const ids = await Promise.all(Array.from({ length: 6 }, () => uploadOk(base, same)));
    expect(new Set(ids).size).toBe(1);
    const files = ['boxing/heap.pb.gz', 'concat/heap.pb.gz', 'growslice/heap.pb.gz', 'pointers/heap.pb.gz', 'sprintf/heap.pb.gz'];
    const diff = await Promise.all(files.map((f) => uploadOk(base, sample(f), f)));
    expect(new Set(diff).size).toBe(files.length);
    const listed = await listIds();
    for (const id of [...diff, ids[0]]) expect(listed).toContain(id);
    expect(listed.filter((x) => x === ids[0]).length).toBe(1);
    for (const [i, id] of diff.entries()) {
      const raw = await fetch(`${base}/api/profiles/${id}/raw`);
      expect(new Uint8Array(await raw.arrayBuffer())).toEqual(sample(files[i]));
    }
  });
});

describe('reading', () => {
  it('lists newest first with paging', async () => {
    const all = await getJson<{
      profiles: { id: string; storedAt: string; name: string; type: string; size: number }[];
      total: number;
      page: number;
    }>(`${base}/api/profiles?limit=1000`);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(all.body.profiles.length);
    const times = all.body.profiles.map((p) => p.storedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const p2 = await getJson<{ profiles: { id: string }[]; page: number; total: number }>(`${base}/api/profiles?page=2&limit=2`);
    expect(p2.body.page).toBe(2);
    expect(p2.body.total).toBe(all.body.total);
    expect(p2.body.profiles.map((p) => p.id)).toEqual(all.body.profiles.slice(2, 4).map((p) => p.id));
    const cpuEntry = all.body.profiles.find((p) => p.id === cpuId);
    expect(cpuEntry).toMatchObject({ name: 'cpu/cpu.pb.gz', type: 'cpu', size: cpuBytes.length });
    expect((await getJson(`${base}/api/profiles?page=0`)).status).toBe(400);
    expect((await getJson(`${base}/api/profiles?limit=abc`)).status).toBe(400);
  });

  it('returns metadata equal to the engine profileMeta plus store fields', async () => {
    const r = await getJson<Record<string, unknown>>(`${base}/api/profiles/${cpuId}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject(json(profileMeta(cpu)));
    expect(r.body).toMatchObject({ id: cpuId, name: 'cpu/cpu.pb.gz', size: cpuBytes.length });
    expect(typeof r.body.storedAt).toBe('string');
  });

  it('top: defaults are every row (-nodefraction=0), equal to the engine', async () => {
    const r = await getJson(`${base}/api/profiles/${cpuId}/top`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(json(computeTop(cpu, {}, { nodeFraction: 0, nodeCount: 0, sort: 'flat' })));
  });

  it('top: query parameters map to Query/TopOptions', async () => {
    const q = 'n=3&cum=1&granularity=lines&focus=main&noInlines=1&unit=ms';
    const r = await getJson<{ rows: unknown[] }>(`${base}/api/profiles/${cpuId}/top?${q}`);
    expect(r.status).toBe(200);
    const expected = computeTop(
      cpu,
      { granularity: 'lines', focus: 'main', noInlines: true },
      { nodeFraction: 0, nodeCount: 3, sort: 'cum', unit: 'ms' },
    );
    expect(r.body).toEqual(json(expected));
    expect(r.body.rows.length).toBeLessThanOrEqual(3);
    const heap = engineProfile(sample(HEAP));
    const heapId = profileId(sample(HEAP));
    const r2 = await getJson(`${base}/api/profiles/${heapId}/top?si=alloc_space&nodeFraction=0.01&hide=runtime`);
    expect(r2.body).toEqual(
      json(computeTop(heap, { sampleIndex: 'alloc_space', hide: 'runtime' }, { nodeFraction: 0.01, nodeCount: 0, sort: 'flat' })),
    );
  });

  it('flamegraph with minFraction and path equals the engine', async () => {
    const r = await getJson(`${base}/api/profiles/${cpuId}/flamegraph?minFraction=0.01`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(json(computeFlameGraph(cpu, {}, { minFraction: 0.01 })));
    const full = computeFlameGraph(cpu, {}, {});
    const first = full.root.children[0];
    expect(first).toBeDefined();
    const path = [first.name];
    const r2 = await getJson(`${base}/api/profiles/${cpuId}/flamegraph?path=${encodeURIComponent(JSON.stringify(path))}`);
    expect(r2.status).toBe(200);
    expect(r2.body).toEqual(json(computeFlameGraph(cpu, {}, { path })));
  });

  it("source listing equals the engine with the server's source reader and annotation", async () => {
    const r = await getJson(`${base}/api/profiles/${cpuId}/source?fn=main%5C.`);
    expect(r.status).toBe(200);
    const env = { config: srv.service.config, getAttachment: (id: string, key: string) => srv.service.getAttachment(id, key) };
    const listing = computeSourceListing(cpu, {}, 'main\\.', await createSourceReader(cpuId, env.config, env));
    expect(r.body).toEqual(json(await annotateSourceListing(cpuId, listing, env)));
    expect((await getJson<{ error: string }>(`${base}/api/profiles/${cpuId}/source`)).status).toBe(400);
  });

  it('raw returns the stored bytes as an attachment under the upload name', async () => {
    const res = await fetch(`${base}/api/profiles/${cpuId}/raw`);
    expect(res.status).toBe(200);
    // Uploaded as cpu/cpu.pb.gz: the file name, not the content hash.
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="cpu.pb.gz"`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(cpuBytes);
  });
});

describe('bad input', () => {
  const unknown = 'a'.repeat(32);
  it.each(['', '/top', '/flamegraph', '/source?fn=x', '/raw'])('unknown id -> 404 (%s)', async (suffix) => {
    const [path, q] = suffix.split('?');
    for (const id of [unknown, 'not-an-id', '..%2F..%2Fetc%2Fpasswd']) {
      const r = await getJson<{ error: string }>(`${base}/api/profiles/${id}${path}${q ? '?' + q : ''}`);
      expect(r.status).toBe(404);
      expect(r.body.error).toMatch(/no profile/);
    }
  });

  it.each([
    ['focus=(', /regexp|regular expression/i],
    ['si=no_such_type', /no_such_type/],
    ['granularity=bogus', /granularity/],
    ['n=-1', /"n"/],
    ['nodeFraction=2', /nodeFraction/],
    ['focus=a&focus=b', /once/],
    ['noInlines=maybe', /noInlines/],
  ])('top?%s -> 400', async (q, msg) => {
    const r = await getJson<{ error: string }>(`${base}/api/profiles/${cpuId}/top?${q}`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(msg);
  });

  it('flamegraph bad path / minFraction -> 400', async () => {
    for (const q of ['path=notjson', 'path=%7B%7D', 'path=%5B1%5D', 'minFraction=x', 'ignore=%5B']) {
      const r = await getJson<{ error: string }>(`${base}/api/profiles/${cpuId}/flamegraph?${q}`);
      expect(r.status, q).toBe(400);
      expect(typeof r.body.error).toBe('string');
    }
  });

  it('non-profiles get the decoder verdict: 415 or 422 with its message; nothing is stored', async () => {
    const before = await listIds();
    const inputs: Uint8Array[] = [
      new TextEncoder().encode('this is not a profile, just text\n'),
      cpuBytes.subarray(0, cpuBytes.length >> 1),
      new Uint8Array(0),
      gzipSync(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01])),
    ];
    for (const bytes of inputs) {
      let kind = '';
      let message = '';
      try {
        decodeProfile(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(ProfileDecodeError);
        kind = (e as ProfileDecodeError).kind;
        message = (e as ProfileDecodeError).message;
      }
      expect(kind).not.toBe('');
      const res = await upload(base, bytes);
      const expected = kind === 'too-large' ? 413 : kind === 'not-a-profile' || kind === 'unsupported' ? 415 : 422;
      expect(res.status).toBe(expected);
      const body = (await res.json()) as { error: string };
      expect(body.error).toContain(message);
    }
    expect(await listIds()).toEqual(before);
    expect((await getJson(`${base}/api/profiles/${cpuId}/top?n=1`)).status).toBe(200);
  });

  it('a client that disconnects mid-upload stores nothing and the server keeps serving', async () => {
    const before = await listIds();
    const heap = sample(HEAP);
    const { request } = await import('node:http');
    const u = new URL(base);
    const idle = await srv.openConnections();
    for (const multipart of [false, true]) {
      await new Promise<void>((resolve) => {
        const req = request({
          host: u.hostname,
          port: u.port,
          path: '/api/profiles',
          method: 'POST',
          headers: multipart
            ? { 'content-type': 'multipart/form-data; boundary=XyZ', 'content-length': heap.length + 200 }
            : { 'content-length': heap.length },
        });
        req.on('error', () => resolve());
        if (multipart) req.write('--XyZ\r\nContent-Disposition: form-data; name="profile"; filename="h.pb.gz"\r\n\r\n');
        // Half the body has reached the server's socket: hang up.
        req.write(heap.subarray(0, heap.length >> 1), () => {
          req.destroy();
          resolve();
        });
      });
    }
    // The server has seen both clients go.
    await vi.waitFor(async () => expect(await srv.openConnections()).toBeLessThanOrEqual(idle), { timeout: 10_000, interval: 10 });
    expect(await listIds()).toEqual(before);
    expect((await getJson(`${base}/api/profiles/${cpuId}/top?n=1`)).status).toBe(200);
  });

  it('unknown API routes are JSON 404s', async () => {
    const r = await getJson<{ error: string }>(`${base}/api/nothing-here`);
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/nothing-here/);
  });
});

describe('limits', () => {
  let small: RunningServer;
  let t: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    t = tempDir();
    small = await startTestServer(t.dir, {
      workers: 1,
      config: { maxUploadBytes: 64 * 1024, maxInflatedBytes: 1024 * 1024 },
    });
    await uploadOk(small.url, cpuBytes);
  });
  afterAll(async () => {
    await small.close();
    t.remove();
  });

  it('413 over the upload limit (declared length, chunked, multipart); server keeps serving', async () => {
    const big = new Uint8Array(200 * 1024).fill(7);
    let res = await upload(small.url, big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/limit/);
    // Chunked: no Content-Length, so the cap is enforced while streaming.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(big.subarray(i * 51200, (i + 1) * 51200));
        c.close();
      },
    });
    res = await fetch(`${small.url}/api/profiles`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    const fd = new FormData();
    fd.append('profile', new Blob([big]), 'big.pb.gz');
    res = await fetch(`${small.url}/api/profiles`, { method: 'POST', body: fd });
    expect(res.status).toBe(413);
    const list = await getJson<{ total: number }>(`${small.url}/api/profiles`);
    expect(list.body.total).toBe(1);
    expect((await getJson(`${small.url}/api/profiles/${cpuId}/top`)).status).toBe(200);
  });

  it('413 over the inflated-size limit (gzip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await upload(small.url, new Uint8Array(bomb));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/too-large/);
    expect((await getJson<{ total: number }>(`${small.url}/api/profiles`)).body.total).toBe(1);
  });
});

/**
 * A valid profile that is small gzipped but large once decoded: `n` functions with
 * distinct long names, one location and one sample each (~`n * nameLen` bytes of strings
 * plus the objects around them).
 */
function bigWhenDecoded(n: number, nameLen: number): Buffer {
  const varint = (v: number): Buffer => {
    const b: number[] = [];
    while (v >= 0x80) {
      b.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    b.push(v);
    return Buffer.from(b);
  };
  const len = (f: number, payload: Buffer): Buffer => Buffer.concat([varint((f << 3) | 2), varint(payload.length), payload]);
  const int = (f: number, v: number): Buffer => Buffer.concat([varint(f << 3), varint(v)]);
  const parts: Buffer[] = [len(1, Buffer.concat([int(1, 1), int(2, 2)]))]; // sample_type samples/count
  for (const str of ['', 'samples', 'count']) parts.push(len(6, Buffer.from(str)));
  const pad = 'x'.repeat(nameLen);
  for (let i = 1; i <= n; i++) {
    parts.push(len(6, Buffer.from(`main.f${i}${pad}`)));
    parts.push(len(5, Buffer.concat([int(1, i), int(2, i + 2)]))); // function id, name
    parts.push(len(4, Buffer.concat([int(1, i), len(4, int(1, i))]))); // location id, line{function_id}
    parts.push(len(2, Buffer.concat([len(1, varint(i)), len(2, varint(1))]))); // sample: location, value 1
  }
  return gzipSync(Buffer.concat(parts));
}

describe('a profile too big for an analysis worker', () => {
  it('is a 413; the worker is replaced and the server keeps serving', async () => {
    const t = tempDir();
    const s = await startTestServer(t.dir, { workers: 1, workerHeapMb: 40 });
    try {
      // ~60 MB of distinct names alone: well past the 40 MB worker heap, whatever the decoder's layout.
      const big = bigWhenDecoded(250_000, 240);
      const res = await upload(s.url, big);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: string }).error).toMatch(/out of memory/);
      expect(await uploadOk(s.url, cpuBytes)).toBe(cpuId);
      expect((await getJson(`${s.url}/api/profiles/${cpuId}/top`)).status).toBe(200);
      expect((await getJson<{ total: number }>(`${s.url}/api/profiles`)).body.total).toBe(1);
    } finally {
      await s.close();
      t.remove();
    }
  });

  it('the same profile decodes fine where memory allows (the 413 is the heap limit, not bad input)', () => {
    const p = decodeProfile(bigWhenDecoded(2_000, 240));
    expect(p.function).toHaveLength(2_000);
    expect(p.sample).toHaveLength(2_000);
  });
});

describe('web UI and headers', () => {
  it('serves the shell for /p/:id, static assets, no listings, no traversal', async () => {
    let res = await fetch(`${base}/p/${cpuId}?view=flame`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('pprof-lens test shell');
    res = await fetch(`${base}/`);
    expect(await res.text()).toContain('pprof-lens test shell');
    res = await fetch(`${base}/assets/app.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('console.log');
    for (const p of ['/assets/', '/assets', '/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2fdata', '/assets/%2e%2e/%2e%2e/data']) {
      res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(404);
      expect(await res.text()).not.toMatch(/app\.js|root:|pprof-lens test shell/);
    }
    // A malformed id is a 404 too (the shell still loads and shows the error).
    expect((await fetch(`${base}/p/not-valid`)).status).toBe(404);
  });

  it('sets helmet security headers with a CSP forbidding inline script', async () => {
    const res = await fetch(`${base}/p/${cpuId}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src '));
    // wasm compilation (the call graph's Graphviz) is allowed; JavaScript eval and inline script are not.
    expect(scriptSrc?.trim()).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const api = await fetch(`${base}/api/profiles`);
    expect(api.headers.get('content-security-policy')).toBe(csp);
  });
});
