// Call-tree builder for flame graphs that prunes while it builds: a node's samples are
// split among its children, and only children judged wide enough are expanded further.
// A narrow child is summed into its parent's pruned value and never walked, so time and
// memory follow the frames returned (plus the samples under them), not the number of
// distinct call paths in the profile, which on a 1M-sample profile is tens of millions.
// Iterative throughout (an explicit work stack), so a 100,000-frame stack is fine.
//
// Used by report/flame.ts; other views (a diff or sandwich flame graph) can build on it
// with their own frame keys, value columns, threshold and child order.

import type { StackColumn } from '../model/profile.js';
import { doubled } from './columns.js';

/** The samples to build from (the engine's Work layout: flat stacks of location indices). */
export interface StackInput {
  /** Number of samples. */
  n: number;
  /** Stack of sample k: buf[start[k]] (leaf) .. buf[end[k]-1] (root), location indices. */
  buf: StackColumn;
  start: Int32Array;
  end: Int32Array;
  /**
   * Frame keys each location contributes, innermost (inlined) first, as a location's lines
   * are ordered; an empty array adds no frame. Keys are integers in [0, keyCount).
   */
  frames: ArrayLike<Int32Array>;
  keyCount: number;
  /** One or more value columns, a value per sample each; samples all zero are skipped. */
  values: Float64Array[];
  /** The first frames of every sample, from stackPrefix: kept with the input, reused by every tree. */
  prefix?: StackPrefix;
}

/**
 * The first `depth` frame keys of every sample from the root, sample after sample, and
 * where each sample's cursor stands after them. The top levels of a tree split nearly
 * every sample; read from here they are read in memory order instead of one cache miss
 * per sample into the stacks (bench/huge.bench.ts: 1M samples, 260 MB of stacks).
 */
export interface StackPrefix {
  depth: number;
  /** keys[k * depth + d]: sample k's frame at depth d, -1 past its leaf. */
  keys: Int32Array;
  /** Cursor (location index in buf, frames left in it) after `depth` frames. */
  j: Int32Array;
  m: Int32Array;
}

/**
 * Frame keys of every location in one array (location li's are fk[fo[li]] .. fk[fo[li+1]-1]):
 * one memory access per step instead of three (array, typed array, its buffer); walks
 * over a million samples are bound by memory latency.
 */
function flatFrames(frames: ArrayLike<Int32Array>): { fo: Int32Array; fk: Int32Array } {
  const nLocs = frames.length;
  const fo = new Int32Array(nLocs + 1);
  for (let li = 0; li < nLocs; li++) fo[li + 1] = fo[li] + frames[li].length;
  const fk = new Int32Array(fo[nLocs]);
  for (let li = 0; li < nLocs; li++) fk.set(frames[li], fo[li]);
  return { fo, fk };
}

export function stackPrefix(input: Omit<StackInput, 'prefix'>, depth: number): StackPrefix {
  const { n, buf, start, end } = input;
  const { fo, fk } = flatFrames(input.frames);
  const keys = new Int32Array(n * depth).fill(-1);
  const cj = new Int32Array(n);
  const cm = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const s0 = start[k];
    let j = end[k];
    let mm = 0;
    for (let d = 0; d < depth; d++) {
      if (mm === 0) {
        while (j > s0) {
          j--;
          const li = buf[j];
          mm = fo[li + 1] - fo[li];
          if (mm > 0) break;
        }
        if (mm === 0) break;
      }
      mm--;
      keys[k * depth + d] = fk[fo[buf[j]] + mm];
    }
    cj[k] = j;
    cm[k] = mm;
  }
  return { depth, keys, j: cj, m: cm };
}

/** The children of one node being split, as the callbacks see them. */
export interface Candidates {
  /** Frame key of candidate i. */
  key: Int32Array;
  /** sums[c][i]: column c summed over candidate i's samples. */
  sums: Float64Array[];
}

export interface TreeOptions {
  /**
   * Walks from the root along these steps before building: at each step the first child
   * (in order of first appearance in the samples) whose key matches is the next node.
   * The last one reached becomes the tree's root. Throws PathNotFound when none matches.
   */
  path?: ((key: number) => boolean)[];
  /**
   * Given the root's column sums, says whether a child is expanded (true) or summed into
   * its parent's pruned value (false). Decided once per child, from its own sums only.
   */
  wide: (rootSums: readonly number[]) => (c: Candidates, i: number) => boolean;
  /** Display order of siblings (negative: i first); ties keep first-appearance order. */
  compare: (c: Candidates, i: number, j: number) => number;
  /**
   * Start below the root, at a node of an earlier tree of the same input (its FlameIndex):
   * its samples in ascending order, the frames above it, and its key. `path` then
   * continues from there. The result equals the one built from the root along that path.
   */
  from?: { samples: Int32Array; depth: number; key: number };
  /** Also return the FlameIndex, for later requests' `from`. */
  index?: boolean;
}

