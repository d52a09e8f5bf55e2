// Flame graph view model: one call tree merged by path (root first; inlined lines
// expanded outermost -> innermost; unsymbolized locations skipped, like pprof's web
// flame graph), pruned of frames narrower than minFraction of the shown root. The tree
// is pruned while it is built (analysis/flame-tree.ts), so a request costs what it
// returns; the prepared query and frame keys are kept per (profile, query) so zooming
// and reopening skip that work.
import type { Profile } from '../model/profile.js';
import { QueryError } from '../model/query.js';
import type { Query } from '../../../contract/query.js';
import type { FlameGraph, FlameNode, ValueType } from '../../../contract/views.js';
import { printableName, type NodeInfo, type NodeTable } from '../analysis/graph.js';
import { buildFlameTree, PathNotFound, stackPrefix, type FlameTree, type StackInput } from '../analysis/flame-tree.js';
import { sharedGraph, type Prepared } from './pipeline.js';

export const DEFAULT_MIN_FRACTION = 0.001;

function frameName(info: NodeInfo, gran: string): string {
  if (gran === 'functions' || gran === 'filefunctions') return info.name !== '' ? info.name : printableName(info);
  return printableName(info);
}

/** What every flame request of one (profile, query) shares. */
interface FlameInput {
  sampleType: ValueType;
  total: number;
  stacks: StackInput;
  infos: NodeInfo[];
  gran: string;
  names: (string | undefined)[];
  /** The last whole tree built (with its FlameIndex): zooms start from its nodes' samples. */
  last: FlameTree | null;
}

// A few queries per decoded profile (sample type, filters); the profile object lives as
// long as its decoded-profile cache entry, and this with it.
const INPUTS_PER_PROFILE = 4;
/** Frames per sample kept in sample order for the top levels (flame-tree.ts StackPrefix): 32 bytes a sample. */
const PREFIX_DEPTH = 8;
/** Below this many samples the stacks fit in cache anyway. */
const PREFIX_MIN_SAMPLES = 50_000;
const inputs = new WeakMap<Profile, { key: string; input: FlameInput }[]>();

function flameInput(raw: Profile, q: Query): FlameInput {
  const key = JSON.stringify(q);
  let list = inputs.get(raw);
  if (!list) inputs.set(raw, (list = []));
  const at = list.findIndex((e) => e.key === key);
  if (at >= 0) {
    const [hit] = list.splice(at, 1);
    list.unshift(hit);
    return hit.input;
  }
  // The filtered samples and node table, shared with the other views of this query.
  const { pr, table } = sharedGraph(raw, q, { values: false });
  const gran = q.granularity ?? 'functions';
  const w = pr.work;
  const stacks = flameStacks(pr, table);
  if (w.n >= PREFIX_MIN_SAMPLES) stacks.prefix = stackPrefix(stacks, PREFIX_DEPTH);
  const input: FlameInput = {
    sampleType: { ...pr.p.sampleType[pr.idx] },
    total: pr.total,
    stacks,
    infos: table.infos,
    gran,
    names: new Array(table.infos.length * 2),
    last: null,
  };
  list.unshift({ key, input });
  if (list.length > INPUTS_PER_PROFILE) list.length = INPUTS_PER_PROFILE;
  return input;
}

/**
 * The samples of a prepared query as the flame tree builder reads them, without the
 * prefix a large profile adds (flameInput).
 */
export function flameStacks(pr: Prepared, table: NodeTable): StackInput {
  const w = pr.work;
  // Frame key = node id * 2 + 1 when the line is inlined into the next (not the location's
  // outermost line). Locations without lines (after filters) contribute no frame.
  // One array in the node table's layout, a view per location.
  const none = new Int32Array(0);
  const { flat, off } = table;
  const keys = new Int32Array(flat.length);
  const frames: Int32Array[] = new Array(w.locs.length);
  for (let i = 0; i < w.locs.length; i++) {
    if (w.lines[i].length === 0) {
      frames[i] = none;
      continue;
    }
    const last = off[i + 1] - 1;
    for (let m = off[i]; m <= last; m++) keys[m] = flat[m] * 2 + (m !== last ? 1 : 0);
    frames[i] = keys.subarray(off[i], off[i + 1]);
  }
  return {
    n: w.n,
    buf: w.buf,
    start: w.start.subarray(0, w.n),
    end: w.end.subarray(0, w.n),
    frames,
    keyCount: table.infos.length * 2,
    values: [pr.sv.v],
  };
}

/**
 * Prepares what flame graphs of (raw, q) share (filters applied, frame keys), so the
 * first request for one after an upload only builds the tree.
 */
export function prepareFlame(raw: Profile, q: Query): void {
  flameInput(raw, q);
}

function nameOf(fi: FlameInput, key: number): string {
  let s = fi.names[key];
  if (s === undefined) fi.names[key] = s = frameName(fi.infos[key >> 1], fi.gran);
  return s;
}

