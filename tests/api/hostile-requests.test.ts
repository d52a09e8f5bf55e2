// Hostile requests through HTTP (issue 12): catastrophic regexps answer like any other
// (Go's RE2 semantics, linear time), invalid ones get a 400 naming RE2's complaint, a
// profile without sample types is refused at upload, and a small request still answers
// while three hostile ones run. A client that goes away has its queued work dropped.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../server/src/http/server.js';
import { WorkerPool, workerEntry } from '../../server/src/workers/pool.js';
import { getJson, sample, startTestServer, tempDir, trackAnalyses, upload, uploadOk } from './server-helpers.js';

let t: ReturnType<typeof tempDir>;
let srv: RunningServer;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = tempDir();
  srv = await startTestServer(t.dir, { workers: 2 });
  for (const [k, rel] of Object.entries({
    heap: 'largeheap/heap.pb.gz',
    cpu: 'cpu/cpu.pb.gz',
    mapgrow: 'mapgrow/heap.pb.gz',
    boxing: 'boxing/allocs.pb.gz',
  })) {
    ids[k] = await uploadOk(srv.url, sample(rel));
  }
});

afterAll(async () => {
  await srv?.close();
  t?.remove();
});

const hostile = encodeURIComponent('^(.|.)*Z');

describe('hostile regexps over HTTP', () => {
  it('while three hostile regexp requests run, a small request still answers', async () => {
    const tasks = trackAnalyses(srv.service, ['top']);
    const heavy = [ids.heap, ids.mapgrow, ids.boxing].map(async (id) => {
      const r = await fetch(`${srv.url}/api/profiles/${id}/top?focus=${hostile}&hide=${encodeURIComponent('(a|aa)+$')}`);
      await r.arrayBuffer();
      return r.status;
    });
    await vi.waitFor(() => expect(tasks.started()).toBeGreaterThanOrEqual(3), { timeout: 30_000, interval: 5 });
    const small = await getJson<{ rows: unknown[] }>(`${srv.url}/api/profiles/${ids.cpu}/top?n=5`);
    expect(small.status).toBe(200);
    expect(small.body.rows.length).toBeGreaterThan(0);
    expect(await Promise.all(heavy)).toEqual([200, 200, 200]);
  });

  it.each([
    ['focus', '('],
    ['ignore', 'a**'],
    ['hide', '(?=x)'],
    ['show', '\\8'],
    ['showFrom', '[z-a]'],
  ])('invalid %s=%s answers 400 with RE2’s message', async (param, value) => {
    const r = await getJson<{ error: string }>(`${srv.url}/api/profiles/${ids.cpu}/top?${param}=${encodeURIComponent(value)}`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/regexp: error parsing regexp: /);
  });

  it('top pages and the progress route: hostile searches and parameters answer 200 or a 400 naming the parameter, never 5xx', async () => {
    const page = (q: string) => getJson<{ rows?: unknown[]; error?: string }>(`${srv.url}/api/profiles/${ids.heap}/top?${q}`);
    // A hostile or invalid search is a Go regexp (linear) or, when it does not compile, literal text.
    for (const match of [hostile, encodeURIComponent('('), encodeURIComponent('a**'), encodeURIComponent('x'.repeat(4096))]) {
      const r = await page(`offset=0&limit=20&match=${match}`);
      expect([match.slice(0, 20), r.status]).toEqual([match.slice(0, 20), 200]);
    }
    const bad: [string, RegExp][] = [
      [`offset=0&limit=20&match=${encodeURIComponent('x'.repeat(4097))}`, /"match" is longer than 4096/],
      ['offset=0&limit=20&order=__proto__', /"order" must be one of flat, cum, name/],
      ['offset=0&limit=20&order=cum&order=name', /"order" must be given once/],
      ['offset=-1&limit=20', /"offset" must be a non-negative integer/],
      ['offset=0&limit=1e9', /"limit" must be a non-negative integer/],
    ];
    for (const [q, msg] of bad) {
      const r = await page(q);
      expect([q, r.status]).toEqual([q, 400]);
      expect(r.body.error).toMatch(msg);
    }
    for (const path of [`${ids.heap}/progress?x=${hostile}`, `${'z'.repeat(300)}/progress`, '..%2f..%2fetc%2fpasswd/progress']) {
      const r = await fetch(`${srv.url}/api/profiles/${path}`);
      await r.arrayBuffer();
      expect([path.slice(0, 40), r.status < 500]).toEqual([path.slice(0, 40), true]);
    }
  });

  it('the flame graph, the source view and the comparison take Go syntax too', async () => {
    const flame = await getJson(`${srv.url}/api/profiles/${ids.cpu}/flamegraph?focus=${encodeURIComponent('(?i)MAIN\\.')}`);
    expect(flame.status).toBe(200);
    const src = await getJson<{ error: string }>(`${srv.url}/api/profiles/${ids.cpu}/source?fn=${encodeURIComponent('(')}`);
    expect(src.status).toBe(400);
    expect(src.body.error).toMatch(/parsing argument regexp \(: error parsing regexp: missing closing \)/);
    const diff = await getJson(`${srv.url}/api/profiles/${ids.mapgrow}/diff?base=${ids.boxing}&focus=${hostile}`);
    expect([200, 400]).toContain(diff.status);
  });

  it('a legacy profile with no sample types is refused at upload (4xx), not stored', async () => {
    const r = await upload(srv.url, new TextEncoder().encode('--- heapz 1 ---\n'));
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(((await r.json()) as { error: string }).error).toMatch(/no sample types/);
  });
});

