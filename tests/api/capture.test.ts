// Live capture through the HTTP API against samples/live-service (a real Go program
// serving net/http/pprof on loopback), plus misbehaving loopback targets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  call,
  functionNames,
  startBadTargets,
  startLens,
  startLiveService,
  storedProfile,
  targetProfiling,
  type Answer,
  type BadTargets,
  type Lens,
  type LiveService,
} from './capture-env.js';

let work: string;
let svc: LiveService;
let lens: Lens; // local mode
let bad: BadTargets;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'live-service-'));
  // A high retain cap so the heap keeps growing (about 3 MB/s) however long the earlier tests take.
  [svc, lens, bad] = await Promise.all([startLiveService(work, ['-retain-max', '4096']), startLens({}), startBadTargets()]);
});

afterAll(async () => {
  svc?.stop();
  bad?.close();
  await lens?.close();
  rmSync(work, { recursive: true, force: true });
});

interface Status {
  cid: string;
  state: string;
  progress: number;
  error: string | null;
  result: { id: string; url: string } | null;
  watch?: { snapshots: Array<{ id: string; url: string; totals: Array<{ type: string; value: number }> }>; failures: unknown[] };
}

async function status(cid: string): Promise<Status> {
  const r = await call(lens, 'GET', `/api/captures/${cid}`);
  expect(r.status).toBe(200);
  return r.body as unknown as Status;
}

