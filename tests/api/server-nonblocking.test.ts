// Heavy analysis runs in worker threads: while the large heap profile is being analysed,
// another user's small request still completes quickly (and first).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/http/server.js';
import { sample, startTestServer, tempDir, uploadOk } from './server-helpers.js';

let t: ReturnType<typeof tempDir>;
let srv: RunningServer;
let heapId: string;
let cpuId: string;

beforeAll(async () => {
  t = tempDir();
  srv = await startTestServer(t.dir, { workers: 2 });
  heapId = await uploadOk(srv.url, sample('largeheap/heap.pb.gz'));
  cpuId = await uploadOk(srv.url, sample('cpu/cpu.pb.gz'));
  // Warm both paths once so the comparison is about scheduling, not first-use costs.
  await fetch(`${srv.url}/api/profiles/${cpuId}/top`);
});

afterAll(async () => {
  await srv?.close();
  t?.remove();
});

async function timed(url: string): Promise<{ status: number; ms: number; end: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  const end = performance.now();
  return { status: res.status, ms: end - t0, end };
}

it('a small request completes quickly while the large heap profile is analysed', async () => {
  // Uncached views of the large profile at line granularity: the heaviest work the API does.
  const heavyUrl = `${srv.url}/api/profiles/${heapId}/flamegraph?si=alloc_space&granularity=lines&noInlines=1`;
  const heavy = timed(heavyUrl);
  await new Promise((r) => setTimeout(r, 30));
  const small = await timed(`${srv.url}/api/profiles/${cpuId}/top?n=5`);
  const big = await heavy;
  expect(big.status).toBe(200);
  expect(small.status).toBe(200);
  console.log(`heavy request ${big.ms.toFixed(0)} ms, small request during it ${small.ms.toFixed(0)} ms`);
  expect(small.end).toBeLessThan(big.end);
  expect(small.ms).toBeLessThan(Math.max(250, big.ms / 3));
});
