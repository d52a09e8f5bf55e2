// Latency of another user's small request while large work runs in the analysis workers
// (the scenarios of tests/api/server-nonblocking.test.ts and feature-nonblocking.test.ts,
// which check only that the small requests are answered meanwhile). Prints figures.
import { cpus, loadavg } from 'node:os';
import { sample, startTestServer, tempDir, trackAnalyses, uploadOk } from '../tests/api/server-helpers.js';

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[s.length >> 1]!.toFixed(0)} ms, max ${s[s.length - 1]!.toFixed(0)} ms (${s.length} requests)`;
}

async function get(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t0;
}

/** Same profile, different bytes (gzip header mtime): a second large profile. */
function variant(bytes: Uint8Array, i: number): Uint8Array {
  const out = bytes.slice();
  out[4] = (out[4]! + i) & 0xff;
  return out;
}

async function main(): Promise<void> {
  const t = tempDir('pprof-lens-bench-');
  const srv = await startTestServer(t.dir, { workers: 2 });
  try {
    const large = sample('largeheap/heap.pb.gz');
    const heapId = await uploadOk(srv.url, large);
    const heap2Id = await uploadOk(srv.url, variant(large, 1));
    const cpuId = await uploadOk(srv.url, sample('cpu/cpu.pb.gz'));
    for (let i = 0; i < 3; i++) await get(`${srv.url}/api/profiles/${cpuId}/top?n=5&w=${i}`);
    const small = `${srv.url}/api/profiles/${cpuId}/top?n=5`;
    console.log(
      `small-request latency during large work: Node ${process.version}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}`,
    );
    console.log(`  small request alone: ${stats(await Promise.all([0, 1, 2, 3, 4].map(async (i) => get(`${small}&a=${i}`))))}`);

    let run = 0;
    const scenario = async (label: string, heavyUrls: string[]): Promise<void> => {
      const tasks = trackAnalyses(srv.service, ['flame', 'diffTop', 'insights']);
      const t0 = performance.now();
      let done = false;
      const heavy = Promise.all(heavyUrls.map((u) => get(u))).finally(() => (done = true));
      while (tasks.started() < heavyUrls.length) await new Promise((r) => setImmediate(r));
      const ms: number[] = [];
      while (!done && ms.length < 200) ms.push(await get(`${small}&r=${run++}`));
      const h = await heavy;
      console.log(`  ${label}: heavy ${h.map((x) => x.toFixed(0)).join(' / ')} ms (${(performance.now() - t0).toFixed(0)} ms in all)`);
      console.log(`    small requests meanwhile: ${ms.length ? stats(ms) : 'none (heavy work ended first)'}`);
    };
    await scenario(
      '3 uncached flame graphs -lines of the large heap profile',
      [0, 1, 2].map((i) => `${srv.url}/api/profiles/${heapId}/flamegraph?si=alloc_space&granularity=lines&noInlines=1&i=${i}`),
    );
    await scenario('a first large comparison + insights of one large profile', [
      `${srv.url}/api/profiles/${heap2Id}/diff?base=${heapId}`,
      `${srv.url}/api/profiles/${heap2Id}/insights?si=alloc_space`,
    ]);
    await scenario('large work on every worker (the small-request lane)', [
      `${srv.url}/api/profiles/${heap2Id}/diff?base=${heapId}&mode=base`,
      `${srv.url}/api/profiles/${heapId}/diff?base=${heap2Id}`,
      `${srv.url}/api/profiles/${heapId}/insights?si=inuse_space`,
    ]);
  } finally {
    await srv.close();
    t.remove();
  }
}

await main();
