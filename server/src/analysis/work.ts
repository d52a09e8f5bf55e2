// The mutable working copy a query runs on: pprof's filters rewrite location lines
// and cut sample stacks in place, so each query gets its own lines/stacks arrays
// over the immutable decoded Profile. Stacks are dense location indices, leaf first.
import type { Line, Location, Profile } from '../model/profile.js';

interface Compiled {
  locs: Location[];
  index: Map<Location, number>;
  stacks: Int32Array[];
}

const compiledCache = new WeakMap<Profile, Compiled>();

function compile(p: Profile): Compiled {
  let c = compiledCache.get(p);
  if (c) return c;
  const locs: Location[] = p.location.slice();
  const index = new Map<Location, number>();
  for (let i = 0; i < locs.length; i++) index.set(locs[i], i);
  let total = 0;
  for (const s of p.sample) total += s.location.length;
  const buf = new Int32Array(total);
  const stacks: Int32Array[] = new Array(p.sample.length);
  let off = 0;
  for (let i = 0; i < p.sample.length; i++) {
    const sl = p.sample[i].location;
    const start = off;
    for (const l of sl) {
      let li = index.get(l);
      if (li === undefined) {
        li = locs.length;
        locs.push(l);
        index.set(l, li);
      }
      buf[off++] = li;
    }
    stacks[i] = buf.subarray(start, off);
  }
  c = { locs, index, stacks };
  compiledCache.set(p, c);
  return c;
}

export interface Work {
  p: Profile;
  locs: Location[];
  /** Current lines of each location (filters replace entries, never mutate the arrays). */
  lines: Line[][];
  /** Original sample index of each kept sample. */
  sampleIdx: number[];
  /** Stack of each kept sample (dense location indices, leaf first). */
  stacks: Int32Array[];
}

export function makeWork(p: Profile): Work {
  const c = compile(p);
  const lines = c.locs.map((l) => l.line);
  const n = p.sample.length;
  const sampleIdx = new Array<number>(n);
  for (let i = 0; i < n; i++) sampleIdx[i] = i;
  return { p, locs: c.locs, lines, sampleIdx, stacks: c.stacks.slice() };
}

/** Dense index of a location of p (for callers mapping Profile locations to Work). */
export function locationIndex(p: Profile): Map<Location, number> {
  return compile(p).index;
}