/** Polls the capture until it has left the running state. */
async function waitDone(cid: string, timeoutMs = 20_000): Promise<Status> {
  return vi.waitFor(
    async () => {
      const s = await status(cid);
      expect(s.state, `capture ${cid}`).not.toBe('running');
      return s;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

/** Waits until the Go service is (or is no longer) serving a CPU profile request. */
async function waitProfiling(busy: boolean): Promise<void> {
  await vi.waitFor(async () => expect(await targetProfiling(svc)).toBe(busy), { timeout: 20_000, interval: 20 });
}

describe('target listing', () => {
  it('lists what /debug/pprof/ offers, custom profiles included', async () => {
    const r = await call(lens, 'GET', `/api/capture/targets?url=${encodeURIComponent(svc.base)}`);
    expect(r.status).toBe(200);
    const profiles = r.body.profiles as Array<{ name: string; kind: string; count: number | null }>;
    const names = profiles.map((p) => p.name);
    for (const n of ['profile', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate', 'live.widgets'])
      expect(names).toContain(n);
    expect(profiles.find((p) => p.name === 'profile')!.kind).toBe('cpu');
    expect(profiles.find((p) => p.name === 'trace')!.kind).toBe('unsupported');
    expect(profiles.find((p) => p.name === 'live.widgets')!.count).toBe(3);
    expect(r.body.index).toBe(`${svc.base}/debug/pprof/`);
  });
  it('explains a target without a pprof index', async () => {
    const r = await call(lens, 'GET', `/api/capture/targets?url=${encodeURIComponent(bad.html)}`);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/not with a Go \/debug\/pprof\/ index/);
    const missing = await call(lens, 'GET', '/api/capture/targets');
    expect(missing.status).toBe(400);
  });
});

describe('capturing each profile kind', () => {
  it('CPU for 1 s shows the hot function', async () => {
    const r = await call(lens, 'POST', '/api/capture', { url: svc.base, seconds: 1 });
    expect(r.status).toBe(201);
    expect(r.body.url).toBe(`/p/${r.body.id}`);
    const p = await storedProfile(lens, r.body.id as string);
    // The profile covers the second asked for.
    expect(Number(p.durationNanos)).toBeGreaterThanOrEqual(1e9);
    expect(p.sampleType.map((t) => t.type)).toEqual(['samples', 'cpu']);
    expect(functionNames(p)).toContain('main.spinHot');
    const info = await call(lens, 'GET', `/api/profiles/${r.body.id}`);
    expect(info.status).toBe(200);
    expect(info.body.name).toMatch(/^127\.0\.0\.1_\d+-cpu-\d{8}T\d{6}Z\.pb\.gz$/);
  });

  it.each([
    ['heap', { gc: true }, 'inuse_space', 'main.retainChunks'],
    ['allocs', {}, 'alloc_space', 'main.churnGarbage'],
    ['goroutine', {}, 'goroutine', 'main.leakyWaiter'],
    ['mutex', {}, 'delay', 'main.contendLock'],
    ['block', {}, 'delay', 'sync.(*Mutex).Lock'],
    ['threadcreate', {}, 'threadcreate', null],
    ['live.widgets', {}, 'live.widgets', 'main.openWidget'],
  ])('%s snapshot decodes and shows what the service does', async (profile, extra, sampleType, fn) => {
    const r = await call(lens, 'POST', '/api/capture', { url: `${svc.base}/debug/pprof/`, profile, ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const p = await storedProfile(lens, r.body.id as string);
    expect(p.sampleType.map((t) => t.type)).toContain(sampleType);
    if (fn) expect(functionNames(p)).toContain(fn);
  });

  it('accepts a full profile URL with debug=1 (asks for the protobuf anyway)', async () => {
    const r = await call(lens, 'POST', '/api/capture', { url: `${svc.base}/debug/pprof/goroutine?debug=1` });
    expect(r.status).toBe(201);
    expect(functionNames(await storedProfile(lens, r.body.id as string))).toContain('main.leakyWaiter');
  });
});

describe('progress, cancel and the one-CPU-capture rule', () => {
  it('a second CPU capture of the same target gets 409 while the first runs', async () => {
    const first = await call(lens, 'POST', '/api/captures', { url: svc.base, seconds: 2 });
    expect(first.status).toBe(202);
    const cid = first.body.cid as string;
    const [again, sync] = await Promise.all([
      call(lens, 'POST', '/api/captures', { url: svc.base, seconds: 1 }),
      call(lens, 'POST', '/api/capture', { url: `${svc.base}/debug/pprof/profile?seconds=1` }),
    ]);
    for (const r of [again, sync]) {
      expect(r.status).toBe(409);
      expect(r.body.error).toMatch(/capture already running/);
    }
    // Snapshots of the same target are not blocked by a running CPU capture.
    expect((await call(lens, 'POST', '/api/capture', { url: svc.base, profile: 'goroutine' })).status).toBe(201);
    // Progress moves while the capture runs.
    const mid = await vi.waitFor(
      async () => {
        const s = await status(cid);
        expect(s.progress).toBeGreaterThan(0.2);
        return s;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(mid.state).toBe('running');
    expect(mid.progress).toBeLessThan(1);
    const done = await waitDone(cid);
    expect(done.state).toBe('done');
    expect(done.progress).toBe(1);
    expect(functionNames(await storedProfile(lens, done.result!.id))).toContain('main.spinHot');
    // The lock is released: the next CPU capture starts.
    const next = await call(lens, 'POST', '/api/captures', { url: svc.base, seconds: 1 });
    expect(next.status).toBe(202);
    expect((await waitDone(next.body.cid as string)).state).toBe('done');
  });

  it('DELETE cancels a running CPU capture and frees the target', async () => {
    const r = await call(lens, 'POST', '/api/captures', { url: svc.base, seconds: 30 });
    expect(r.status).toBe(202);
    await waitProfiling(true);
    const del = await call(lens, 'DELETE', `/api/captures/${r.body.cid}`);
    expect(del.status).toBe(200);
    expect(del.body.state).toBe('cancelled');
    expect(del.body.result).toBeNull();
    await waitProfiling(false);
    const next = await call(lens, 'POST', '/api/capture', { url: svc.base, seconds: 1 });
    expect(next.status).toBe(201);
    expect((await call(lens, 'GET', '/api/captures/nope')).status).toBe(404);
  });
});

describe('more capture paths', () => {
  it('a client that disconnects from POST /api/capture cancels its CPU capture', async () => {
    const ac = new AbortController();
    const pending = fetch(`${lens.url}/api/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: svc.base, seconds: 30 }),
      signal: ac.signal,
    }).catch((e: Error) => e);
    await waitProfiling(true);
    ac.abort();
    await pending;
    // The capture is cancelled: the target's profile request ends long before its 30 s.
    await waitProfiling(false);
    const next = await call(lens, 'POST', '/api/capture', { url: svc.base, seconds: 1 });
    expect(next.status).toBe(201);
  });

  it('someone else profiling the target (Go says "cpu profiling already in use") -> 409', async () => {
    // A CPU profile fetched directly, not through pprof-lens.
    const direct = fetch(`${svc.base}/debug/pprof/profile?seconds=2`).then((r) => r.arrayBuffer());
    await waitProfiling(true);
    const r = await call(lens, 'POST', '/api/capture', { url: svc.base, seconds: 1 });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatch(/capture already running: 127\.0\.0\.1:\d+ says its CPU profiler is already in use/);
    await direct;
  });

  it('seconds on a snapshot profile asks for a delta profile', async () => {
    const r = await call(lens, 'POST', '/api/capture', { url: svc.base, profile: 'allocs', seconds: 1 });
    expect(r.status).toBe(201);
    // The runtime publishes allocation data at GC ends, so a 1 s delta may hold no samples;
    // it is still a decodable allocs profile covering the interval.
    const p = await storedProfile(lens, r.body.id as string);
    expect(p.sampleType.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(Number(p.durationNanos)).toBeGreaterThanOrEqual(1e9);
  });

  it('follows a loopback redirect in local mode', async () => {
    const r = await call(lens, 'POST', '/api/capture', {
      url: `${bad.redirect}/?to=${encodeURIComponent(`${svc.base}/debug/pprof/goroutine`)}`,
    });
    expect(r.status).toBe(201);
    expect(functionNames(await storedProfile(lens, r.body.id as string))).toContain('main.leakyWaiter');
  });
});

describe('watch mode', () => {
  it('sees the goroutine leak grow and links snapshots for compare', async () => {
    const r = await call(lens, 'POST', '/api/captures', { url: svc.base, profile: 'goroutine', watch: { intervalSeconds: 1, count: 3 } });
    expect(r.status).toBe(202);
    const s = await waitDone(r.body.cid as string);
    expect(s.state).toBe('done');
    const snaps = s.watch!.snapshots;
    expect(snaps).toHaveLength(3);
    const counts = snaps.map((x) => x.totals.find((t) => t.type === 'goroutine')!.value);
    expect(counts[1]!).toBeGreaterThan(counts[0]!);
    expect(counts[2]!).toBeGreaterThan(counts[1]!);
    // Each snapshot is a stored profile whose goroutine count equals the reported total.
    const last = await storedProfile(lens, snaps[2]!.id);
    expect(last.sample.reduce((a, x) => a + x.value[0]!, 0)).toBe(counts[2]);
    expect(new Set(snaps.map((x) => x.id)).size).toBe(3);
  });

  it('sees inuse_space rise in heap snapshots taken with gc=1', async () => {
    const r = await call(lens, 'POST', '/api/captures', {
      url: svc.base,
      profile: 'heap',
      gc: true,
      watch: { intervalSeconds: 1, count: 2 },
    });
    const s = await waitDone(r.body.cid as string);
    const inuse = s.watch!.snapshots.map((x) => x.totals.find((t) => t.type === 'inuse_space')!.value);
    expect(inuse).toHaveLength(2);
    expect(inuse[1]!).toBeGreaterThan(inuse[0]!);
  });

  it('refuses a CPU watch and bad counts', async () => {
    let r = await call(lens, 'POST', '/api/captures', { url: svc.base, watch: { intervalSeconds: 1, count: 3 } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/snapshot profiles/);
    r = await call(lens, 'POST', '/api/captures', { url: svc.base, profile: 'heap', watch: { intervalSeconds: 0, count: 3 } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/intervalSeconds/);
  });
});

describe('clear errors', () => {
  it('HTML page', async () => {
    const r = await call(lens, 'POST', '/api/capture', { url: `${bad.html}/debug/pprof/heap` });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/answered with an HTML page, not a profile/);
  });
  it('plain text that is not a profile', async () => {
    const r = await call(lens, 'POST', '/api/capture', { url: `${bad.text}/debug/pprof/heap` });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/did not answer with a pprof profile: it sent a \d+-byte body of type text\/plain that is not a profile/);
    // What the target said is never repeated: it may be a secret.
    expect(r.body.error).not.toMatch(/everything is fine/);
  });
  it('404 from the target', async () => {
    const r = await call(lens, 'POST', '/api/capture', { url: `${svc.base}/debug/pprof/nosuch` });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/404 Not Found .*does not serve this profile \(it sent a \d+-byte body of type text\/plain\)/);
    expect(r.body.error).not.toMatch(/Unknown profile/);
  });
  it('target that hangs -> timeout', async () => {
    // How soon the 504 comes is measured by bench/capture.bench.ts.
    const r = await call(lens, 'POST', '/api/capture', { url: `${bad.hang}/debug/pprof/heap`, timeoutSeconds: 1 });
    expect(r.status).toBe(504);
    expect(r.body.error).toMatch(/did not (answer|finish answering) within 1 s/);
  });
  it('connection refused', async () => {
    const r = await call(lens, 'POST', '/api/capture', { url: 'http://127.0.0.1:1/debug/pprof/heap' });
    expect(r.status).toBe(502);
    expect(r.body.error).toMatch(/connection refused by 127\.0\.0\.1:1/);
  });
  it('TLS failure', async () => {
    const r = await call(lens, 'POST', '/api/capture', { url: `${svc.base.replace('http:', 'https:')}/debug/pprof/heap` });
    expect(r.status).toBe(502);
    expect(r.body.error).toMatch(/^TLS with 127\.0\.0\.1:\d+ failed/);
  });
  it('bad requests', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ url: 'ftp://127.0.0.1/x' }, /only http and https/],
      [{ url: `${svc.base}/debug/pprof/trace` }, /execution trace/],
      [{ url: svc.base, seconds: 'ten' }, /seconds must be/],
      [{ url: svc.base, seconds: 2, timeoutSeconds: 2 }, /must be longer than the capture duration/],
      [{}, /url is required/],
      [[1, 2], /JSON object/],
    ];
    for (const [body, why] of cases) {
      const r = await call(lens, 'POST', '/api/capture', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(why);
    }
  });
  it('response larger than the cap', async () => {
    const small = await startLens({ maxUploadBytes: 200 });
    try {
      const r = await call(small, 'POST', '/api/capture', { url: svc.base, profile: 'goroutine' });
      expect(r.status).toBe(413);
      expect(r.body.error).toMatch(/larger than the 200 byte limit/);
    } finally {
      await small.close();
    }
  });
});

describe('address policy', () => {
  it('local mode reaches loopback in every spelling, but not 0.0.0.0 or metadata', async () => {
    const port = svc.port;
    for (const u of [`http://localhost:${port}`, `http://[::ffff:127.0.0.1]:${port}`, `http://2130706433:${port}`]) {
      const r = await call(lens, 'POST', '/api/capture', { url: u, profile: 'goroutine' });
      expect(r.status, u).toBe(201);
    }
    for (const [u, why] of [
      [`http://0.0.0.0:${port}`, /unspecified/],
      [`http://0:${port}`, /unspecified/],
      ['http://169.254.169.254/', /cloud metadata/],
      ['http://[fd00:ec2::254]/', /cloud metadata/],
      [`${bad.redirect}/?to=${encodeURIComponent(`http://0.0.0.0:${port}/debug/pprof/goroutine`)}`, /redirect to 0\.0\.0\.0/],
    ] as Array<[string, RegExp]>) {
      const r = await call(lens, 'POST', '/api/capture', { url: u, profile: 'goroutine' });
      expect(r.status, u).toBe(403);
      expect(r.body.error).toMatch(why);
    }
  });

  it('shared mode without an allow-list refuses loopback', async () => {
    const shared = await startLens({ shared: true });
    try {
      for (const u of [svc.base, `http://localhost:${svc.port}`, `http://[::1]:${svc.port}`]) {
        const r = await call(shared, 'POST', '/api/capture', { url: u, profile: 'goroutine' });
        expect(r.status, u).toBe(403);
        expect(r.body.error).toMatch(/not an allowed target on this shared server/);
      }
      const t = await call(shared, 'GET', `/api/capture/targets?url=${encodeURIComponent(svc.base)}`);
      expect(t.status).toBe(403);
    } finally {
      await shared.close();
    }
  });

  it('shared mode with --allow-target 127.0.0.2: allowed host works, redirects and other spellings do not', async () => {
    const shared = await startLens({ shared: true, allowTargets: ['127.0.0.2'] });
    try {
      const toSvc = `${bad.redirect}/?to=${encodeURIComponent(`${svc.base}/debug/pprof/goroutine`)}`;
      const cases = [
        toSvc,
        `${bad.redirect}/?to=${encodeURIComponent(`http://localhost:${svc.port}/debug/pprof/goroutine`)}`,
        `${svc.base}/debug/pprof/goroutine`,
        `http://[::ffff:127.0.0.1]:${svc.port}/debug/pprof/goroutine`,
        `http://2130706433:${svc.port}/debug/pprof/goroutine`,
        `http://localhost:${svc.port}/debug/pprof/goroutine`,
      ];
      for (const u of cases) {
        const r = await call(shared, 'POST', '/api/capture', { url: u });
        expect(r.status, u).toBe(403);
      }
      // The allowed host itself is reachable (its redirect answer loops back to itself).
      const self = await call(shared, 'POST', '/api/capture', { url: `${bad.redirect}/debug/pprof/heap` });
      expect(self.status).toBe(502);
      expect(self.body.error).toMatch(/too many redirects/);
    } finally {
      await shared.close();
    }
  });

  it('shared mode with --allow-target 127.0.0.0/8 captures from the service', async () => {
    const shared = await startLens({ shared: true, allowTargets: ['127.0.0.0/8'] });
    try {
      const r = await call(shared, 'POST', '/api/capture', { url: svc.base, profile: 'goroutine' });
      expect(r.status).toBe(201);
      // ::1 is not in the list.
      const v6 = await call(shared, 'POST', '/api/capture', { url: `http://[::1]:${svc.port}`, profile: 'goroutine' });
      expect(v6.status).toBe(403);
    } finally {
      await shared.close();
    }
  });
});

describe('captured profiles are owned like uploads', () => {
  async function as(l: Lens, user: string | null, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (user) headers['x-user'] = user;
    if (token) headers['x-manage-token'] = token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(l.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }
  const listed = async (l: Lens, user: string | null): Promise<string[]> =>
    ((await as(l, user, 'GET', '/api/profiles')).body.profiles as Array<{ id: string }>).map((p) => p.id);

  it('local mode: the capture answer carries a manage token, as an upload does', async () => {
    const r = await call(lens, 'POST', '/api/capture', { url: svc.base, profile: 'goroutine' });
    expect(r.status).toBe(201);
    expect(r.body.owned).toBe(true);
    expect(r.body.manageToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(r.body.expiresAt).toBeNull();
  });

  it('--auth-header: the capturer owns it and lists it; another user neither lists nor deletes it', async () => {
    const team = await startLens({ shared: true, authHeader: 'X-User', allowTargets: ['127.0.0.0/8'] });
    try {
      const r = await as(team, 'alice', 'POST', '/api/capture', { url: svc.base, profile: 'goroutine' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.owned).toBe(true);
      expect(typeof r.body.manageToken).toBe('string');
      expect(typeof r.body.expiresAt).toBe('string'); // --shared: 30 days by default
      const id = r.body.id as string;
      expect(await listed(team, 'alice')).toEqual([id]);
      expect(await listed(team, 'bob')).toEqual([]);
      expect((await as(team, null, 'GET', '/api/profiles')).status).toBe(401);
      const bob = await as(team, 'bob', 'DELETE', `/api/profiles/${id}`);
      expect(bob.status).toBe(403);
      expect(bob.body.error).toMatch(/only the owner/);
      expect((await as(team, 'bob', 'GET', `/api/profiles/${id}`)).status).toBe(200); // links stay shareable
      // The owner deletes by name, without the token.
      expect((await as(team, 'alice', 'DELETE', `/api/profiles/${id}`)).status).toBe(204);
      expect((await as(team, 'alice', 'GET', `/api/profiles/${id}`)).status).toBe(404);
    } finally {
      await team.close();
    }
  });

  it('--shared: a watch hands one token for all its snapshots; only its holder deletes them', async () => {
    const shared = await startLens({ shared: true, allowTargets: ['127.0.0.0/8'] });
    try {
      const start = await as(shared, null, 'POST', '/api/captures', {
        url: svc.base,
        profile: 'goroutine',
        watch: { intervalSeconds: 1, count: 2 },
      });
      expect(start.status).toBe(202);
      const token = start.body.manageToken as string;
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const cid = start.body.cid as string;
      const s = await vi.waitFor(
        async () => {
          const st = await as(shared, null, 'GET', `/api/captures/${cid}`);
          expect(st.body.state).not.toBe('running');
          return st.body as unknown as Status;
        },
        { timeout: 20_000, interval: 100 },
      );
      // The token is shown once: status queries do not repeat it.
      expect(JSON.stringify(s)).not.toContain(token);
      expect(s.state).toBe('done');
      const ids = s.watch!.snapshots.map((x) => x.id);
      expect(ids).toHaveLength(2);
      // No identities on this server: the listing shows nothing to anyone.
      expect(await listed(shared, null)).toEqual([]);
      for (const id of ids) {
        expect((await as(shared, null, 'DELETE', `/api/profiles/${id}`)).status).toBe(403);
        expect((await as(shared, null, 'DELETE', `/api/profiles/${id}`, undefined, 'x'.repeat(32))).status).toBe(403);
        expect((await as(shared, null, 'DELETE', `/api/profiles/${id}`, undefined, token)).status).toBe(204);
        expect((await as(shared, null, 'GET', `/api/profiles/${id}`)).status).toBe(404);
      }
    } finally {
      await shared.close();
    }
  });
});
