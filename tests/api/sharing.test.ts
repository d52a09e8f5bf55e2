// Private sharing on a team server: ownership by manage token and by proxy-vouched user,
// listing scope, 401 without the auth header, owner-only changes, cross-origin refusal,
// Host checks, delete from the fs store and every cache, expiry and the retention sweep.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { InProcessAnalyzer } from '../../server/src/workers/analyzer.js';
import type { RunningServer, StartOptions } from '../../server/src/http/server.js';
import { decodeProfile } from '../../server/src/decode/index.js';
import { encodeProfileGzip } from '../../server/src/encode/pprof.js';
import { sweepExpired } from '../../server/src/service/retention.js';
import { parseDuration } from '../../server/src/service/duration.js';
import { ROOT, sample, startTestServer, tempDir } from './server-helpers.js';
import { makeTar } from '../tar-archive.js';

const dirs: { remove(): void }[] = [];
let servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
afterAll(() => dirs.forEach((d) => d.remove()));

async function start(config: StartOptions['config'], extra: Partial<StartOptions> = {}): Promise<{ s: RunningServer; dir: string }> {
  const t = tempDir();
  dirs.push(t);
  const s = await startTestServer(t.dir, { config, ...extra });
  servers.push(s);
  return { s, dir: t.dir };
}

interface UploadBody {
  id: string;
  url: string;
  owned: boolean;
  manageToken?: string;
  expiresAt: string | null;
}

