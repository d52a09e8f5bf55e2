// Issue 17: every upload keeps its own name and time even when its bytes equal an earlier
// upload's (stored once), Download saves that name, and deleting one upload keeps the bytes
// another still reads (fs store; the S3 store's side is in server-s3.test.ts). Files that
// are not profiles are named by their magic bytes, with how to get a profile.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/http/server.js';
import { profileId } from '../../server/src/store/id.js';
import { getJson, sample, startTestServer, tempDir, upload } from './server-helpers.js';

const servers: RunningServer[] = [];
const dirs: { remove(): void }[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const d of dirs) d.remove();
});

async function start(dir: string): Promise<RunningServer> {
  const s = await startTestServer(dir, { workers: 1 });
  servers.push(s);
  return s;
}

async function post(
  base: string,
  bytes: Uint8Array,
  name: string,
): Promise<{ status: number; body: { id: string; manageToken?: string } }> {
  const res = await upload(base, bytes, name);
  return { status: res.status, body: (await res.json()) as { id: string; manageToken?: string } };
}

const pbFiles = (dir: string): string[] =>
  readdirSync(join(dir, 'profiles'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.pb'));

describe('uploads of identical bytes keep their own names', () => {
  it('two names, two profiles, one copy of the bytes; Download uses each name; deletes keep shared bytes', async () => {
    const t = tempDir();
    dirs.push(t);
    const s = await start(t.dir);
    const bytes = sample('mapgrow/heap.pb.gz');
    const content = profileId(bytes);
    const a = await post(s.url, bytes, 'checkout/mem.prof');
    const b = await post(s.url, bytes, 'other.prof');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).toBe(content);
    expect(b.body.id).not.toBe(content);
    expect(b.body.manageToken).toBeTruthy();
    // The same file under the same name again is the same profile.
    const again = await post(s.url, bytes, 'other.prof');
    expect(again.body.id).toBe(b.body.id);
    expect(again.body.manageToken).toBeUndefined();

    const metaA = await getJson<{ name: string; storedAt: string }>(`${s.url}/api/profiles/${a.body.id}`);
    const metaB = await getJson<{ name: string; storedAt: string }>(`${s.url}/api/profiles/${b.body.id}`);
    expect(metaA.body.name).toBe('checkout/mem.prof');
    expect(metaB.body.name).toBe('other.prof');
    // A link to the later upload does not reveal the first one's id (the content id).
    expect(JSON.stringify(metaB.body)).not.toContain(content);
    expect(Date.parse(metaB.body.storedAt)).toBeGreaterThanOrEqual(Date.parse(metaA.body.storedAt));
    for (const [id, file] of [
      [a.body.id, 'mem.prof'],
      [b.body.id, 'other.prof'],
    ]) {
      const res = await fetch(`${s.url}/api/profiles/${id}/raw`);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${file}"`);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    }
    // One copy of the bytes; both profiles list and answer the same views.
    expect(pbFiles(t.dir)).toHaveLength(1);
    const list = await getJson<{ profiles: { id: string; name: string }[] }>(`${s.url}/api/profiles`);
    expect(list.body.profiles.map((p) => p.name).sort()).toEqual(['checkout/mem.prof', 'other.prof']);
    const topA = await getJson<{ rows: unknown[] }>(`${s.url}/api/profiles/${a.body.id}/top`);
    const topB = await getJson<{ rows: unknown[] }>(`${s.url}/api/profiles/${b.body.id}/top`);
    expect(topB.body).toEqual(topA.body);

    // Deleting the first keeps the bytes the second reads, also across a restart.
    expect((await fetch(`${s.url}/api/profiles/${a.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await getJson(`${s.url}/api/profiles/${a.body.id}`)).status).toBe(404);
    expect(pbFiles(t.dir)).toHaveLength(1);
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    const s2 = await start(t.dir);
    const raw = await fetch(`${s2.url}/api/profiles/${b.body.id}/raw`);
    expect(raw.status).toBe(200);
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(bytes);
    expect((await getJson(`${s2.url}/api/profiles/${b.body.id}/top?n=1`)).status).toBe(200);
    // The last delete removes the bytes.
    expect((await fetch(`${s2.url}/api/profiles/${b.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(pbFiles(t.dir)).toHaveLength(0);
    expect(existsSync(join(t.dir, 'attachments', b.body.id))).toBe(false);
  });
});

describe('files that are not profiles', () => {
  it('are named by their magic bytes with how to get a profile (415), and nothing is stored', async () => {
    const t = tempDir();
    dirs.push(t);
    const s = await start(t.dir);
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);
    const cases: [Uint8Array, string, RegExp][] = [
      [png, 'shot.png', /^this is a PNG image, not a profile; a profile comes from /],
      [
        new TextEncoder().encode('hello world\nthis is a log\n'),
        'log.txt',
        /^this is a text file, not a profile \(it starts with "hello world\\nthis"\); /,
      ],
      [new TextEncoder().encode('{"a": 1}'), 'x.json', /^this is JSON text, not a profile/],
      [
        Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]),
        'app',
        /^this is an ELF executable \(a program, not a profile of it\), not a profile/,
      ],
      [Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]), 'src.zip', /^this is a ZIP archive, not a profile/],
    ];
    for (const [bytes, name, re] of cases) {
      const res = await post(s.url, bytes, name);
      expect(res.status, name).toBe(415);
      const msg = (res.body as unknown as { error: string }).error;
      expect(msg, name).toMatch(re);
      expect(msg).toContain('go test -cpuprofile cpu.prof');
      expect(msg).toContain('/debug/pprof/profile');
      // No decoder jargon and no raw hex for a recognised kind.
      expect(msg).not.toMatch(/wire type|[0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2}/);
    }
    expect((await getJson<{ total: number }>(`${s.url}/api/profiles`)).body.total).toBe(0);
  });
});
