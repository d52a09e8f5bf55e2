// Synthetic CPU profiles of N samples for the huge-profile tests and benchmarks
// (bench/huge.bench.ts, tests/unit/flame-huge.test.ts). Deterministic: the same
// (samples, shape, seed) always gives the same bytes.
//
// Two shapes:
// - realistic: stacks walk a call graph from a few roots, each function calling a few
//   others with skewed odds, so stacks share long prefixes (as servers' profiles do);
// - worst: every frame below the root is drawn uniformly from all functions, so stacks
//   share almost nothing and a full call tree has about one node per frame.
// Depth is 10-120 frames; every 8th location carries an inlined call (two lines).
//
// CLI: npx tsx scripts/gen-profile.ts --samples 1000000 --shape worst [--seed 1]
//      [--functions 60000] -o out.pb.gz
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export type ProfileShape = 'realistic' | 'worst';

export interface GenOptions {
  samples: number;
  shape: ProfileShape;
  seed?: number;
  /** Distinct functions (default: min(60000, max(200, samples / 4))). */
  functions?: number;
  minDepth?: number;
  maxDepth?: number;
}

/** Call sites (locations) per function. */
const SITES = 4;

/** Growable protobuf writer over one buffer (no per-field allocations). */
class Writer {
  buf = new Uint8Array(1 << 16);
  len = 0;
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  varint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }
  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }
  int(field: number, v: number): void {
    this.tag(field, 0);
    this.varint(v);
  }
  bytes(field: number, b: Uint8Array, n = b.length): void {
    this.tag(field, 2);
    this.varint(n);
    this.ensure(n);
    this.buf.set(b.subarray(0, n), this.len);
    this.len += n;
  }
  str(field: number, s: string): void {
    this.bytes(field, Buffer.from(s, 'utf8'));
  }
  /** Starts a length-delimited field whose body follows; finish with end(). */
  begin(field: number): number {
    this.tag(field, 2);
    this.ensure(5);
    const at = this.len;
    this.len += 5; // fixed 5-byte (padded) length, patched by end()
    return at;
  }
  end(at: number): void {
    let n = this.len - at - 5;
    for (let i = 0; i < 4; i++) {
      this.buf[at + i] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[at + 4] = n;
  }
  result(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

function varintLen(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

/** Raw (uncompressed) profile.proto bytes of a synthetic CPU profile. */
export function generateProfile(opts: GenOptions): Uint8Array {
  const n = opts.samples;
  const nf = opts.functions ?? Math.min(60000, Math.max(200, Math.floor(n / 4)));
  const minD = opts.minDepth ?? 10;
  const maxD = opts.maxDepth ?? 120;
  const rand = rng(opts.seed ?? 1);
  const w = new Writer();
  const strings = new Map<string, number>();
  const strs: string[] = [];
  const s = (x: string): number => {
    let i = strings.get(x);
    if (i === undefined) {
      i = strs.length;
      strs.push(x);
      strings.set(x, i);
    }
    return i;
  };
  s('');
  // sample_type samples/count, cpu/nanoseconds
  for (const [t, u] of [
    ['samples', 'count'],
    ['cpu', 'nanoseconds'],
  ]) {
    const at = w.begin(1);
    w.int(1, s(t));
    w.int(2, s(u));
    w.end(at);
  }
  // samples: function 0 is runtime.goexit (the root of every stack), 1..3 are the roots
  // a goroutine starts in; location id = function * SITES + site + 1.
  const period = 10_000_000;
  const stackBuf = new Uint8Array(maxD * 5 + 16);
  const fnOfDepth = new Int32Array(maxD + 1);
  for (let k = 0; k < n; k++) {
    const depth = minD + Math.floor(rand() * (maxD - minD + 1));
    fnOfDepth[0] = 0;
    fnOfDepth[1] = 1 + Math.floor(rand() * 3);
    for (let d = 2; d < depth; d++) {
      if (opts.shape === 'worst') {
        fnOfDepth[d] = 4 + Math.floor(rand() * (nf - 4));
      } else {
        // A function's callees are 6 functions fixed by its id (deeper levels reach more of
        // the program); the first callee is taken far more often than the last.
        const caller = fnOfDepth[d - 1];
        const r = rand();
        const pick = Math.floor(6 * r * r * r);
        const span = Math.min(nf - 4, 16 + d * d * 8);
        fnOfDepth[d] = 4 + (mix(caller, pick) % span);
      }
    }
    // leaf first: the location of frame d is its function's call site towards frame d+1
    let len = 0;
    const put = (v: number): void => {
      while (v >= 0x80) {
        stackBuf[len++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      stackBuf[len++] = v;
    };
    for (let d = depth - 1; d >= 0; d--) {
      const f = fnOfDepth[d];
      const site = d === depth - 1 ? Math.floor(rand() * SITES) : mix(f, fnOfDepth[d + 1]) % SITES;
      put(f * SITES + site + 1);
    }
    const count = 1 + (rand() < 0.1 ? 1 : 0);
    // values: count (1 byte) and count * period (4-byte varint); exact lengths, as Go writes
    const vlen = 1 + varintLen(count * period);
    w.tag(2, 2);
    w.varint(1 + varintLen(len) + len + 1 + 1 + vlen);
    w.bytes(1, stackBuf, len);
    w.tag(2, 2);
    w.varint(vlen);
    w.varint(count);
    w.varint(count * period);
  }
  // mapping
  {
    const at = w.begin(3);
    w.int(1, 1);
    w.int(2, 0x400000);
    w.int(3, 0x400000 + nf * SITES * 16 + 16);
    w.int(5, s('/usr/local/bin/synthetic'));
    w.int(7, 1);
    w.int(8, 1);
    w.int(9, 1);
    w.end(at);
  }
  // locations (every 8th carries an inlined callee line first: line[0] is the innermost)
  for (let f = 0; f < nf; f++) {
    for (let site = 0; site < SITES; site++) {
      const id = f * SITES + site + 1;
      const at = w.begin(4);
      w.int(1, id);
      w.int(2, 1);
      w.int(3, 0x400000 + id * 16);
      if (id % 8 === 0) {
        const inl = w.begin(4);
        w.int(1, nf + (f % 64) + 1);
        w.int(2, 10 + site);
        w.end(inl);
      }
      const ln = w.begin(4);
      w.int(1, f + 1);
      w.int(2, 20 + site * 3 + (f % 7));
      w.end(ln);
      w.end(at);
    }
  }
  // functions: nf real ones and 64 small inlined helpers
  const fname = (f: number): [string, string] => {
    if (f === 0) return ['runtime.goexit', 'runtime/asm_amd64.s'];
    if (f === 1) return ['main.main', 'main.go'];
    if (f === 2) return ['net/http.(*conn).serve', 'net/http/server.go'];
    if (f === 3) return ['runtime.gcBgMarkWorker', 'runtime/mgc.go'];
    const pkg = `example.com/svc/pkg${f % 97}`;
    return [`${pkg}.(*T${(f >> 3) % 13}).Method${f}`, `${pkg}/file${f % 11}.go`];
  };
  for (let f = 0; f < nf + 64; f++) {
    const [name, file] = f < nf ? fname(f) : [`example.com/svc/util.inl${f - nf}`, 'util/inl.go'];
    const at = w.begin(5);
    w.int(1, f + 1);
    w.int(2, s(name));
    w.int(3, s(name));
    w.int(4, s(file));
    w.int(5, 10);
    w.end(at);
  }
  for (const x of strs) w.str(6, x);
  w.int(9, 1_700_000_000_000_000_000 / 1e3); // time_nanos (any fixed value)
  w.int(10, 10_000_000_000);
  {
    const at = w.begin(11);
    w.int(1, s('cpu'));
    w.int(2, s('nanoseconds'));
    w.end(at);
  }
  w.int(12, period);
  // strings added after the string table was written would be lost: none are.
  if (strs.length !== strings.size) throw new Error('string table changed after writing');
  return w.result();
}

/** gzip of generateProfile (level 1: the 1M-sample case stays quick to produce). */
export function generateProfileGz(opts: GenOptions): Buffer {
  return gzipSync(generateProfile(opts), { level: 1 });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const get = (k: string): string | undefined => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = get('-o');
  const samples = Number(get('--samples') ?? '100000');
  const shape = (get('--shape') ?? 'realistic') as ProfileShape;
  if (!out || !(samples > 0) || (shape !== 'realistic' && shape !== 'worst')) {
    console.error('usage: gen-profile.ts --samples N --shape realistic|worst [--seed S] [--functions F] -o FILE(.pb.gz|.pb)');
    process.exit(2);
  }
  const o: GenOptions = { samples, shape, seed: Number(get('--seed') ?? '1') };
  if (get('--functions')) o.functions = Number(get('--functions'));
  writeFileSync(out, out.endsWith('.gz') ? generateProfileGz(o) : generateProfile(o));
}
