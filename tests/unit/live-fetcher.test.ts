// The guarded fetcher against real loopback servers: literal IPs (which skip DNS
// lookup), name lookups, redirects, caps and timeouts. Only 127.0.0.0/8 and ::1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePolicy } from '../../server/src/live/address-policy.js';
import { CaptureError } from '../../server/src/live/errors.js';
import { guardedGet } from '../../server/src/live/fetcher.js';

const SECRET = 'internal-secret';
let v4: Server; // 127.0.0.1: the "internal" service
let v6: Server; // ::1
let redirector: Server; // 127.0.0.2: redirects wherever ?to= says
let hang: Server; // accepts, never answers
let p4 = 0;
let p6 = 0;
let pr = 0;
let ph = 0;

function listen(s: Server, host: string): Promise<number> {
  return new Promise((res) => s.listen(0, host, () => res((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  v4 = createServer((req, res) => {
    if (req.url === '/big') return res.end(Buffer.alloc(100_000));
    res.end(SECRET);
  });
  v6 = createServer((_req, res) => res.end(SECRET));
  redirector = createServer((req, res) => {
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to') ?? '/';
    res.writeHead(302, { location: to }).end();
  });
  hang = createServer(() => undefined);
  [p4, p6, pr, ph] = await Promise.all([
    listen(v4, '127.0.0.1'),
    listen(v6, '::1'),
    listen(redirector, '127.0.0.2'),
    listen(hang, '127.0.0.1'),
  ]);
});

afterAll(() => {
  for (const s of [v4, v6, redirector, hang]) {
    s.closeAllConnections();
    s.close();
  }
});

async function get(url: string, policy = makePolicy(false, []), extra: Partial<Parameters<typeof guardedGet>[1]> = {}) {
  return guardedGet(new URL(url), { policy, maxBytes: 1 << 20, totalTimeoutMs: 3000, ...extra });
}

async function refusal(url: string, policy: ReturnType<typeof makePolicy>): Promise<CaptureError> {
  const e = await get(url, policy).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CaptureError);
  return e as CaptureError;
}

describe('local mode', () => {
  it('reaches loopback by literal, mapped and decimal forms, and by name', async () => {
    for (const u of [
      `http://127.0.0.1:${p4}/`,
      `http://[::ffff:127.0.0.1]:${p4}/`,
      `http://2130706433:${p4}/`,
      `http://localhost:${p4}/`,
      `http://[::1]:${p6}/`,
    ]) {
      const r = await get(u);
      expect(Buffer.from(r.body).toString()).toBe(SECRET);
    }
  });
  it('refuses 0.0.0.0 (which would reach the local machine)', async () => {
    const e = await refusal(`http://0.0.0.0:${p4}/`, makePolicy(false, []));
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(/unspecified/);
  });
  it('refuses a redirect to 0.0.0.0 and to a metadata address', async () => {
    let e = await refusal(`http://127.0.0.2:${pr}/?to=${encodeURIComponent(`http://0.0.0.0:${p4}/`)}`, makePolicy(false, []));
    expect(e.message).toMatch(/redirect to 0\.0\.0\.0 is the unspecified/);
    e = await refusal(
      `http://127.0.0.2:${pr}/?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`,
      makePolicy(false, []),
    );
    expect(e.message).toMatch(/redirect to 169\.254\.169\.254 is a cloud metadata address/);
  });
  it('refuses a redirect to another scheme', async () => {
    const e = await refusal(`http://127.0.0.2:${pr}/?to=${encodeURIComponent('file:///etc/passwd')}`, makePolicy(false, []));
    expect(e.message).toMatch(/only http and https/);
  });
});

describe('shared mode, allow-list = 127.0.0.2 only', () => {
  const policy = makePolicy(true, ['127.0.0.2']);
  it.each([
    ['literal 127.0.0.1', () => `http://127.0.0.1:${p4}/`],
    ['localhost (resolved by lookup)', () => `http://localhost:${p4}/`],
    ['[::1]', () => `http://[::1]:${p6}/`],
    ['[::ffff:127.0.0.1]', () => `http://[::ffff:127.0.0.1]:${p4}/`],
    ['decimal 2130706433', () => `http://2130706433:${p4}/`],
    ['0.0.0.0', () => `http://0.0.0.0:${p4}/`],
    ['redirect from the allowed host to 127.0.0.1', () => `http://127.0.0.2:${pr}/?to=${encodeURIComponent(`http://127.0.0.1:${p4}/`)}`],
    ['redirect from the allowed host to localhost', () => `http://127.0.0.2:${pr}/?to=${encodeURIComponent(`http://localhost:${p4}/`)}`],
  ])('blocks %s', async (_name, url) => {
    const e = await refusal(url(), policy);
    expect(e.code).toBe('refused');
    expect(e.status).toBe(403);
  });
  it('stops after maxRedirects hops on the allowed host', async () => {
    const r = await get(`http://127.0.0.2:${pr}/?to=${encodeURIComponent('/?to=/final')}`, makePolicy(true, ['127.0.0.2']), {
      maxRedirects: 1,
    }).catch((e: Error) => e);
    expect((r as Error).message).toMatch(/too many redirects/);
  });
  it('allows what the list names: CIDR, IP and host name', async () => {
    expect((await get(`http://127.0.0.1:${p4}/`, makePolicy(true, ['127.0.0.0/8']))).status).toBe(200);
    expect((await get(`http://localhost:${p4}/`, makePolicy(true, ['localhost']))).status).toBe(200);
    expect((await get(`http://[::1]:${p6}/`, makePolicy(true, ['::1']))).status).toBe(200);
    const viaRedirect = await get(
      `http://127.0.0.2:${pr}/?to=${encodeURIComponent(`http://127.0.0.1:${p4}/`)}`,
      makePolicy(true, ['127.0.0.2', '127.0.0.1']),
    );
    expect(Buffer.from(viaRedirect.body).toString()).toBe(SECRET);
  });
});

describe('limits', () => {
  it('caps the body size', async () => {
    const e = await get(`http://127.0.0.1:${p4}/big`, makePolicy(false, []), { maxBytes: 10_000 }).catch((x: CaptureError) => x);
    expect(e).toBeInstanceOf(CaptureError);
    expect((e as CaptureError).code).toBe('too-large');
  });
  it('times out on a target that never answers', async () => {
    // The limit that fired is the one given (rounded to seconds in the message); how soon
    // is measured by bench/capture.bench.ts.
    const e = await get(`http://127.0.0.1:${ph}/`, makePolicy(false, []), { totalTimeoutMs: 500 }).catch((x: CaptureError) => x);
    expect((e as CaptureError).code).toBe('timeout');
    expect((e as CaptureError).message).toMatch(/within 1 s$/);
  });
  it('reports a refused connection clearly', async () => {
    const e = await get('http://127.0.0.1:1/').catch((x: CaptureError) => x);
    expect((e as CaptureError).code).toBe('connect');
    expect((e as CaptureError).message).toMatch(/connection refused by 127\.0\.0\.1:1/);
  });
  it('reports TLS failures (https to a plain http server)', async () => {
    const e = await get(`https://127.0.0.1:${p4}/`).catch((x: CaptureError) => x);
    expect((e as CaptureError).code).toBe('tls');
    expect((e as CaptureError).message).toMatch(/TLS with 127\.0\.0\.1/);
  });
  it('cancels through the signal', async () => {
    const ac = new AbortController();
    // Cancel once the request has reached the target (which never answers).
    hang.once('request', () => ac.abort());
    const e = await get(`http://127.0.0.1:${ph}/`, makePolicy(false, []), { signal: ac.signal }).catch((x: CaptureError) => x);
    expect((e as CaptureError).code).toBe('cancelled');
  });
});