/**
 * Where each kept node's samples are, so a zoom into it starts from them instead of
 * re-splitting every sample from the root (bench/huge.bench.ts: zoom on 1M samples).
 */
export interface FlameIndex {
  /** Samples grouped so that node i's are order[lo[i]..hi[i]) (as a set). */
  order: Int32Array;
  lo: Int32Array;
  hi: Int32Array;
  /** Frames from the root to node i (the root: 0). */
  depth: Int32Array;
  /** Rank of node i among its siblings by first appearance in the samples. */
  rank: Int32Array;
  /** Children pruned from node i: prunedKey/prunedRank[prunedOff[i] .. prunedOff[i+1]). */
  prunedOff: Int32Array;
  prunedKey: Int32Array;
  prunedRank: Int32Array;
}

/** The pruned tree. Node 0 is the root; children of node i are ids firstChild[i] .. +childCount[i]. */
export interface FlameTree {
  size: number;
  /** Frame key of each node; the root's is the last path key, or -1. */
  key: Int32Array;
  parent: Int32Array;
  /** value[c][i]: column c over the samples through node i (inclusive). */
  value: Float64Array[];
  /** self[c][i]: column c over the samples whose stack ends at node i. */
  self: Float64Array[];
  /** Children left out as too narrow: how many, and their summed values per column. */
  prunedCount: Int32Array;
  prunedValue: Float64Array[];
  firstChild: Int32Array;
  childCount: Int32Array;
  /** With TreeOptions.index. */
  index?: FlameIndex;
}

export class PathNotFound extends Error {
  constructor(readonly depth: number) {
    super(`path not found at step ${depth + 1}`);
    this.name = 'PathNotFound';
  }
}

class Nodes implements FlameTree {
  size = 0;
  key = new Int32Array(256);
  parent = new Int32Array(256);
  value: Float64Array[];
  self: Float64Array[];
  prunedCount = new Int32Array(256);
  prunedValue: Float64Array[];
  firstChild = new Int32Array(256);
  childCount = new Int32Array(256);
  lo = new Int32Array(256);
  hi = new Int32Array(256);
  rank = new Int32Array(256);
  index?: FlameIndex;
  constructor(cols: number) {
    const f = () => Array.from({ length: cols }, () => new Float64Array(256));
    this.value = f();
    this.self = f();
    this.prunedValue = f();
  }
  add(key: number, parent: number): number {
    if (this.size === this.key.length) {
      this.key = doubled(this.key);
      this.parent = doubled(this.parent);
      this.prunedCount = doubled(this.prunedCount);
      this.firstChild = doubled(this.firstChild);
      this.childCount = doubled(this.childCount);
      this.lo = doubled(this.lo);
      this.hi = doubled(this.hi);
      this.rank = doubled(this.rank);
      this.value = this.value.map(doubled);
      this.self = this.self.map(doubled);
      this.prunedValue = this.prunedValue.map(doubled);
    }
    const i = this.size++;
    this.key[i] = key;
    this.parent[i] = parent;
    return i;
  }
}

/**
 * Builds the call tree of `input` merged by frame-key path, root first, pruned as
 * `opts.wide` decides. Every kept node's values and self values, and every pruned sum,
 * equal those of the full (unpruned) tree, added in sample order.
 */
