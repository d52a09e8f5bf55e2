// The mutable working copy a query runs on: pprof's filters rewrite location lines
// and cut sample stacks in place, so each query gets its own lines, and its own stack
// bounds once a filter changes them, over the immutable decoded Profile. Stacks are
// dense location indices, leaf first, stored flat (buf[start[k]..end[k]) for kept
// sample k) to stay cheap on 100k+ samples.
import type { Line, Location, Profile, StackColumn } from '../model/profile.js';

interface Compiled {
  locs: Location[];
  /** Location -> dense index; built lazily unless ids are unusable. */
  index: Map<Location, number> | null;
  buf: StackColumn;
  start: Int32Array;
  end: Int32Array;
  /** 0..n-1, the sampleIdx of an unfiltered query; made on first use. */
  identity: Int32Array | null;
}

const compiledCache = new WeakMap<Profile, Compiled>();

function compile(p: Profile): Compiled {
  let c = compiledCache.get(p);
  if (c) return c;
  const cols = p.columns;
  if (cols) {
    // The fast decoder already holds the stacks flat, as indices into p.location (each
    // location once, ids unique), so nothing is walked and the per-sample objects stay unbuilt.
    c = {
      locs: p.location.slice(),
      index: null,
      buf: cols.stack,
      start: cols.stackStart.subarray(0, cols.n),
      end: cols.stackStart.subarray(1, cols.n + 1),
      identity: null,
    };
    compiledCache.set(p, c);
    return c;
  }
  const locs: Location[] = p.location.slice();
  let index: Map<Location, number> | null = null;
  const getIndex = (): Map<Location, number> => {
    if (!index) {
      index = new Map();
      for (let i = 0; i < locs.length; i++) if (!index.has(locs[i])) index.set(locs[i], i);
    }
    return index;
  };
  let total = 0;
  for (const s of p.sample) total += s.location.length;
  const buf = new Int32Array(total);
  const n = p.sample.length;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  // Dense lookup by location id when ids are small (the usual 1..n), else the Map.
  let maxId = 0;
  for (const l of locs) if (l.id > maxId) maxId = l.id;
  const byId = maxId <= 4 * locs.length + 1024 ? new Int32Array(maxId + 1).fill(-1) : null;
  if (byId) {
    for (let i = 0; i < locs.length; i++) {
      const id = locs[i].id;
      // duplicate ids (not in valid profiles) fall back to the Map
      byId[id] = byId[id] === -1 ? i : -2;
    }
  }
  let off = 0;
  for (let i = 0; i < n; i++) {
    const sl = p.sample[i].location;
    start[i] = off;
    for (let j = 0; j < sl.length; j++) {
      const l = sl[j];
      let li = byId !== null && l.id <= maxId ? byId[l.id] : -1;
      if (li < 0 || locs[li] !== l) {
        const ix = getIndex();
        let m = ix.get(l);
        if (m === undefined) {
          m = locs.length;
          locs.push(l);
          ix.set(l, m);
        }
        li = m;
      }
      buf[off++] = li;
    }
    end[i] = off;
  }
  c = { locs, index: index as Map<Location, number> | null, buf, start, end, identity: null };
  compiledCache.set(p, c);
  return c;
}

export interface Work {
  p: Profile;
  locs: Location[];
  /** Current lines of each location (filters replace entries, never mutate the arrays). */
  lines: Line[][];
  /** Number of kept samples. */
  n: number;
  /** Original sample index of each kept sample. */
  sampleIdx: Int32Array;
  /** Stack of kept sample k: buf[start[k]] (leaf) .. buf[end[k]-1] (root). */
  buf: StackColumn;
  start: Int32Array;
  end: Int32Array;
  /**
   * Whether sampleIdx, start and end are still the profile's own arrays, shared by every
   * query on it: ownSamples copies them before a filter rewrites them.
   */
  shared: boolean;
}

/**
 * A query's working copy. Until a filter changes which samples are kept or where their
 * stacks start and end, it reads the profile's arrays: an unfiltered query copies nothing
 * per sample (fresh memory costs a 280k-sample CLI run about 3 ms a MB here).
 */
export function makeWork(p: Profile): Work {
  const c = compile(p);
  const lines = c.locs.map((l) => l.line);
  const n = c.start.length;
  if (c.identity === null) {
    c.identity = new Int32Array(n);
    for (let i = 0; i < n; i++) c.identity[i] = i;
  }
  return { p, locs: c.locs, lines, n, sampleIdx: c.identity, buf: c.buf, start: c.start, end: c.end, shared: true };
}

/** Gives w its own sampleIdx, start and end, for a filter about to rewrite them in place. */
export function ownSamples(w: Work): void {
  if (!w.shared) return;
  w.sampleIdx = w.sampleIdx.slice(0, w.n);
  w.start = w.start.slice(0, w.n);
  w.end = w.end.slice(0, w.n);
  w.shared = false;
}

/** Keeps the samples whose flag is set, in order (compacting the parallel arrays). */
export function keepSamples(w: Work, keep: Uint8Array): void {
  let first = 0;
  while (first < w.n && keep[first]) first++;
  if (first === w.n) return;
  ownSamples(w);
  // (the samples before the first dropped one stay where they are)
  let o = first;
  for (let k = first + 1; k < w.n; k++) {
    if (!keep[k]) continue;
    w.sampleIdx[o] = w.sampleIdx[k];
    w.start[o] = w.start[k];
    w.end[o] = w.end[k];
    o++;
  }
  w.n = o;
}

/** Dense index of a location of p (for callers mapping Profile locations to Work). */
export function locationIndex(p: Profile): Map<Location, number> {
  const c = compile(p);
  if (!c.index) {
    const m = new Map<Location, number>();
    for (let i = 0; i < c.locs.length; i++) if (!m.has(c.locs[i])) m.set(c.locs[i], i);
    c.index = m;
  }
  return c.index;
}
