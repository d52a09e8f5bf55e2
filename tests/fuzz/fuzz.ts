// The hostile-input fuzzer (issue 12): mutates the sample profiles and the seed corpus
// (bit flips, truncation, field splices, huge varints, deep stacks, dangling ids, giant
// string tables), ingests each input as an upload does, and for every accepted input
// runs every view through AnalysisCore (the functions the HTTP routes call). A case fails
// when anything would answer 5xx, an exception other than a mapped 4xx escapes, or it
// takes more CPU time than one second per MB of (inflated) input, with a floor of 1 s.
// tests/fuzz/fuzz.test.ts runs a bounded number of cases; `npm run fuzz` runs as long as asked.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AnalysisCore } from '../../server/src/workers/core.js';
import type { AnalysisTask } from '../../server/src/workers/protocol.js';
import { EXPORT_FORMATS } from '../../server/src/export/index.js';
import type { ServerConfig } from '../../server/src/service/config.js';
import { statusOf } from '../../server/src/http/errors.js';
import type { ProfileStore, StoredProfileInfo } from '../../server/src/store/types.js';
import { ProtoWriter, tinyProfile } from './proto-writer.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface Seed {
  name: string;
  bytes: Uint8Array;
}

/** samples/**\/*.pb.gz and tests/fixtures/fuzz/seeds/*, smallest first. */
export function loadSeeds(maxBytes = 256 * 1024): Seed[] {
  const out: Seed[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.pb.gz') || d.endsWith(join('fuzz', 'seeds'))) {
        const bytes = new Uint8Array(readFileSync(p));
        if (bytes.length <= maxBytes) out.push({ name: relative(ROOT, p), bytes });
      }
    }
  };
  walk(join(ROOT, 'samples'));
  walk(join(ROOT, 'tests', 'fixtures', 'fuzz', 'seeds'));
  return out.sort((a, b) => a.bytes.length - b.bytes.length || (a.name < b.name ? -1 : 1));
}

/** Small deterministic PRNG (mulberry32), so a failing case is reproducible from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;

/**
 * Deepest stack generated. Both flame trees take 100,000 frames (tests/unit/flame-huge.test.ts,
 * tests/unit/diff-flame-deep.test.ts); the fuzzer stays shallower so that each case keeps within
 * its one-second-per-MB bound.
 */
export const DEEP_MAX = 3000;
const int = (r: Rand, n: number) => Math.floor(r() * n);

