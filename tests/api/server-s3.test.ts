// The S3 store against a real S3 implementation (Ceph radosgw on loopback, started here):
// the store contract, and two server instances on one bucket serving each other's uploads.
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/http/server.js';
import { newUploadId, profileId } from '../../server/src/store/id.js';
import { S3ProfileStore } from '../../server/src/store/s3-store.js';
import { storeConfigFromEnv } from '../../server/src/store/index.js';
import { sweepExpired } from '../../server/src/service/retention.js';
import { startRgw, type Rgw } from './s3-rgw.js';
import { getJson, sample, startTestServer, tempDir, uploadOk } from './server-helpers.js';

let rgw: Rgw;
let startError: Error | null = null;
// A start failure is recorded and rethrown by every test (so they fail, never skip).
beforeAll(async () => {
  try {
    rgw = await startRgw();
  } catch (err) {
    startError = err as Error;
  }
}, 300_000);
beforeEach(() => {
  if (startError) throw startError;
});
afterAll(async () => {
  await rgw?.stop();
}, 60_000);

const prefix = () => `t-${randomBytes(4).toString('hex')}/`;

/** A plain S3 client on the test bucket, to look at or change objects behind the store's back. */
function bucketClient(cfg: ReturnType<Rgw['store']>): S3Client {
  return new S3Client({
    endpoint: cfg.endpoint,
    region: cfg.region,
    forcePathStyle: true,
    // Ceph RGW rejects the SDK's default aws-chunked trailing checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: cfg.accessKeyId!, secretAccessKey: cfg.secretAccessKey! },
  });
}

