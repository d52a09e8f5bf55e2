// Decode-layer benchmark: inflate throughput (node:zlib) and protobuf decode throughput
// measured separately, in MB/s of uncompressed bytes, for the hand-written decoder and
// the protobufjs reference, plus the memory the decoded profile retains.
// Inputs: google/pprof's large.cpu and samples/largeheap/heap.pb.gz (when present).
// Run: npx tsx bench/decode.bench.ts [runs]
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzip, gunzipSync, gzipSync } from 'node:zlib';
import { decodeProfile } from '../server/src/decode/index.js';
import { decodeProtoFast } from '../server/src/decode/fast-decoder.js';
import { decodeProtoReference } from '../tests/fixtures/decode/reference-decoder.js';
import { CORPUS_DIR } from '../tests/corpus.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ROOT = join(import.meta.dirname, '..');
const INPUTS = [CORPUS_DIR + '/google-pprof/internal/proftest/testdata/large.cpu', join(ROOT, 'samples/largeheap/heap.pb.gz')].filter(
  existsSync,
);
const RUNS = Number(process.argv[2] ?? 7);

interface Timing {
  wall: number[];
  cpu: number[];
}

function measure(runs: number, fn: () => unknown, forceGc = true): Timing {
  const t: Timing = { wall: [], cpu: [] };
  for (let i = 0; i < runs; i++) {
    if (forceGc) gc();
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    fn();
    t.wall.push(performance.now() - w0);
    const c = process.cpuUsage(c0);
    t.cpu.push((c.user + c.system) / 1000);
  }
  return t;
}

async function measureAsync(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  const t: Timing = { wall: [], cpu: [] };
  for (let i = 0; i < runs; i++) {
    gc();
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await fn();
    t.wall.push(performance.now() - w0);
    const c = process.cpuUsage(c0);
    t.cpu.push((c.user + c.system) / 1000);
  }
  return t;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const min = (a: number[]) => Math.min(...a);
const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);

/** Heap + external bytes retained by the value fn returns, after full GCs. */
function retained(fn: () => unknown): number {
  gc();
  gc();
  const m0 = process.memoryUsage();
  const keep = fn();
  gc();
  gc();
  const m1 = process.memoryUsage();
  void keep;
  return m1.heapUsed + m1.external - (m0.heapUsed + m0.external);
}

function row(name: string, bytes: number, t: Timing): string {
  return `| ${name} | ${median(t.wall).toFixed(1)} | ${min(t.wall).toFixed(1)} | ${median(t.cpu).toFixed(1)} | ${mbps(bytes, median(t.wall))} | ${mbps(bytes, min(t.wall))} |`;
}

console.log(
  `decode bench: Node ${process.version}, ${RUNS} runs per line (reference: fewer), load average at start ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
for (const file of INPUTS) {
  const gz = readFileSync(file);
  const raw = gunzipSync(gz);
  // The first decode in the process runs before V8 has optimised the decoder.
  const first = measure(1, () => decodeProtoFast(raw));
  const p = decodeProtoFast(raw);
  console.log(`\n### ${file.replace(ROOT + '/', '').replace(CORPUS_DIR + '/', 'corpus/')}`);
  console.log(
    `${(gz.length / 1e6).toFixed(2)} MB gzip -> ${(raw.length / 1e6).toFixed(2)} MB profile.proto; ${p.sample.length} samples, ${p.location.length} locations, ${p.function.length} functions\n`,
  );
  console.log('| step | median ms | best ms | median CPU ms | MB/s (median) | MB/s (best) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(
    row(
      'inflate, zlib.gunzipSync',
      raw.length,
      measure(RUNS, () => gunzipSync(gz, { chunkSize: 1 << 20 })),
    ),
  );
  console.log(
    row(
      'inflate, zlib.gunzip async (1 MiB chunks)',
      raw.length,
      await measureAsync(RUNS, () => new Promise((res, rej) => gunzip(gz, { chunkSize: 1 << 20 }, (e, out) => (e ? rej(e) : res(out))))),
    ),
  );
  console.log(row('decode, hand-written, first call in the process', raw.length, first));
  console.log(
    row(
      'decode, hand-written (decodeProtoFast), full GC before each',
      raw.length,
      measure(RUNS, () => decodeProtoFast(raw)),
    ),
  );
  // Back-to-back decodes, as in a busy server: no forced GC in between, so V8 keeps its grown young generation.
  console.log(
    row(
      'decode, hand-written, back-to-back',
      raw.length,
      measure(RUNS * 3, () => decodeProtoFast(raw), false),
    ),
  );
  console.log(
    row(
      'decode, protobufjs reference',
      raw.length,
      measure(Math.min(RUNS, 3), () => decodeProtoReference(raw)),
    ),
  );
  console.log(
    row(
      'decodeProfile (inflate + decode)',
      raw.length,
      measure(RUNS, () => decodeProfile(gz)),
    ),
  );
  const fastMem = retained(() => decodeProtoFast(raw));
  const refMem = retained(() => decodeProtoReference(raw));
  console.log(
    `\nretained by the decoded profile: hand-written ${(fastMem / 1e6).toFixed(1)} MB, protobufjs reference ${(refMem / 1e6).toFixed(1)} MB`,
  );
}

// A gzip bomb (1 GiB of zeros, ~1 MB compressed) against the server's 256 MiB cap: the
// refusal stops at the cap instead of inflating it all.
{
  const bomb = gzipSync(Buffer.alloc(1 << 30), { level: 9 });
  const refuse = measure(3, () => {
    try {
      decodeProfile(bomb, { maxInflatedBytes: 256 << 20 });
    } catch {
      // too-large, as tests/unit/decode-gzip.test.ts checks
    }
  });
  console.log(`\n### gzip bomb (${(bomb.length / 1e6).toFixed(2)} MB -> 1 GiB), refused at a 256 MiB cap\n`);
  console.log('| step | median ms | best ms | median CPU ms | MB/s (median) | MB/s (best) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(row('decodeProfile refusing the bomb', 256 << 20, refuse));
}
console.log(
  `\nload average at end ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
