// Live capture figures: address-policy checks per second, and the time a capture takes
// through the API against samples/live-service (fetch + decode + store), next to a
// plain fetch of the same URL; how soon a hanging target is given up on, and how soon a
// CPU capture whose client went away frees the target (the limits tests/api/capture.test.ts
// used to assert). Prints figures; no pass/fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAddress, makePolicy } from '../server/src/live/address-policy.js';
import { startServer } from '../server/src/http/server.js';
import { startBadTargets, startLiveService, targetProfiling } from '../tests/api/capture-env.js';

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(1)} ms, p90 ${q(0.9).toFixed(1)} ms, min ${s[0]!.toFixed(1)} ms (n=${s.length})`;
}

// 1. Policy checks (run for every resolved address and every connection).
{
  const policy = makePolicy(true, ['10.0.0.0/8', '127.0.0.1', 'fd12::/16', 'pprof.internal', '*.svc.cluster.local']);
  const inputs: Array<[string, string]> = [
    ['127.0.0.1', '127.0.0.1'],
    ['x.svc.cluster.local', '10.2.3.4'],
    ['::ffff:169.254.169.254', '::ffff:169.254.169.254'],
    ['evil', '8.8.8.8'],
    ['fd12::1', 'fd12::1'],
  ];
  const n = 200_000;
  const t0 = performance.now();
  let allowed = 0;
  for (let i = 0; i < n; i++) {
    const [h, a] = inputs[i % inputs.length]!;
    if (checkAddress(policy, h, a).allowed) allowed++;
  }
  const dt = performance.now() - t0;
  console.log(
    `policy: ${n} checks in ${dt.toFixed(0)} ms = ${Math.round((n / dt) * 1000).toLocaleString('en')} checks/s (${allowed} allowed)`,
  );
}

// 2. Captures through the API.
const work = mkdtempSync(join(tmpdir(), 'capture-bench-'));
const svc = await startLiveService(work);
const lens = await startServer({
  port: 0,
  store: { backend: 'fs', dir: join(work, 'data') },
  workers: 0,
  samplesDir: null,
  log: () => undefined,
});
try {
  const post = async (body: unknown): Promise<number> => {
    const t0 = performance.now();
    const r = await fetch(`${lens.url}/api/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await r.json();
    if (r.status !== 201) throw new Error(`capture failed: ${r.status}`);
    return performance.now() - t0;
  };
  for (const profile of ['heap', 'goroutine', 'allocs']) {
    const url = `${svc.base}/debug/pprof/${profile}`;
    const direct: number[] = [];
    const api: number[] = [];
    let size = 0;
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      const b = await (await fetch(url)).arrayBuffer();
      direct.push(performance.now() - t0);
      size = b.byteLength;
      api.push(await post({ url }));
    }
    console.log(`${profile} (${size} bytes): plain fetch ${stats(direct)}; POST /api/capture ${stats(api)}`);
  }
  const cpu: number[] = [];
  for (let i = 0; i < 3; i++) cpu.push(await post({ url: svc.base, seconds: 1 }));
  console.log(`CPU seconds=1 via POST /api/capture: ${stats(cpu)} (1000 ms of that is the profiling itself)`);

  // 3. A target that never answers, with timeoutSeconds 1: time to the 504.
  const bad = await startBadTargets();
  try {
    const hang: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await fetch(`${lens.url}/api/capture`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${bad.hang}/debug/pprof/heap`, timeoutSeconds: 1 }),
      });
      await r.json();
      if (r.status !== 504) throw new Error(`expected 504, got ${r.status}`);
      hang.push(performance.now() - t0);
    }
    console.log(`hanging target, timeoutSeconds=1 -> 504 after ${stats(hang)}`);
  } finally {
    bad.close();
  }

  // 4. A client that disconnects from a 30 s CPU capture: abort -> target's profiler free.
  const freed: number[] = [];
  for (let i = 0; i < 3; i++) {
    const ac = new AbortController();
    const pending = fetch(`${lens.url}/api/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: svc.base, seconds: 30 }),
      signal: ac.signal,
    }).catch(() => undefined);
    while (!(await targetProfiling(svc))) await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    ac.abort();
    await pending;
    while (await targetProfiling(svc)) await new Promise((r) => setTimeout(r, 5));
    freed.push(performance.now() - t0);
  }
  console.log(`client gone from a 30 s CPU capture -> target profiler free after ${stats(freed)}`);
} finally {
  await lens.close();
  svc.stop();
  rmSync(work, { recursive: true, force: true });
}