/** Every key under the store's prefix. */
async function bucketKeys(cfg: ReturnType<Rgw['store']>): Promise<string[]> {
  const out = await bucketClient(cfg).send(new ListObjectsV2Command({ Bucket: cfg.bucket, Prefix: cfg.prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? '');
}

describe('S3ProfileStore on Ceph RGW', () => {
  it('reads its configuration from the env the script prints', () => {
    const cfg = storeConfigFromEnv(rgw.env);
    expect(cfg).toMatchObject({ backend: 's3', bucket: rgw.env.PPROF_LENS_S3_BUCKET, endpoint: rgw.env.PPROF_LENS_S3_ENDPOINT });
  });

  it('creates the bucket, stores, lists, reads, keeps the first metadata, attachments', async () => {
    const cfg = rgw.store(prefix());
    const s = new S3ProfileStore(cfg);
    await s.init();
    await s.init(); // idempotent: the bucket exists now
    expect(await s.list()).toEqual([]);
    const bytes = sample('cpu/cpu.pb.gz');
    const id = profileId(bytes);
    const info = { id, name: 'first', type: 'cpu', size: bytes.length, storedAt: '2026-01-01T00:00:00.000Z' };
    expect(await s.put(bytes, info)).toEqual(info);
    // A second writer of the same bytes (another instance, fresh caches) gets the first's metadata.
    const other = new S3ProfileStore(cfg);
    expect(await other.put(bytes, { ...info, name: 'second', storedAt: '2026-02-01T00:00:00.000Z' })).toEqual(info);
    expect(await other.get(id)).toEqual(bytes);
    expect(await other.info(id)).toEqual(info);
    const heap = sample('mapgrow/heap.pb.gz');
    const info2 = { id: profileId(heap), name: 'heap', type: 'heap', size: heap.length, storedAt: '2026-03-01T00:00:00.000Z' };
    await other.put(heap, info2);
    expect(await s.list()).toEqual([info2, info]);
    expect(await s.get('a'.repeat(32))).toBeNull();
    expect(await s.info('../../etc')).toBeNull();
    await s.putAttachment(id, 'escape', new TextEncoder().encode('escape text'));
    expect(new TextDecoder().decode((await other.getAttachment(id, 'escape'))!)).toBe('escape text');
    expect(await other.getAttachment(id, 'missing')).toBeNull();
    await expect(s.putAttachment(id, '../x', new Uint8Array(1))).rejects.toThrow(/invalid attachment/);
  });

  it('conditional write: a metadata object that exists is not overwritten (412 path)', async () => {
    const cfg = rgw.store(prefix());
    const a = new S3ProfileStore(cfg);
    await a.init();
    const bytes = sample('goroutines/goroutine.pb.gz');
    const id = profileId(bytes);
    const infoA = { id, name: 'A', type: 'goroutine', size: bytes.length, storedAt: '2026-01-01T00:00:00.000Z' };
    const infoB = { ...infoA, name: 'B', storedAt: '2026-01-02T00:00:00.000Z' };
    // Both race past the existence check; exactly one metadata object wins, and both report it.
    const [ra, rb] = await Promise.all([a.put(bytes, infoA), new S3ProfileStore(cfg).put(bytes, infoB)]);
    expect(ra).toEqual(rb);
    expect(await new S3ProfileStore(cfg).info(id)).toEqual(ra);
  });

  it('an object whose bytes do not match its id never reads as that profile', async () => {
    const cfg = rgw.store(prefix());
    const s = new S3ProfileStore(cfg);
    await s.init();
    const bytes = sample('cpu/cpu.pb.gz');
    const id = profileId(bytes);
    await s.put(bytes, { id, name: 'x', type: 'cpu', size: bytes.length, storedAt: '2026-01-01T00:00:00.000Z' });
    const client = bucketClient(cfg);
    await client.send(new PutObjectCommand({ Bucket: cfg.bucket, Key: `${cfg.prefix}profiles/${id}.pb`, Body: bytes.subarray(0, 100) }));
    expect(await s.get(id)).toBeNull();
  });
});

describe('uploads sharing bytes on S3 (issue 17: each upload keeps its name)', () => {
  it('a later upload of the same bytes reads them under its own id; a delete keeps bytes another upload reads', async () => {
    const cfg = rgw.store(prefix());
    const s = new S3ProfileStore(cfg);
    await s.init();
    const bytes = sample('mapgrow/heap.pb.gz');
    const content = profileId(bytes);
    const first = { id: content, name: 'mem.prof', type: 'heap', size: bytes.length, storedAt: '2026-01-01T00:00:00.000Z' };
    const later = {
      id: newUploadId(),
      name: 'other.prof',
      type: 'heap',
      size: bytes.length,
      storedAt: '2026-01-02T00:00:00.000Z',
      content,
    };
    await s.put(bytes, first);
    expect(await s.put(bytes, later)).toEqual(later);
    // Another instance (fresh caches) sees both, each with its own name.
    const other = new S3ProfileStore(cfg);
    expect(await other.info(later.id)).toEqual(later);
    expect(await other.get(later.id)).toEqual(bytes);
    expect((await other.byContent(content)).map((i) => i.name).sort()).toEqual(['mem.prof', 'other.prof']);
    expect((await other.list()).map((i) => i.id)).toEqual([later.id, content]);
    const keys = async (): Promise<string[]> => (await bucketKeys(cfg)).map((k) => k.slice(cfg.prefix.length)).sort();
    // Deleting the first upload keeps the bytes the later one reads.
    expect(await other.delete(content)).toBe(true);
    expect(await new S3ProfileStore(cfg).info(content)).toBeNull();
    expect(await s.get(later.id)).toEqual(bytes);
    expect(await keys()).toContain(`profiles/${content}.pb`);
    // The last delete takes the bytes and the reference with it.
    expect(await s.delete(later.id)).toBe(true);
    expect(await keys()).toEqual([]);
  });

  it('a delete racing an upload of the same bytes never leaves that upload without them', async () => {
    const cfg = rgw.store(prefix());
    const bytes = sample('mapgrow/heap.pb.gz');
    const content = profileId(bytes);
    const upload = (name: string, id = newUploadId()) => ({
      id,
      name,
      type: 'heap',
      size: bytes.length,
      storedAt: '2026-01-01T00:00:00.000Z',
      content,
    });
    const [a, b] = [new S3ProfileStore(cfg), new S3ProfileStore(cfg)];
    await a.init();
    // An upload on its way has written its reference and the bytes, not yet its metadata:
    // a delete of the last stored upload then keeps the bytes (they used to go, as only
    // metadata counted, and the upload's metadata then named bytes that were gone).
    await a.put(bytes, upload('first', content));
    const client = bucketClient(cfg);
    const pending = newUploadId();
    await client.send(
      new PutObjectCommand({ Bucket: cfg.bucket, Key: `${cfg.prefix}refs/${content}/${pending}`, Body: '', ContentLength: 0 }),
    );
    expect(await b.delete(content)).toBe(true);
    const meta = JSON.stringify(upload('pending', pending));
    await client.send(
      new PutObjectCommand({ Bucket: cfg.bucket, Key: `${cfg.prefix}meta/${pending}.json`, Body: meta, ContentLength: meta.length }),
    );
    expect(await a.get(pending)).toEqual(bytes);
    // Truly concurrent: one instance deletes the last upload while the other stores a new one.
    for (let i = 0; i < 8; i++) {
      const last = (await b.byContent(content))[0];
      const next = upload(`race ${i}`);
      await Promise.all([a.delete(last.id), b.put(bytes, next)]);
      expect([i, await new S3ProfileStore(cfg).get(next.id)]).toEqual([i, bytes]);
    }
  });
});

describe('two server instances on one S3 store', () => {
  const servers: RunningServer[] = [];
  const temps: ReturnType<typeof tempDir>[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const t of temps) t.remove();
  });

  it("serve each other's uploads; a new instance sees everything (no local state)", async () => {
    const cfg = rgw.store(prefix());
    const mk = async () => {
      const t = tempDir();
      temps.push(t);
      const s = await startTestServer(t.dir, { store: cfg, workers: 1 });
      servers.push(s);
      return s;
    };
    const [a, b] = [await mk(), await mk()];
    const cpu = sample('cpu/cpu.pb.gz');
    const heap = sample('largeheap/heap.pb.gz');
    const idA = await uploadOk(a.url, cpu, 'from-a');
    const idB = await uploadOk(b.url, heap, 'from-b');

    for (const [srv, id, bytes] of [
      [b, idA, cpu],
      [a, idB, heap],
    ] as const) {
      const meta = await getJson<{ id: string; size: number }>(`${srv.url}/api/profiles/${id}`);
      expect(meta.status).toBe(200);
      expect(meta.body.size).toBe(bytes.length);
      expect((await getJson(`${srv.url}/api/profiles/${id}/top?n=5`)).status).toBe(200);
      expect((await getJson(`${srv.url}/api/profiles/${id}/flamegraph?minFraction=0.01`)).status).toBe(200);
      const raw = await fetch(`${srv.url}/api/profiles/${id}/raw`);
      // Buffer.equals: toEqual walks 773 kB element by element for seconds on a loaded machine,
      // long enough for the server to close the idle keep-alive socket the next fetch reuses.
      expect(Buffer.from(await raw.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    }
    // The same view from both instances is identical.
    const topA = await getJson(`${a.url}/api/profiles/${idB}/top`);
    const topB = await getJson(`${b.url}/api/profiles/${idB}/top`);
    expect(topA.body).toEqual(topB.body);

    const listA = await getJson<{ profiles: { id: string; name: string }[]; total: number }>(`${a.url}/api/profiles`);
    const listB = await getJson(`${b.url}/api/profiles`);
    expect(listA.body).toEqual(listB.body);
    expect(listA.body.total).toBe(2);
    expect(listA.body.profiles.map((p) => p.name)).toEqual(['from-b', 'from-a']);

    // Same bytes uploaded to both at once: one id, one entry.
    const same = sample('mapgrow/heap.pb.gz');
    const [s1, s2] = await Promise.all([uploadOk(a.url, same), uploadOk(b.url, same)]);
    expect(s1).toBe(s2);
    // Attachments written through one instance are read through the other.
    await a.service.putAttachment(idA, 'escape', new TextEncoder().encode('./main.go:3:6: can inline f'));
    expect(new TextDecoder().decode((await b.service.getAttachment(idA, 'escape'))!)).toBe('./main.go:3:6: can inline f');

    const c = await mk();
    const listC = await getJson<{ total: number }>(`${c.url}/api/profiles`);
    expect(listC.body.total).toBe(3);
    expect((await getJson(`${c.url}/api/profiles/${idA}/top`)).body).toEqual((await getJson(`${a.url}/api/profiles/${idA}/top`)).body);
    // Bad input on one instance changes nothing for the others.
    const bad = await fetch(`${b.url}/api/profiles`, { method: 'POST', body: 'not a profile' });
    expect([415, 422]).toContain(bad.status);
    expect((await getJson<{ total: number }>(`${a.url}/api/profiles`)).body.total).toBe(3);
  });
});

describe('sharing on the S3 store', () => {
  const servers: RunningServer[] = [];
  const temps: ReturnType<typeof tempDir>[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const t of temps) t.remove();
  });

  const keysUnder = async (cfg: ReturnType<Rgw['store']>, id: string): Promise<string[]> => {
    return (await bucketKeys(cfg)).filter((k) => k.includes(id));
  };

  it('the owner deletes through any instance: objects leave the bucket, every instance answers 404; the sweeper deletes expired ones', async () => {
    const cfg = rgw.store(prefix());
    const mk = async () => {
      const t = tempDir();
      temps.push(t);
      const s = await startTestServer(t.dir, { store: cfg, workers: 1, config: { shared: true, retentionMs: 3_600_000 } });
      servers.push(s);
      return s;
    };
    const [a, b] = [await mk(), await mk()];
    const up = await fetch(`${a.url}/api/profiles?name=cpu`, { method: 'POST', body: sample('cpu/cpu.pb.gz') });
    const { id, manageToken } = (await up.json()) as { id: string; manageToken: string };
    await a.service.putAttachment(id, 'escape', new TextEncoder().encode('./main.go:3:6: can inline f'));
    // Both instances have it decoded and cached.
    for (const s of [a, b]) expect((await getJson(`${s.url}/api/profiles/${id}/top`)).status).toBe(200);
    expect((await keysUnder(cfg, id)).sort()).toEqual(
      [
        `${cfg.prefix}attachments/${id}/escape`,
        `${cfg.prefix}meta/${id}.json`,
        `${cfg.prefix}profiles/${id}.pb`,
        `${cfg.prefix}refs/${id}/${id}`,
      ].sort(),
    );
    expect((await fetch(`${b.url}/api/profiles/${id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await fetch(`${b.url}/api/profiles/${id}`, { method: 'DELETE', headers: { 'x-manage-token': manageToken } })).status).toBe(204);
    expect(await keysUnder(cfg, id)).toEqual([]);
    expect((await getJson(`${b.url}/api/profiles/${id}/top`)).status).toBe(404);
    // The other instance notices once its short metadata cache lapses (S3 store: INFO_TTL_MS).
    const deadline = Date.now() + 30_000;
    let status = 200;
    while (Date.now() < deadline && (status = (await getJson(`${a.url}/api/profiles/${id}/top`)).status) === 200) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(404);

    // Retention: a sweep an hour later removes the next upload from the bucket.
    const up2 = await fetch(`${a.url}/api/profiles?name=heap`, { method: 'POST', body: sample('mapgrow/heap.pb.gz') });
    const id2 = ((await up2.json()) as { id: string }).id;
    expect(await sweepExpired(b.service)).toEqual([]);
    expect(await sweepExpired(b.service, Date.now() + 3_700_000)).toEqual([id2]);
    expect(await keysUnder(cfg, id2)).toEqual([]);
  });
});