function inflate(b: Uint8Array): Uint8Array {
  if (b.length > 2 && b[0] === 0x1f && b[1] === 0x8b) {
    try {
      return new Uint8Array(gunzipSync(b));
    } catch {
      return b;
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Byte offsets where a top-level protobuf field starts (best effort; stops at the first bad key). */
function fieldStarts(b: Uint8Array): number[] {
  const starts: number[] = [];
  let i = 0;
  const varint = (): number | null => {
    let v = 0;
    let mul = 1;
    for (let k = 0; k < 10 && i < b.length; k++) {
      const x = b[i++];
      v += (x & 0x7f) * mul;
      mul *= 128;
      if (!(x & 0x80)) return v;
    }
    return null;
  };
  while (i < b.length && starts.length < 100_000) {
    starts.push(i);
    const key = varint();
    if (key === null) break;
    const wire = key & 7;
    if (wire === 0) {
      if (varint() === null) break;
    } else if (wire === 2) {
      const n = varint();
      if (n === null || i + n > b.length) break;
      i += n;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else break;
  }
  return starts;
}

export interface Mutant {
  how: string;
  bytes: Uint8Array;
}

/** One mutation of `seed` (possibly using `other`), chosen by `r`. */
export function mutate(r: Rand, seed: Seed, other: Seed): Mutant {
  const raw = inflate(seed.bytes);
  const b = raw.slice();
  const kind = int(r, 10);
  let how: string;
  let out: Uint8Array;
  switch (kind) {
    case 0: {
      const n = 1 + int(r, 16);
      for (let k = 0; k < n && b.length; k++) b[int(r, b.length)] ^= 1 << int(r, 8);
      how = `flip ${n} bits`;
      out = b;
      break;
    }
    case 1: {
      const at = int(r, b.length + 1);
      how = `truncate at ${at}`;
      out = b.subarray(0, at);
      break;
    }
    case 2: {
      // Splice a run of top-level fields of another profile into this one.
      const o = inflate(other.bytes);
      const fs = fieldStarts(o);
      const from = fs[int(r, fs.length)] ?? 0;
      const to = Math.min(o.length, from + 1 + int(r, 4096));
      const here = fieldStarts(b);
      const at = here[int(r, here.length)] ?? 0;
      how = `splice ${other.name}[${from}:${to}] at ${at}`;
      out = concat(b.subarray(0, at), o.subarray(from, to), b.subarray(at));
      break;
    }
    case 3: {
      // A huge varint (ten bytes of 0xff...) where a field starts or in its value.
      const here = fieldStarts(b);
      const at = (here[int(r, here.length)] ?? 0) + int(r, 3);
      const huge = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, int(r, 2) ? 0x01 : 0x7f]);
      how = `huge varint at ${at}`;
      out = concat(b.subarray(0, at), huge, b.subarray(Math.min(b.length, at + int(r, 11))));
      break;
    }
    case 4: {
      // Duplicate a random byte range many times (repeated fields, giant tables).
      const from = int(r, b.length);
      const len = 1 + int(r, Math.min(256, b.length - from));
      const times = 1 + int(r, 2000);
      const chunk = b.subarray(from, from + len);
      how = `repeat [${from}:+${len}] x${times}`;
      out = concat(b.subarray(0, from), ...Array.from({ length: times }, () => chunk), b.subarray(from + len));
      break;
    }
    case 5: {
      const depth = 100 + int(r, DEEP_MAX);
      const n = 1 + int(r, 50);
      how = `deep stack ${depth} over ${n} functions`;
      out = tinyProfile({
        functions: Array.from({ length: n }, (_, i) => `main.f${i}`),
        stacks: [Array.from({ length: depth }, (_, i) => i % n), [0]],
        dropFrames: int(r, 2) ? '(a+)+$' : undefined,
      });
      break;
    }
    case 6: {
      // Samples pointing at locations that do not exist, locations at missing functions.
      const w = new ProtoWriter();
      w.message(1, new ProtoWriter().varint(1, 1).varint(2, 2));
      w.message(2, new ProtoWriter().packed(1, [1, 99, int(r, 2) ? 0 : 2]).packed(2, [5]));
      w.message(4, new ProtoWriter().varint(1, 1).message(4, new ProtoWriter().varint(1, 7).varint(2, 3)));
      w.message(4, new ProtoWriter().varint(1, 2).varint(2, 42));
      w.message(5, new ProtoWriter().varint(1, 3).varint(2, 1000).varint(4, 3));
      for (const s of ['', 'samples', 'count', 'main.f']) w.bytes(6, s);
      w.varint(7, 55);
      how = 'dangling ids';
      out = w.finish();
      break;
    }
    case 7: {
      const n = 1000 + int(r, 100_000);
      const w = new ProtoWriter();
      w.message(1, new ProtoWriter().varint(1, 1).varint(2, 2));
      w.message(2, new ProtoWriter().packed(1, [1]).packed(2, [1]));
      w.message(4, new ProtoWriter().varint(1, 1).message(4, new ProtoWriter().varint(1, 1)));
      w.message(
        5,
        new ProtoWriter()
          .varint(1, 1)
          .varint(2, n - 1)
          .varint(4, int(r, n)),
      );
      w.bytes(6, '');
      w.bytes(6, 'samples');
      w.bytes(6, 'count');
      for (let i = 3; i < n; i++) w.bytes(6, `s${i}`);
      how = `giant string table (${n})`;
      out = w.finish();
      break;
    }
    case 8: {
      // A legacy text line made of one repeated character class (backtracking bait).
      const heads = [
        '--- contention:\ncycles/second=1000\n',
        'heap profile: 1: 1 [ 1: 1] @ heapprofile\n',
        '--- heapz 1 ---\nformat = java\n',
        'goroutine profile: total 1\n',
        '--- threadz 1 ---\n',
      ];
      const bodies = ['1', ' 1', 'a', '0x1 ', ': ', '(', 'a=', '/'];
      const len = 1000 + int(r, 20_000);
      how = `legacy line x${len}`;
      out = new TextEncoder().encode(heads[int(r, heads.length)] + bodies[int(r, bodies.length)].repeat(len) + '\n');
      break;
    }
    default: {
      const at = int(r, b.length);
      const text = new TextDecoder('latin1').decode(b);
      how = `text edit at ${at}`;
      out = new TextEncoder().encode(
        text.slice(0, at) + ['\n', '@', ' 0x', ':', '-', '9'.repeat(30), '\r\n'][int(r, 7)] + text.slice(at + int(r, 8)),
      );
    }
  }
  const gz = int(r, 3) === 0;
  return { how: gz ? how + ', gzipped' : how, bytes: gz ? new Uint8Array(gzipSync(out, { level: 1 })) : out };
}

class MemoryStore implements ProfileStore {
  readonly backend = 'fs' as const;
  private bytes = new Map<string, Uint8Array>();
  async init(): Promise<void> {}
  async put(bytes: Uint8Array, info: StoredProfileInfo): Promise<StoredProfileInfo> {
    this.bytes.set(info.id, bytes);
    return info;
  }
  async get(id: string): Promise<Uint8Array | null> {
    return this.bytes.get(id) ?? null;
  }
  async info(): Promise<StoredProfileInfo | null> {
    return null;
  }
  async list(): Promise<StoredProfileInfo[]> {
    return [];
  }
  async byContent(): Promise<StoredProfileInfo[]> {
    return [];
  }
  async update(): Promise<boolean> {
    return false;
  }
  async delete(id: string): Promise<boolean> {
    return this.bytes.delete(id);
  }
  async putAttachment(): Promise<void> {}
  async getAttachment(): Promise<Uint8Array | null> {
    return null;
  }
  drop(id: string): void {
    this.bytes.delete(id);
  }
}

const CONFIG: ServerConfig = {
  shared: true,
  sourcePaths: [],
  trimPaths: [],
  allowTargets: [],
  maxUploadBytes: 64 * 1024 * 1024,
  maxInflatedBytes: 256 * 1024 * 1024,
};

export interface Failure {
  how: string;
  step: string;
  problem: string;
  bytes: Uint8Array;
}

export interface CaseResult {
  accepted: boolean;
  cpuMs: number;
  failure?: Failure;
}

/** Every view the HTTP API offers for one profile. */
function views(id: string): [string, AnalysisTask][] {
  return [
    ['meta', { op: 'meta', id }],
    ['top', { op: 'top', id, query: {}, opts: {} }],
    ['top lines', { op: 'top', id, query: { granularity: 'lines', focus: '.', hide: '^runtime\\.' }, opts: { nodeCount: 50 } }],
    ['top page', { op: 'top', id, query: {}, opts: {}, page: { offset: 3, limit: 7, order: 'name', match: 'a|(' } }],
    [
      'top page by cum',
      { op: 'top', id, query: { granularity: 'lines' }, opts: {}, page: { offset: 0, limit: 50, order: 'cum', match: '^(.|.)*Z' } },
    ],
    ['top addresses', { op: 'top', id, query: { granularity: 'addresses', noInlines: true, sampleIndex: '0' }, opts: {} }],
    ['flame', { op: 'flame', id, query: {}, minFraction: 0 }],
    ['flame filtered', { op: 'flame', id, query: { ignore: 'zzz', showFrom: '.', tagFocus: 'a' }, minFraction: 0.01 }],
    ['source', { op: 'source', id, query: {}, fn: '.' }],
    ['insights', { op: 'insights', id, si: undefined }],
    ['insights against a base', { op: 'insights', id, baseId: id }],
    ['files', { op: 'files', id }],
    ['diff top', { op: 'diffTop', id, baseId: id, query: {}, opts: { mode: 'diff_base' } }],
    ['diff flame', { op: 'diffFlame', id, baseId: id, query: {}, opts: { mode: 'base', normalize: true } }],
    ['peek', { op: 'peek', id, query: {}, re: '.', opts: { sort: 'cum', compactLabels: true } }],
    ['peek lines', { op: 'peek', id, query: { granularity: 'lines' }, re: 'main', opts: { unit: 'auto' } }],
    ['graph', { op: 'graph', id, query: {}, opts: {} }],
    [
      'graph all',
      { op: 'graph', id, query: { granularity: 'addresses' }, opts: { nodeCount: 0, nodeFraction: 0, edgeFraction: 0, trim: false } },
    ],
    ['sandwich', { op: 'sandwich', id, query: {}, fn: '.', minFraction: 0 }],
    ['tags', { op: 'tags', id, query: {}, unit: 'auto' }],
    ['tags values', { op: 'tags', id, query: { tagFocus: '.' }, maxValues: 5 }],
    ['goroutines', { op: 'goroutines', id, filter: { state: 'running', minWait: 1, creator: '.', label: 'a' } }],
    ['goroutines diff', { op: 'goroutines', id, filter: {}, baseId: id }],
    ...EXPORT_FORMATS.map((format): [string, AnalysisTask] => [
      `export ${format}`,
      { op: 'export', id, query: {}, format, name: 'fuzz.pb.gz', view: { zoom: ['root'], search: 'a', width: 400 } },
    ]),
    ['sanitise preview', { op: 'sanitise', id, modulePaths: true, preview: true }],
    ['sanitise', { op: 'sanitise', id, modulePaths: false, preview: false }],
    ['merge', { op: 'merge', id, ids: [id, id] }],
    ['merge shares', { op: 'mergeShares', id, inputs: [id], query: {}, path: ['root'] }],
  ];
}

/** A fresh engine per run: the same AnalysisCore the workers use, over an in-memory store. */
export function makeEngine(): { run(how: string, bytes: Uint8Array): Promise<CaseResult> } {
  const store = new MemoryStore();
  const core = new AnalysisCore(store, CONFIG, 64 * 1024 * 1024);
  let n = 0;
  return {
    async run(how, bytes) {
      const id = `fuzz${(n++).toString(36)}`;
      const inflated = inflate(bytes).length;
      const boundMs = Math.max(1000, (1000 * Math.max(bytes.length, inflated)) / (1024 * 1024));
      const cpu0 = process.cpuUsage();
      const cpuMs = () => {
        const d = process.cpuUsage(cpu0);
        return (d.user + d.system) / 1000;
      };
      const fail = (step: string, problem: string): CaseResult => ({
        accepted: true,
        cpuMs: cpuMs(),
        failure: { how, step, problem, bytes },
      });
      await store.put(bytes, { id, name: id, type: '', size: bytes.length, storedAt: '' });
      try {
        try {
          await core.run({ op: 'ingest', id, bytes: bytes.slice() });
        } catch (e) {
          const s = statusOf(e);
          if (s >= 500) return { ...fail('ingest', `${s}: ${(e as Error).stack ?? e}`), accepted: false };
          return { accepted: false, cpuMs: cpuMs() };
        }
        for (const [step, task] of views(id)) {
          try {
            await core.run(task);
          } catch (e) {
            const s = statusOf(e);
            if (s >= 500) return fail(step, `${s}: ${(e as Error).stack ?? e}`);
          }
          if (cpuMs() > boundMs) return fail(step, `took ${cpuMs().toFixed(0)} ms of CPU, over the ${boundMs.toFixed(0)} ms bound`);
        }
        return { accepted: true, cpuMs: cpuMs() };
      } finally {
        store.drop(id);
      }
    },
  };
}

export interface FuzzSummary {
  cases: number;
  accepted: number;
  failures: Failure[];
  maxCpuMs: number;
}

/** Runs cases from `seed` until `maxCases` or `seconds` is reached. */
export async function fuzz(opts: {
  seed: number;
  maxCases: number;
  seconds: number;
  onFailure?: (f: Failure, i: number) => void;
}): Promise<FuzzSummary> {
  const seeds = loadSeeds();
  const r = rng(opts.seed);
  const engine = makeEngine();
  const end = Date.now() + opts.seconds * 1000;
  const sum: FuzzSummary = { cases: 0, accepted: 0, failures: [], maxCpuMs: 0 };
  for (let i = 0; i < opts.maxCases && Date.now() < end; i++) {
    const m = mutate(r, seeds[int(r, seeds.length)], seeds[int(r, seeds.length)]);
    const res = await engine.run(m.how, m.bytes);
    sum.cases++;
    if (res.accepted) sum.accepted++;
    sum.maxCpuMs = Math.max(sum.maxCpuMs, res.cpuMs);
    if (res.failure) {
      sum.failures.push(res.failure);
      opts.onFailure?.(res.failure, i);
    }
  }
  return sum;
}