export function buildFlameTree(input: StackInput, opts: TreeOptions): FlameTree {
  const { buf, start, end, frames, values } = input;
  const cols = values.length;
  const v0 = values[0];
  // Samples with any non-zero value, in order; their positions are permuted as nodes split.
  const from = opts.from;
  let order = new Int32Array(from ? from.samples.length : input.n);
  let m = 0;
  if (from) {
    order.set(from.samples);
    m = order.length;
  } else {
    for (let k = 0; k < input.n; k++) {
      let any = v0[k] !== 0;
      for (let c = 1; c < cols && !any; c++) any = values[c][k] !== 0;
      if (any) order[m++] = k;
    }
    order = order.subarray(0, m);
  }
  const tmp = new Int32Array(m);
  const nextKey = new Int32Array(m);
  // Cursor per sample: next location (counting down from the root) and frames left in it.
  const curJ = end.slice();
  const curM = new Int32Array(input.n);
  const { fo, fk } = flatFrames(frames);
  /** Moves sample k's cursor one frame towards the leaf; its key, or -1 past the leaf. */
  const walk = (k: number): number => {
    let mm = curM[k];
    let j = curJ[k];
    if (mm === 0) {
      const s0 = start[k];
      while (j > s0) {
        j--;
        const li = buf[j];
        const len = fo[li + 1] - fo[li];
        if (len > 0) {
          mm = len;
          break;
        }
      }
      curJ[k] = j;
    }
    if (mm === 0) return -1;
    mm--;
    curM[k] = mm;
    return fk[fo[buf[j]] + mm];
  };
  // Within the prefix a sample's depth says where it is; past it, the cursor.
  const pre = input.prefix;
  const D = pre ? pre.depth : 0;
  const preKeys = pre ? pre.keys : null;
  const curD = new Int32Array(pre ? input.n : 0);
  const advance =
    pre === undefined
      ? walk
      : (k: number): number => {
          const d = curD[k];
          if (d >= D) return walk(k);
          const key = preKeys![k * D + d];
          if (key < 0) return -1;
          curD[k] = d + 1;
          if (d + 1 === D) {
            curJ[k] = pre.j[k];
            curM[k] = pre.m[k];
          }
          return key;
        };
  if (from) for (let p = 0; p < m; p++) for (let d = 0; d < from.depth; d++) advance(order[p]);

  const wantIndex = !!opts.index;
  // Per-node scratch: candidates in first-appearance order, found through a dense
  // key -> slot map stamped per node (keys are small integers).
  const K = input.keyCount;
  const slotOf = new Int32Array(K);
  const stamp = new Int32Array(K);
  let epoch = 0;
  const cand: Candidates = { key: new Int32Array(64), sums: Array.from({ length: cols }, () => new Float64Array(64)) };
  let slotCount = new Int32Array(65);
  let slotRank = new Int32Array(64);
  let sorted: number[] = [];

  const t = new Nodes(cols);
  t.add(-1, -1);
  const rootSums = new Array<number>(cols).fill(0);
  for (let p = 0; p < m; p++) {
    const k = order[p];
    for (let c = 0; c < cols; c++) rootSums[c] += values[c][k];
  }
  for (let c = 0; c < cols; c++) t.value[c][0] = rootSums[c];

  /**
   * Advances every sample of order[lo..hi) one frame; groups them by key into `cand`
   * (slots in order of first appearance); adds samples that end here to node `at`'s self.
   * Returns the number of slots.
   */
  let ended = 0;
  const split = (at: number, lo: number, hi: number): number => {
    epoch++;
    ended = 0;
    let slots = 0;
    for (let p = lo; p < hi; p++) {
      const k = order[p];
      const key = advance(k);
      if (key < 0) {
        for (let c = 0; c < cols; c++) t.self[c][at] += values[c][k];
        nextKey[p] = -1;
        ended++;
        continue;
      }
      let s: number;
      if (stamp[key] === epoch) s = slotOf[key];
      else {
        s = slots++;
        if (s === cand.key.length) {
          cand.key = doubled(cand.key);
          cand.sums = cand.sums.map(doubled);
          slotRank = doubled(slotRank);
          slotCount = new Int32Array(cand.key.length + 1);
        }
        stamp[key] = epoch;
        slotOf[key] = s;
        cand.key[s] = key;
        for (let c = 0; c < cols; c++) cand.sums[c][s] = 0;
      }
      nextKey[p] = s;
      for (let c = 0; c < cols; c++) cand.sums[c][s] += values[c][k];
    }
    return slots;
  };

  /** Keeps order[lo..hi) of the slots with slotRank >= 0, grouped by rank; returns group starts in slotCount. */
  const regroup = (lo: number, hi: number, slots: number, kept: number): void => {
    slotCount.fill(0, 0, kept + 1);
    if (slots === 1 && kept === 1 && ended === 0) {
      // One child takes every sample (a shared prefix): nothing moves.
      slotCount[1] = hi - lo;
      return;
    }
    for (let p = lo; p < hi; p++) {
      const s = nextKey[p];
      if (s >= 0 && slotRank[s] >= 0) slotCount[slotRank[s] + 1]++;
    }
    for (let r = 0; r < kept; r++) slotCount[r + 1] += slotCount[r];
    // Stable scatter (sample order within each child is kept: sums stay in sample order).
    // With an index, the other samples (ended here, or in pruned children) follow, so
    // the range keeps every sample of the node (FlameIndex).
    let rest = lo + slotCount[kept];
    for (let p = lo; p < hi; p++) {
      const s = nextKey[p];
      const r = s < 0 ? -1 : slotRank[s];
      if (r >= 0) tmp[lo + slotCount[r]++] = order[p];
      else if (wantIndex) tmp[rest++] = order[p];
    }
    order.set(tmp.subarray(lo, wantIndex ? hi : rest), lo);
    // slotCount[r] is now the end of group r; shift back to starts.
    for (let r = kept; r > 0; r--) slotCount[r] = slotCount[r - 1];
    slotCount[0] = 0;
  };

  // Follow the path first: only the matching child's samples stay.
  const lo = 0;
  let hi = m;
  const path = opts.path ?? [];
  if (from) t.key[0] = from.key;
  for (let d = 0; d < path.length; d++) {
    const slots = split(0, lo, hi);
    let hit = -1;
    for (let s = 0; s < slots && hit < 0; s++) if (path[d](cand.key[s])) hit = s;
    if (hit < 0) throw new PathNotFound(d);
    slotRank.fill(-1, 0, slots);
    slotRank[hit] = 0;
    regroup(lo, hi, slots, 1);
    hi = lo + (slotCount[1] - slotCount[0]);
    t.key[0] = cand.key[hit];
    for (let c = 0; c < cols; c++) {
      t.value[c][0] = cand.sums[c][hit];
      rootSums[c] = cand.sums[c][hit];
      t.self[c][0] = 0;
    }
  }

  const wide = opts.wide(rootSums);
  const compare = opts.compare;
  t.lo[0] = lo;
  t.hi[0] = hi;
  // Pruned children per node (FlameIndex), in the order nodes are split.
  const prunedAt: number[] = [];
  let prunedKey = new Int32Array(wantIndex ? 1024 : 0);
  let prunedRank = new Int32Array(wantIndex ? 1024 : 0);
  let prunedN = 0;
  // Work stack of (node, lo, hi).
  const work: number[] = [0, lo, hi];
  while (work.length > 0) {
    const h = work.pop()!;
    const l = work.pop()!;
    const at = work.pop()!;
    const slots = split(at, l, h);
    if (slots === 0) continue;
    sorted.length = slots;
    for (let s = 0; s < slots; s++) sorted[s] = s;
    sorted.sort((a, b) => compare(cand, a, b) || a - b);
    let kept = 0;
    for (let r = 0; r < slots; r++) {
      const s = sorted[r];
      if (wide(cand, s)) slotRank[s] = kept++;
      else {
        slotRank[s] = -1;
        if (wantIndex) {
          if (prunedN === prunedKey.length) {
            prunedKey = doubled(prunedKey);
            prunedRank = doubled(prunedRank);
          }
          prunedAt.push(at);
          prunedKey[prunedN] = cand.key[s];
          prunedRank[prunedN++] = s;
        }
        t.prunedCount[at]++;
        for (let c = 0; c < cols; c++) t.prunedValue[c][at] += cand.sums[c][s];
      }
    }
    if (kept === 0) continue;
    regroup(l, h, slots, kept);
    const first = t.size;
    t.firstChild[at] = first;
    t.childCount[at] = kept;
    for (let r = 0; r < slots; r++) {
      const s = sorted[r];
      if (slotRank[s] < 0) continue;
      const i = t.add(cand.key[s], at);
      for (let c = 0; c < cols; c++) t.value[c][i] = cand.sums[c][s];
      t.rank[i] = s;
      t.lo[i] = l + slotCount[slotRank[s]];
      t.hi[i] = l + slotCount[slotRank[s] + 1];
    }
    // Push in reverse so the first child is expanded first (depth first keeps the stack short).
    for (let r = kept - 1; r >= 0; r--) work.push(first + r, l + slotCount[r], l + slotCount[r + 1]);
  }
  sorted = [];
  if (wantIndex) t.index = flameIndex(t, order, prunedAt, prunedKey, prunedRank, from ? from.depth : 0);
  return t;
}

function flameIndex(t: Nodes, order: Int32Array, at: number[], keys: Int32Array, ranks: Int32Array, rootDepth: number): FlameIndex {
  const n = t.size;
  const depth = new Int32Array(n);
  depth[0] = rootDepth;
  // Parents come before their children.
  for (let i = 1; i < n; i++) depth[i] = depth[t.parent[i]] + 1;
  // Group the pruned children by node (counting sort; each node's stay in rank order).
  const prunedOff = new Int32Array(n + 1);
  for (const a of at) prunedOff[a + 1]++;
  for (let i = 0; i < n; i++) prunedOff[i + 1] += prunedOff[i];
  const fill = prunedOff.slice(0, n);
  const prunedKey = new Int32Array(at.length);
  const prunedRank = new Int32Array(at.length);
  for (let x = 0; x < at.length; x++) {
    const y = fill[at[x]]++;
    prunedKey[y] = keys[x];
    prunedRank[y] = ranks[x];
  }
  return {
    order,
    lo: t.lo.slice(0, n),
    hi: t.hi.slice(0, n),
    depth,
    rank: t.rank.slice(0, n),
    prunedOff,
    prunedKey,
    prunedRank,
  };
}
