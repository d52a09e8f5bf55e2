// The embedded store through the server: restart persistence, a crash (SIGKILL) during an
// upload, leftovers of interrupted writes, damaged files, attachments, decode caching.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../server/src/service/errors.js';
import { InProcessAnalyzer } from '../../server/src/workers/analyzer.js';
import type { RunningServer } from '../../server/src/http/server.js';
import { FsProfileStore } from '../../server/src/store/fs-store.js';
import { newUploadId, profileId } from '../../server/src/store/id.js';
import { getJson, ROOT, sample, startTestServer, tempDir, uploadOk } from './server-helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start(dir: string, extra = {}): Promise<RunningServer> {
  const s = await startTestServer(dir, extra);
  cleanups.push(() => s.close());
  return s;
}

/** The server as its own process (so it can be killed), via the same entry `npm start` uses. */
function spawnServer(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/src/main.ts', '--port', '0', '--data', dir, '--no-samples', '--workers', '1'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving \d+ profile\(s\) at (http:\/\/[0-9.:]+)\//.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

describe('fs store through the server', () => {
  it('keeps everything across a restart on the same --data', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    const files = ['cpu/cpu.pb.gz', 'mapgrow/heap.pb.gz', 'goroutines/goroutine.pb.gz'];
    const a = await start(t.dir);
    const ids = [];
    for (const f of files) ids.push(await uploadOk(a.url, sample(f), f));
    await a.service.putAttachment(ids[0], 'escape', new TextEncoder().encode('./main.go:10:6: can inline f'));
    const listA = await getJson(`${a.url}/api/profiles`);
    const topA = await getJson(`${a.url}/api/profiles/${ids[0]}/top`);
    await a.close();

    const b = await start(t.dir);
    const listB = await getJson(`${b.url}/api/profiles`);
    expect(listB.body).toEqual(listA.body);
    expect((listB.body as { total: number }).total).toBe(3);
    expect((await getJson(`${b.url}/api/profiles/${ids[0]}/top`)).body).toEqual(topA.body);
    for (const [i, id] of ids.entries()) {
      const raw = await fetch(`${b.url}/api/profiles/${id}/raw`);
      expect(new Uint8Array(await raw.arrayBuffer())).toEqual(sample(files[i]));
    }
    const att = await b.service.getAttachment(ids[0], 'escape');
    expect(new TextDecoder().decode(att!)).toBe('./main.go:10:6: can inline f');
  });

  it('survives SIGKILL mid-upload; leftover temp files and half-stored profiles are ignored and cleaned', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    const { child, url } = await spawnServer(t.dir);
    const cpu = sample('cpu/cpu.pb.gz');
    const cpuId = await uploadOk(url, cpu, 'cpu');

    // Start a large upload, send part of it, then kill the server while it is receiving.
    const heap = sample('largeheap/heap.pb.gz');
    const u = new URL(url);
    await new Promise<void>((resolve) => {
      const req = request({
        host: u.hostname,
        port: u.port,
        path: '/api/profiles',
        method: 'POST',
        headers: { 'content-length': heap.length },
      });
      req.on('error', () => resolve());
      // Half the body has reached the server's socket: kill it while it is receiving.
      req.write(heap.subarray(0, heap.length >> 1), () => {
        child.kill('SIGKILL');
        resolve();
      });
    });
    await new Promise((r) => child.once('exit', r));

    // What a crash inside the atomic write would leave: temp files in the final directories,
    // and the bytes of a profile whose metadata sidecar was never written.
    const heapId = profileId(heap);
    const shard = join(t.dir, 'profiles', heapId.slice(0, 2));
    mkdirSync(shard, { recursive: true });
    writeFileSync(join(shard, '.tmp-0123456789abcdef'), heap.subarray(0, 1000));
    writeFileSync(join(shard, `${heapId}.pb`), heap);
    mkdirSync(join(t.dir, 'attachments', cpuId), { recursive: true });
    writeFileSync(join(t.dir, 'attachments', cpuId, '.tmp-feedfacecafebeef'), 'partial');

    const b = await start(t.dir);
    expect(readdirSync(shard).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    // The bytes without a sidecar were never acknowledged: removed at start.
    expect(existsSync(join(shard, `${heapId}.pb`))).toBe(false);
    expect(existsSync(join(t.dir, 'attachments', cpuId, '.tmp-feedfacecafebeef'))).toBe(false);
    const list = await getJson<{ profiles: { id: string }[]; total: number }>(`${b.url}/api/profiles`);
    expect(list.body.profiles.map((p) => p.id)).toEqual([cpuId]);
    expect((await getJson(`${b.url}/api/profiles/${heapId}`)).status).toBe(404);
    // The same upload again completes normally.
    expect(await uploadOk(b.url, heap)).toBe(heapId);
    expect((await getJson<{ total: number }>(`${b.url}/api/profiles`)).body.total).toBe(2);
    const raw = await fetch(`${b.url}/api/profiles/${heapId}/raw`);
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(heap);
  });

  it('init() reports the temp files it removed', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    mkdirSync(join(t.dir, 'profiles', 'ab'), { recursive: true });
    writeFileSync(join(t.dir, 'profiles', 'ab', '.tmp-1'), 'x');
    writeFileSync(join(t.dir, 'profiles', 'ab', '.tmp-2'), 'y');
    const s = new FsProfileStore(t.dir);
    await s.init();
    expect(s.cleanedTempFiles).toBe(2);
    expect(await s.list()).toEqual([]);
  });

  it('init() removes profile bytes whose sidecar never landed (kill -9 between the renames), keeps whole profiles', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    const whole = 'a'.repeat(32);
    const orphan = 'b'.repeat(32);
    mkdirSync(join(t.dir, 'profiles', 'aa'), { recursive: true });
    mkdirSync(join(t.dir, 'profiles', 'bb'), { recursive: true });
    writeFileSync(join(t.dir, 'profiles', 'aa', `${whole}.pb`), 'x');
    writeFileSync(
      join(t.dir, 'profiles', 'aa', `${whole}.json`),
      JSON.stringify({ id: whole, name: 'w', type: 'cpu', size: 1, storedAt: '2026-01-01T00:00:00.000Z' }),
    );
    writeFileSync(join(t.dir, 'profiles', 'bb', `${orphan}.pb`), 'y');
    const s = new FsProfileStore(t.dir);
    await s.init();
    expect(s.cleanedTempFiles).toBe(1);
    expect(existsSync(join(t.dir, 'profiles', 'bb', `${orphan}.pb`))).toBe(false);
    expect(existsSync(join(t.dir, 'profiles', 'aa', `${whole}.pb`))).toBe(true);
    expect((await s.list()).map((p) => p.id)).toEqual([whole]);
  });

  it('a stored file damaged on disk never reads as that profile', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    const a = await start(t.dir, { workers: 0 });
    const bytes = sample('cpu/cpu.pb.gz');
    const id = await uploadOk(a.url, bytes);
    await a.close();
    const file = join(t.dir, 'profiles', id.slice(0, 2), `${id}.pb`);
    const damaged = Buffer.from(readFileSync(file));
    damaged[damaged.length - 5] ^= 0xff;
    writeFileSync(file, damaged);
    const b = await start(t.dir, { workers: 0 });
    expect((await fetch(`${b.url}/api/profiles/${id}/raw`)).status).toBe(404);
    expect((await fetch(`${b.url}/api/profiles/${id}/top`)).status).toBe(404);
  });

  it('decodes a profile once for many requests (cache), and validates attachment access', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    const s = await start(t.dir, { workers: 0 });
    const core = (s.service.analyzer as InProcessAnalyzer).core;
    const id = await uploadOk(s.url, sample('cpu/cpu.pb.gz'));
    expect(core.decodes).toBe(1);
    for (const q of ['top', 'top?n=2', 'flamegraph', 'flamegraph?minFraction=0.1', 'top?cum=1', '']) {
      expect((await fetch(`${s.url}/api/profiles/${id}/${q}`)).status).toBe(200);
    }
    expect(core.decodes).toBe(1);
    const ctx = s.service;
    await expect(ctx.putAttachment('a'.repeat(32), 'x', new Uint8Array(1))).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.putAttachment(id, '../escape', new Uint8Array(1))).rejects.toThrow(/invalid attachment/);
    expect(await ctx.getAttachment(id, '../../profiles')).toBeNull();
    expect(await ctx.getAttachment('../x', 'escape')).toBeNull();
    await expect(ctx.info('not-an-id')).rejects.toBeInstanceOf(NotFoundError);
    await expect(core.load('a'.repeat(32))).rejects.toBeInstanceOf(NotFoundError);
    const p1 = await core.load(id);
    expect(await core.load(id)).toBe(p1);
    expect(core.decodes).toBe(1);
  });
});

