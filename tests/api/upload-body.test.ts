// Raw upload bodies are collected two ways (http/body.ts): into one buffer of the declared
// Content-Length as they arrive, or as chunks joined at the end when no length is declared.
// Both give the same stored bytes and the same content id.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/http/server.js';
import { sample, startTestServer, tempDir } from './server-helpers.js';

describe('raw upload bodies', () => {
  const t = tempDir();
  let srv: RunningServer;
  beforeAll(async () => {
    srv = await startTestServer(t.dir, { workers: 1 });
  });
  afterAll(async () => {
    await srv.close();
    t.remove();
  });

  it('declared length and chunked bodies store the same bytes under the same id', async () => {
    const bytes = sample('largeheap/heap.pb.gz');
    const declared = await fetch(`${srv.url}/api/profiles?name=a.pb.gz`, { method: 'POST', body: bytes });
    expect(declared.status).toBe(201);
    const a = (await declared.json()) as { id: string };
    const third = Math.ceil(bytes.length / 3);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 3; i++) c.enqueue(bytes.slice(i * third, (i + 1) * third));
        c.close();
      },
    });
    const chunked = await fetch(`${srv.url}/api/profiles?name=a.pb.gz`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(201);
    const b = (await chunked.json()) as { id: string };
    expect(b.id).toBe(a.id);
    const raw = new Uint8Array(await (await fetch(`${srv.url}/api/profiles/${a.id}/raw`)).arrayBuffer());
    expect(Buffer.compare(raw, bytes)).toBe(0);
  });

  it('an upload over the limit is a 413 that says how to raise it', async () => {
    const small = await startTestServer(`${t.dir}-small`, { workers: 1, config: { maxUploadBytes: 100_000 } });
    try {
      const res = await fetch(`${small.url}/api/profiles`, { method: 'POST', body: sample('largeheap/heap.pb.gz') });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: string }).error).toBe(
        'upload larger than the limit of 100000 bytes (serve --max-upload-mb raises it)',
      );
    } finally {
      await small.close();
      rmSync(`${t.dir}-small`, { recursive: true, force: true });
    }
  });
});