describe('a client that has gone away', () => {
  it('has its queued task dropped by the worker and its promise rejected', async () => {
    const entry = workerEntry();
    expect(entry).not.toBeNull();
    const pool = new WorkerPool(
      { store: { backend: 'fs', dir: t.dir }, config: srv.service.config, cacheBytes: 256 * 1024 * 1024 },
      1,
      entry!,
      2048,
      false,
    );
    try {
      // Two tasks on the one worker: the second is queued behind the first.
      const first = pool.run({ op: 'top', id: ids.heap, query: { granularity: 'lines' }, opts: {} }, 1 << 20);
      const ac = new AbortController();
      const second = pool.run({ op: 'top', id: ids.cpu, query: {}, opts: {} }, 1 << 20, ac.signal);
      ac.abort();
      await expect(second).rejects.toThrow(/client has gone away/);
      expect('json' in (await first)).toBe(true);
      // An already aborted signal never reaches a worker.
      await expect(pool.run({ op: 'meta', id: ids.cpu }, 0, AbortSignal.abort())).rejects.toThrow(/client has gone away/);
    } finally {
      await pool.close();
    }
  });
});

describe('a busy worker', () => {
  it('runs what the first screen needs (a top page) before a flame graph queued earlier', async () => {
    const pool = new WorkerPool(
      { store: { backend: 'fs', dir: t.dir }, config: srv.service.config, cacheBytes: 256 * 1024 * 1024 },
      1,
      workerEntry()!,
      2048,
      false,
    );
    try {
      const done: string[] = [];
      const track = (name: string, p: Promise<unknown>) => p.then(() => done.push(name));
      // The first task runs at once; the next two wait on this thread, in rank order.
      await Promise.all([
        track('running', pool.run({ op: 'top', id: ids.heap, query: { granularity: 'lines' }, opts: {} }, 1 << 20)),
        track('flame', pool.run({ op: 'flame', id: ids.heap, query: {} }, 1 << 20)),
        track('page', pool.run({ op: 'top', id: ids.heap, query: {}, opts: {}, page: { offset: 0, limit: 50 } }, 1 << 20)),
      ]);
      expect(done).toEqual(['running', 'page', 'flame']);
    } finally {
      await pool.close();
    }
  });
});
