// Heavy analysis runs in worker threads: while the large heap profile is being analysed,
// another user's small request is answered before the heavy ones have all finished. How long each takes is
// measured by bench/nonblocking.bench.ts, not here.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../server/src/http/server.js';
import { sample, startTestServer, tempDir, trackAnalyses, uploadOk } from './server-helpers.js';

let t: ReturnType<typeof tempDir>;
let srv: RunningServer;
let heapId: string;
let cpuId: string;

beforeAll(async () => {
  t = tempDir();
  srv = await startTestServer(t.dir, { workers: 2 });
  heapId = await uploadOk(srv.url, sample('largeheap/heap.pb.gz'));
  cpuId = await uploadOk(srv.url, sample('cpu/cpu.pb.gz'));
});

afterAll(async () => {
  await srv?.close();
  t?.remove();
});

it('a small request is answered while the large heap profile is still being analysed', async () => {
  const tasks = trackAnalyses(srv.service, ['flame']);
  // Uncached views of the large profile at line granularity, the heaviest work the API does;
  // three of them queue on the worker that holds the large profile.
  const heavyUrl = (i: number) => `${srv.url}/api/profiles/${heapId}/flamegraph?si=alloc_space&granularity=lines&noInlines=1&i=${i}`;
  let heavyDone = 0;
  const heavy = [0, 1, 2].map(async (i) => {
    const res = await fetch(heavyUrl(i));
    await res.arrayBuffer();
    heavyDone++;
    return res.status;
  });
  // Wait until the three heavy tasks are in the workers.
  await vi.waitFor(() => expect(tasks.started()).toBeGreaterThanOrEqual(3), { timeout: 30_000, interval: 5 });
  const small = await fetch(`${srv.url}/api/profiles/${cpuId}/top?n=5`);
  expect(small.status).toBe(200);
  expect(((await small.json()) as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
  // Blocked behind the heavy requests it would have been answered after all three.
  expect(heavyDone).toBeLessThan(3);
  expect(await Promise.all(heavy)).toEqual([200, 200, 200]);
});