async function post(base: string, bytes: Uint8Array, headers: Record<string, string> = {}, name = 'my.pb.gz') {
  const res = await fetch(`${base}/api/profiles?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    body: bytes as Uint8Array<ArrayBuffer>,
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });
  return { status: res.status, body: (await res.json()) as UploadBody & { error?: string } };
}

async function call(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, body: json };
}

const cpu = sample('cpu/cpu.pb.gz');
const heap = sample('mapgrow/heap.pb.gz');

describe('shared server without an auth proxy: manage tokens', () => {
  it('returns a manage token once; only its holder renames, sets expiry, deletes and attaches', async () => {
    const { s, dir } = await start({ shared: true });
    const up = await post(s.url, cpu);
    expect(up.status).toBe(201);
    expect(up.body.owned).toBe(true);
    expect(up.body.manageToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // --shared defaults to 30 days of retention.
    const days = (Date.parse(up.body.expiresAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const { id } = up.body;
    const token = { 'x-manage-token': up.body.manageToken! };

    // The same bytes again from someone without the token: a profile of their own (own id,
    // token and owner), sharing the stored bytes; the first stays as it was.
    const again = await post(s.url, cpu);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(id);
    expect(again.body).toMatchObject({ owned: true });
    expect(again.body.manageToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(again.body.manageToken).not.toBe(up.body.manageToken);
    const otherToken = { 'x-manage-token': again.body.manageToken! };
    expect((await call(s.url, 'PATCH', `/api/profiles/${id}`, otherToken, { name: 'pwned' })).status).toBe(403);

    // Nothing is listed without an identity; the link itself works for anyone.
    const list = await call(s.url, 'GET', '/api/profiles');
    expect(list.body).toMatchObject({ profiles: [], total: 0, scope: 'none' });
    const meta = await call(s.url, 'GET', `/api/profiles/${id}`);
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ id, name: 'my.pb.gz', canManage: false, expiresAt: up.body.expiresAt });
    expect(JSON.stringify(meta.body)).not.toContain('tokenHash');
    expect((await call(s.url, 'GET', `/api/profiles/${id}`, token)).body.canManage).toBe(true);

    // Strangers (no token, a wrong token) may change nothing.
    const strangers: Record<string, string>[] = [{}, { 'x-manage-token': 'x'.repeat(32) }];
    for (const h of strangers) {
      expect((await call(s.url, 'PATCH', `/api/profiles/${id}`, h, { name: 'pwned' })).status).toBe(403);
      expect((await call(s.url, 'DELETE', `/api/profiles/${id}`, h)).status).toBe(403);
      const esc = await fetch(`${s.url}/api/profiles/${id}/escape`, {
        method: 'POST',
        headers: { ...h, 'content-type': 'text/plain' },
        body: './main.go:10:6: x escapes to heap\n',
      });
      expect(esc.status).toBe(403);
    }
    expect((await call(s.url, 'GET', `/api/profiles/${id}/escape`)).body).not.toMatchObject({ files: [{ file: './main.go' }] });
    // ... and a second upload of the same bytes attaches to its own profile, never to this one.
    const form = new FormData();
    form.append('profile', new Blob([cpu]), 'cpu.pb.gz');
    form.append('sources', new Blob([await makeTar([{ name: 'main.go', body: 'package main\n' }])]), 'src.tar.gz');
    const third = await fetch(`${s.url}/api/profiles`, { method: 'POST', body: form });
    expect(third.status).toBe(201);
    const thirdBody = (await third.json()) as { id: string; manageToken: string };
    const thirdId = thirdBody.id;
    expect(thirdId).not.toBe(id);
    expect((await call(s.url, 'GET', `/api/profiles/${thirdId}/sources`)).status).toBe(200);
    expect((await call(s.url, 'GET', `/api/profiles/${id}/sources`)).status).toBe(404);

    // The owner can.
    const esc = await fetch(`${s.url}/api/profiles/${id}/escape`, {
      method: 'POST',
      headers: { ...token, 'content-type': 'text/plain' },
      body: './main.go:10:6: x escapes to heap\n',
    });
    expect(esc.status).toBeLessThan(300);
    const renamed = await call(s.url, 'PATCH', `/api/profiles/${id}`, token, { name: 'checkout cpu', expiresIn: '7d' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('checkout cpu');
    expect((Date.parse(renamed.body.expiresAt as string) - Date.now()) / 86_400_000).toBeCloseTo(7, 2);
    // Retention caps what an owner may ask for.
    expect((await call(s.url, 'PATCH', `/api/profiles/${id}`, token, { expiresAt: null })).status).toBe(400);
    expect((await call(s.url, 'PATCH', `/api/profiles/${id}`, token, { expiresIn: '90d' })).status).toBe(400);
    expect((await call(s.url, 'PATCH', `/api/profiles/${id}`, token, { expiresAt: 'soon' })).status).toBe(400);
    expect((await call(s.url, 'GET', `/api/profiles/${id}`)).body.name).toBe('checkout cpu');

    // Delete: sidecar and attachments leave the disk; every view answers 404. The bytes stay
    // while the two later uploads of them read them, and leave with the last of those.
    expect((await call(s.url, 'GET', `/api/profiles/${id}/top`)).status).toBe(200);
    expect(existsSync(join(dir, 'attachments', id))).toBe(true);
    expect((await call(s.url, 'DELETE', `/api/profiles/${id}`, token)).status).toBe(204);
    const shard = join(dir, 'profiles', id.slice(0, 2));
    expect(readdirSync(shard).filter((f) => f.startsWith(id))).toEqual([`${id}.pb`]);
    expect(existsSync(join(dir, 'attachments', id))).toBe(false);
    expect((await call(s.url, 'GET', `/api/profiles/${again.body.id}/top`)).status).toBe(200);
    expect((await call(s.url, 'DELETE', `/api/profiles/${again.body.id}`, otherToken)).status).toBe(204);
    expect(readdirSync(shard).filter((f) => f.startsWith(id))).toEqual([`${id}.pb`]);
    expect((await call(s.url, 'DELETE', `/api/profiles/${thirdId}`, { 'x-manage-token': thirdBody.manageToken })).status).toBe(204);
    expect(readdirSync(shard).filter((f) => f.startsWith(id))).toEqual([]);
    expect(existsSync(join(dir, 'attachments', thirdId))).toBe(false);
    for (const path of ['', '/top', '/flamegraph', '/raw', '/insights', '/source?fn=main']) {
      expect((await call(s.url, 'GET', `/api/profiles/${id}${path}`)).status, path).toBe(404);
    }
    expect((await call(s.url, 'DELETE', `/api/profiles/${id}`, token)).status).toBe(404);
  });

  it('refuses state-changing requests from another origin', async () => {
    const { s } = await start({ shared: true });
    const host = new URL(s.url).host;
    expect((await post(s.url, cpu, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(s.url, cpu, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post(s.url, cpu, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await post(s.url, cpu, { origin: 'null' })).status).toBe(403);
    const ok = await post(s.url, cpu, { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' });
    expect(ok.status).toBe(201);
    // Reading stays open to links from anywhere.
    expect((await call(s.url, 'GET', `/api/profiles/${ok.body.id}`, { 'sec-fetch-site': 'cross-site' })).status).toBe(200);
  });
});

describe('delete clears every cache', () => {
  it('the decoded copy is evicted (in-process analyzer)', async () => {
    const { s } = await start({ shared: true }, { workers: 0 });
    const up = await post(s.url, cpu);
    expect((await call(s.url, 'GET', `/api/profiles/${up.body.id}/flamegraph`)).status).toBe(200);
    const core = (s.service.analyzer as InProcessAnalyzer).core;
    const decodes = core.decodes;
    expect((await call(s.url, 'DELETE', `/api/profiles/${up.body.id}`, { 'x-manage-token': up.body.manageToken! })).status).toBe(204);
    // Already gone from the cache: evicting again finds nothing.
    expect(core.evict(up.body.id)).toBe(false);
    // Uploaded again, it is decoded afresh and belongs to the new uploader.
    const again = await post(s.url, cpu);
    expect(again.body.manageToken).toBeDefined();
    expect((await call(s.url, 'GET', `/api/profiles/${up.body.id}/top`)).status).toBe(200);
    expect(core.decodes).toBe(decodes + 1);
  });
});

describe('--auth-header behind an authenticating proxy', () => {
  it('answers 401 without the header; lists and manages by user; the owner needs no token', async () => {
    const { s } = await start({ shared: true, authHeader: 'X-Forwarded-User' });
    const alice = { 'x-forwarded-user': 'alice@example.com' };
    const bob = { 'x-forwarded-user': 'bob@example.com' };
    for (const [m, p] of [
      ['GET', '/api/profiles'],
      ['GET', '/'],
      ['POST', '/api/profiles'],
    ]) {
      const r = await call(s.url, m, p);
      expect(r.status, `${m} ${p}`).toBe(401);
      expect(String(r.body.error)).toContain('X-Forwarded-User');
    }
    expect((await call(s.url, 'GET', '/api/profiles', { 'x-forwarded-user': '  ' })).status).toBe(401);
    const a = await post(s.url, cpu, alice, 'alice cpu');
    const b = await post(s.url, heap, bob, 'bob heap');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    const la = await call(s.url, 'GET', '/api/profiles', alice);
    expect(la.body).toMatchObject({
      total: 1,
      scope: 'owner',
      profiles: [{ id: a.body.id, name: 'alice cpu', owner: 'alice@example.com' }],
    });
    const lb = await call(s.url, 'GET', '/api/profiles', bob);
    expect((lb.body.profiles as { id: string }[]).map((p) => p.id)).toEqual([b.body.id]);
    // Bob may read Alice's profile by its link, not change it; Alice may without her token.
    expect((await call(s.url, 'GET', `/api/profiles/${a.body.id}/top`, bob)).status).toBe(200);
    expect((await call(s.url, 'PATCH', `/api/profiles/${a.body.id}`, bob, { name: 'x' })).status).toBe(403);
    expect((await call(s.url, 'DELETE', `/api/profiles/${a.body.id}`, bob)).status).toBe(403);
    expect((await call(s.url, 'PATCH', `/api/profiles/${a.body.id}`, alice, { name: 'renamed' })).body.name).toBe('renamed');
    expect((await call(s.url, 'DELETE', `/api/profiles/${a.body.id}`, alice)).status).toBe(204);
    expect((await call(s.url, 'GET', '/api/profiles', alice)).body.total).toBe(0);
    expect((await call(s.url, 'GET', `/api/profiles/${a.body.id}`, bob)).status).toBe(404);
  });
});

describe('local mode keeps its behaviour', () => {
  it('lists everything, lets its user manage everything, never expires by default', async () => {
    const { s } = await start({});
    const up = await post(s.url, cpu);
    expect(up.body.expiresAt).toBeNull();
    expect((await call(s.url, 'GET', '/api/profiles')).body).toMatchObject({ total: 1, scope: 'all' });
    expect((await call(s.url, 'PATCH', `/api/profiles/${up.body.id}`, {}, { expiresIn: '1h' })).status).toBe(200);
    expect((await call(s.url, 'PATCH', `/api/profiles/${up.body.id}`, {}, { expiresAt: null })).body.expiresAt).toBeNull();
    expect((await call(s.url, 'DELETE', `/api/profiles/${up.body.id}`)).status).toBe(204);
  });

  it('answers only to loopback Host names when bound to loopback, and to --public-url when set', async () => {
    const { s } = await start({});
    const port = new URL(s.url).port;
    const asHost = async (base: string, host: string) => {
      // fetch() does not let a page set Host; a raw request does.
      const { request } = await import('node:http');
      return new Promise<number>((resolve, reject) => {
        const u = new URL(base);
        const req = request({ host: u.hostname, port: u.port, path: '/api/profiles', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    };
    expect(await asHost(s.url, `localhost:${port}`)).toBe(200);
    expect(await asHost(s.url, `127.0.0.1:${port}`)).toBe(200);
    expect(await asHost(s.url, `attacker.example:${port}`)).toBe(421);
    const pub = await start({ shared: true, publicUrl: 'https://lens.example.com' });
    expect(await asHost(pub.s.url, 'lens.example.com')).toBe(200);
    expect(await asHost(pub.s.url, `127.0.0.1:${new URL(pub.s.url).port}`)).toBe(421);
  });
});

describe('retention', () => {
  it('parses durations', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('1d12h')).toBe(36 * 3_600_000);
    expect(parseDuration('off')).toBe(0);
    expect(parseDuration('30 days')).toBeNull();
  });

  it('expired profiles answer 410 and the sweeper deletes them from the store', async () => {
    const { s, dir } = await start({ shared: true, retentionMs: 3_600_000 });
    const a = await post(s.url, cpu);
    const b = await post(s.url, heap);
    expect((await call(s.url, 'GET', `/api/profiles/${a.body.id}`)).status).toBe(200);
    // Nothing has expired yet.
    expect(await sweepExpired(s.service)).toEqual([]);
    // An hour and a bit later (b was set to 30 minutes meanwhile), both are due.
    await call(s.url, 'PATCH', `/api/profiles/${b.body.id}`, { 'x-manage-token': b.body.manageToken! }, { expiresIn: '30m' });
    const gone = await sweepExpired(s.service, Date.now() + 45 * 60_000);
    expect(gone).toEqual([b.body.id]);
    expect((await call(s.url, 'GET', `/api/profiles/${b.body.id}`)).status).toBe(404);
    expect(existsSync(join(dir, 'profiles', b.body.id.slice(0, 2), `${b.body.id}.pb`))).toBe(false);
    expect((await sweepExpired(s.service, Date.now() + 3_700_000)).sort()).toEqual([a.body.id]);
    expect(await s.service.store.list()).toEqual([]);
  });
});

describe('sanitised copy', () => {
  it(
    'shows what it removes, then stores a copy without labels, comments, mapping paths, build ids or absolute paths; every number equal',
    { timeout: 120_000 },
    async () => {
      const { s } = await start({ shared: true });
      // A profile carrying what a team would not want to leak.
      const p = decodeProfile(cpu);
      p.comments = ['captured by alice@corp.example on build-host-7'];
      p.mapping = p.mapping.map((m) => ({ ...m, buildId: m.file ? 'deadbeefcafe1234' : m.buildId }));
      p.function = p.function.map((f) => Object.assign(f, { filename: `/home/alice/work/${f.filename}` }));
      p.sample = p.sample.map((smp, i) => ({
        ...smp,
        label: { tenant: [`acme-${i % 3}`] },
        numLabel: { request_bytes: [i] },
        numUnit: { request_bytes: ['bytes'] },
      }));
      const secret = encodeProfileGzip(p);
      const up = await post(s.url, secret, {}, 'secret cpu');
      const { id } = up.body;
      const token = { 'x-manage-token': up.body.manageToken! };

      const preview = await call(s.url, 'GET', `/api/profiles/${id}/sanitised?modulePaths=1`);
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({
        labels: { keys: ['request_bytes', 'tenant'], samples: p.sample.length },
        comments: ['captured by alice@corp.example on build-host-7'],
        mappings: expect.arrayContaining([{ file: '/tmp/tmp.dA8lhm5wTY/cpu', buildId: 'deadbeefcafe1234' }]),
      });
      const files = preview.body.files as { from: string; to: string }[];
      expect(files).toContainEqual({ from: '/home/alice/work/runtime/mgcmark.go', to: 'runtime/mgcmark.go' });
      expect(files.find((f) => f.from.endsWith('/main.go'))?.to).toBe('main/main.go');

      // Only the owner may make one.
      expect((await call(s.url, 'POST', `/api/profiles/${id}/sanitised`, {}, { modulePaths: true })).status).toBe(403);
      const made = await call(s.url, 'POST', `/api/profiles/${id}/sanitised`, token, { modulePaths: true });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ sanitisedFrom: id, owned: true });
      expect(made.body.manageToken).toBeTruthy();
      const copyId = made.body.id as string;
      expect(copyId).not.toBe(id);

      const copyBytes = Buffer.from(await (await fetch(`${s.url}/api/profiles/${copyId}/raw`)).arrayBuffer());
      const raw = gunzipSync(copyBytes).toString('latin1');
      for (const leak of [
        'acme-',
        'tenant',
        'request_bytes',
        'alice',
        'build-host-7',
        'deadbeefcafe1234',
        '/tmp/tmp.dA8lhm5wTY',
        '/home/',
      ]) {
        expect(raw, leak).not.toContain(leak);
      }
      const meta = await call(s.url, 'GET', `/api/profiles/${copyId}`);
      expect(meta.body).toMatchObject({ name: 'secret cpu (sanitised)', sanitisedFrom: id, comments: [] });

      // go tool pprof reads the copy with the same numbers.
      const go = execFileSync('bash', [join(ROOT, 'scripts/ensure-go.sh')], { encoding: 'utf8' }).trim();
      const dir = tempDir();
      dirs.push(dir);
      writeFileSync(join(dir.dir, 'secret.pb.gz'), secret);
      writeFileSync(join(dir.dir, 'copy.pb.gz'), copyBytes);
      const goTop = (f: string) => {
        const t = execFileSync(go, ['tool', 'pprof', '-top', join(dir.dir, f)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        return t.slice(t.indexOf('Showing nodes'));
      };
      expect(goTop('copy.pb.gz')).toBe(goTop('secret.pb.gz'));

      // Numbers: every view of every granularity and sample type equals the original's.
      const numbers = (top: { rows: { flat: number; cum: number }[]; total: number }) => ({
        total: top.total,
        rows: top.rows.map((r) => [r.flat, r.cum]),
      });
      for (const q of ['', 'granularity=lines', 'granularity=files', 'si=samples', 'focus=main%5C.walk&hide=runtime']) {
        const a = await call(s.url, 'GET', `/api/profiles/${id}/top?${q}`);
        const b = await call(s.url, 'GET', `/api/profiles/${copyId}/top?${q}`);
        expect(numbers(b.body as never), q).toEqual(numbers(a.body as never));
        if (!q.includes('files') && !q.includes('lines'))
          expect((b.body.rows as { name: string }[]).map((r) => r.name)).toEqual((a.body.rows as { name: string }[]).map((r) => r.name));
        const fa = await call(s.url, 'GET', `/api/profiles/${id}/flamegraph?${q}`);
        const fb = await call(s.url, 'GET', `/api/profiles/${copyId}/flamegraph?${q}`);
        // Names at line/file granularity carry the (rewritten) paths: compare the tree's numbers there.
        type N = { name: string; value: number; self: number; children: N[] };
        const shape = (n: N, names: boolean): unknown => [names ? n.name : '', n.value, n.self, n.children.map((c) => shape(c, names))];
        const names = !q.includes('files') && !q.includes('lines');
        expect(shape(fb.body.root as N, names), q).toEqual(shape(fa.body.root as N, names));
        expect(fb.body.total, q).toBe(fa.body.total);
      }
    },
  );
});