describe('fs store: uploads sharing bytes', () => {
  it('a delete of the last upload racing a new upload of the same bytes leaves the new one whole', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    const store = new FsProfileStore(t.dir);
    await store.init();
    const bytes = sample('mapgrow/heap.pb.gz');
    const content = profileId(bytes);
    const upload = (i: number) => ({ id: newUploadId(), name: `u${i}`, type: 'heap', size: bytes.length, storedAt: '', content });
    let last = await store.put(bytes, upload(-1));
    for (let i = 0; i < 150; i++) {
      const next = upload(i);
      await Promise.all([store.delete(last.id), store.put(bytes, next)]);
      expect([i, await store.get(next.id)]).toEqual([i, bytes]);
      last = next;
    }
    await store.delete(last.id);
    expect(readdirSync(t.dir, { recursive: true }).filter((f) => String(f).endsWith('.pb'))).toEqual([]);
  });
});

describe('decoded-profile LRU', () => {
  it('evicts least recently used entries beyond the byte budget, keeps the newest', async () => {
    const { ByteLru } = await import('../../server/src/workers/lru.js');
    const lru = new ByteLru<string>(100);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    expect(lru.get('a')).toBe('A'); // a is now most recent
    lru.set('c', 'C', 40); // over budget: b (least recent) goes
    expect(lru.has('b')).toBe(false);
    expect(lru.has('a') && lru.has('c')).toBe(true);
    expect(lru.bytes).toBe(80);
    lru.set('huge', 'H', 500); // alone over budget: kept, everything older evicted
    expect([lru.has('a'), lru.has('c'), lru.get('huge')]).toEqual([false, false, 'H']);
    expect(lru.size).toBe(1);
  });

  it('sizes decoded profiles from their structure; the pre-decode estimate is a lower bound', async () => {
    const { minDecodedBytes, decodedBytes } = await import('../../server/src/workers/budget.js');
    const { decodeProfile } = await import('../../server/src/decode/index.js');
    for (const rel of ['largeheap/heap.pb.gz', 'cpu/cpu.pb.gz']) {
      const gz = sample(rel);
      const inflated = (await import('node:zlib')).gunzipSync(gz).length;
      const p = decodeProfile(gz);
      expect(decodedBytes(p)).toBeGreaterThanOrEqual(minDecodedBytes(inflated));
      expect(decodedBytes(p)).toBeGreaterThanOrEqual(p.columns!.stack.byteLength + p.columns!.values.byteLength);
    }
  });
});
