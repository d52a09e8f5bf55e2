// HTTP API latency on the large heap profile (samples/largeheap/heap.pb.gz, ~280k samples)
// against a server started here (2 analysis workers, fresh temp store). Prints figures.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../server/src/http/server.js';

const FILE = 'samples/largeheap/heap.pb.gz';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function get(url: string): Promise<void> {
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
}

async function post(base: string, bytes: Uint8Array): Promise<string> {
  const res = await fetch(`${base}/api/profiles`, { method: 'POST', body: bytes as Uint8Array<ArrayBuffer> });
  const body = (await res.json()) as { id: string; error?: string };
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${body.error}`);
  return body.id;
}

/** Same profile, different bytes: vary the gzip header's mtime so each upload is new. */
function variant(bytes: Uint8Array, i: number): Uint8Array {
  const v = bytes.slice();
  new DataView(v.buffer).setUint32(4, 0x10000 + i, true);
  return v;
}

async function main(): Promise<void> {
  if (!existsSync(FILE)) {
    console.log(`${FILE} not found: run scripts/make-samples.sh first`);
    return;
  }
  const bytes = new Uint8Array(readFileSync(FILE));
  const dir = mkdtempSync(join(tmpdir(), 'pprof-lens-bench-'));
  const srv = await startServer({ port: 0, store: { backend: 'fs', dir }, samplesDir: null, workers: 2, log: () => undefined });
  const b = srv.url;
  const rows: [string, number[]][] = [];
  const measure = async (label: string, fn: (i: number) => Promise<unknown>) => {
    const xs: number[] = [];
    for (let i = 0; i < RUNS; i++) xs.push(await timed(() => fn(i)));
    rows.push([label, xs]);
  };
  try {
    let id = '';
    await measure('upload (new bytes: stream, hash, decode in worker, fsync store)', async (i) => {
      id = await post(b, variant(bytes, i));
    });
    id = await post(b, bytes.slice());
    await measure('upload of already-stored bytes (dedupe)', () => post(b, bytes.slice()));
    await measure('upload + top (new bytes)', async (i) => {
      const nid = await post(b, variant(bytes, 100 + i));
      await get(`${b}/api/profiles/${nid}/top`);
    });
    await get(`${b}/api/profiles/${id}/top`);
    await measure('top, cached profile (all rows, nodefraction=0)', () => get(`${b}/api/profiles/${id}/top`));
    await measure('top -lines, cached profile', () => get(`${b}/api/profiles/${id}/top?granularity=lines`));
    await measure('flamegraph (default), cached profile', () => get(`${b}/api/profiles/${id}/flamegraph`));
    await measure('flamegraph minFraction=0.005', () => get(`${b}/api/profiles/${id}/flamegraph?minFraction=0.005`));
    await measure('flamegraph si=alloc_space granularity=lines', () =>
      get(`${b}/api/profiles/${id}/flamegraph?si=alloc_space&granularity=lines`),
    );
    const small = await post(b, new Uint8Array(readFileSync('samples/cpu/cpu.pb.gz')));
    await get(`${b}/api/profiles/${small}/top`);
    await measure('small profile top, alone', () => get(`${b}/api/profiles/${small}/top?n=10`));
    await measure('small profile top, while a large flamegraph -lines runs', async () => {
      const heavy = get(`${b}/api/profiles/${id}/flamegraph?si=alloc_objects&granularity=lines&noInlines=1`);
      await new Promise((r) => setTimeout(r, 20));
      const t = await timed(() => get(`${b}/api/profiles/${small}/top?n=10`));
      await heavy;
      return t;
    });
    // The last row measured the whole pair; re-measure the small request alone inside it.
    const during: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const heavy = get(`${b}/api/profiles/${id}/flamegraph?si=alloc_objects&granularity=lines&noInlines=1&i=${i}`);
      await new Promise((r) => setTimeout(r, 20));
      during.push(await timed(() => get(`${b}/api/profiles/${small}/top?n=10`)));
      await heavy;
    }
    rows[rows.length - 1] = ['small profile top, while a large flamegraph -lines runs', during];
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`pprof-lens API bench: ${FILE} (${bytes.length} bytes), ${RUNS} runs, Node ${process.version}, ${cpus().length} cores`);
  console.log('| operation | median ms | min ms | max ms |');
  console.log('|---|---:|---:|---:|');
  for (const [label, xs] of rows) {
    console.log(`| ${label} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`);
  }
}

await main();