/**
 * The deepest node of the last whole tree that `path` certainly resolves to (the first
 * sibling by appearance with that name: no pruned sibling of that name came earlier),
 * as a start for buildFlameTree, and how many steps it covers; null for the root.
 */
function startAt(fi: FlameInput, t: FlameTree, path: string[]) {
  const ix = t.index;
  if (!ix) return null;
  let node = 0;
  let d = 0;
  for (; d < path.length; d++) {
    const want = path[d];
    let best = -1;
    let bestRank = Infinity;
    const c0 = t.firstChild[node];
    for (let c = c0; c < c0 + t.childCount[node]; c++) {
      if (ix.rank[c] < bestRank && nameOf(fi, t.key[c]) === want) {
        best = c;
        bestRank = ix.rank[c];
      }
    }
    let prunedFirst = false;
    for (let x = ix.prunedOff[node]; x < ix.prunedOff[node + 1] && !prunedFirst; x++) {
      prunedFirst = ix.prunedRank[x] < bestRank && nameOf(fi, ix.prunedKey[x]) === want;
    }
    if (best < 0 || prunedFirst) break;
    node = best;
  }
  if (node === 0) return null;
  // Ascending = sample order, as a build from the root would add them up.
  const samples = ix.order.slice(ix.lo[node], ix.hi[node]).sort();
  return { from: { samples, depth: ix.depth[node], key: t.key[node] }, steps: d };
}

/**
 * The flame graph of `raw` under query `q`. `path` (frame names from the root's child
 * down) returns that frame's subtree instead, pruned relative to that frame; where several
 * siblings share a name, the first to appear in the samples is taken. `droppedNodes` counts
 * the pruned children (each summed into its parent's prunedValue/prunedCount; the frames
 * below them are never expanded).
 */
export function computeFlameGraph(raw: Profile, q: Query, opts: { minFraction?: number; path?: string[] } = {}): FlameGraph {
  const fi = flameInput(raw, q);
  const minFraction = opts.minFraction ?? DEFAULT_MIN_FRACTION;
  const path = opts.path ?? [];
  const start = path.length > 0 && fi.last ? startAt(fi, fi.last, path) : null;
  let tree;
  try {
    tree = buildFlameTree(fi.stacks, {
      from: start?.from,
      index: path.length === 0,
      path: path.slice(start ? start.steps : 0).map((name) => (key: number) => nameOf(fi, key) === name),
      wide: (rootSums) => {
        const threshold = Math.abs(rootSums[0]) * minFraction;
        return (c, i) => !(Math.abs(c.sums[0][i]) < threshold);
      },
      compare: (c, i, j) => Math.abs(c.sums[0][j]) - Math.abs(c.sums[0][i]),
    });
  } catch (e) {
    if (e instanceof PathNotFound) throw new QueryError(`flame graph path not found: ${JSON.stringify(opts.path)}`);
    throw e;
  }
  if (path.length === 0) fi.last = tree;
  const { size, key, parent, value, self, prunedCount, prunedValue } = tree;
  const nodes: FlameNode[] = new Array(size);
  let dropped = 0;
  for (let i = 0; i < size; i++) {
    const k = key[i];
    const node: FlameNode = { name: k < 0 ? 'root' : nameOf(fi, k), value: value[0][i], self: self[0][i], children: [] };
    if (k >= 0) {
      const info = fi.infos[k >> 1];
      if (info.file !== '') node.file = info.file;
      if (k & 1) node.inline = true;
    }
    if (prunedCount[i] > 0) {
      node.prunedValue = prunedValue[0][i];
      node.prunedCount = prunedCount[i];
      dropped += prunedCount[i];
    }
    nodes[i] = node;
    // Children get consecutive ids in display order, after their parent.
    if (i > 0) nodes[parent[i]].children.push(node);
  }
  return { sampleType: { ...fi.sampleType }, total: fi.total, root: nodes[0], droppedNodes: dropped, minFraction };
}

/**
 * JSON text of a flame graph, written without recursion: JSON.stringify recurses per
 * nesting level and overflows the stack on stacks of tens of thousands of frames.
 * Same members as JSON.stringify of the object (children last).
 */
export function flameGraphJson(g: FlameGraph): string {
  const parts: string[] = [];
  const head = JSON.stringify({ ...g, root: null });
  parts.push(head.slice(0, head.lastIndexOf('"root":')), '"root":');
  // Stack of nodes still to write; a number n marks "close n's children list".
  const stack: (FlameNode | 0)[] = [g.root];
  let needComma = false;
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x === 0) {
      parts.push(']}');
      needComma = true;
      continue;
    }
    const { children, ...rest } = x;
    let s = JSON.stringify(rest);
    s = s.slice(0, -1) + ',"children":[';
    if (needComma) parts.push(',');
    parts.push(s);
    needComma = false;
    stack.push(0);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  parts.push(head.slice(head.lastIndexOf('"root":') + '"root":null'.length));
  return parts.join('');
}
