// Differential flame tree: both sides of a comparison go through the flame graph's own
// front half (prepareQuery: drop_frames, sample index, filters, exact values) and frame
// names (buildNodeTable, as report/flame.ts), then through the flame graph's tree builder
// (analysis/flame-tree.ts) as one set of stacks with two value columns, new and base,
// pruned while it is built. Iterative throughout, so a stack of any depth answers.
import { buildNodeTable, printableName, type NodeInfo } from '../analysis/graph.js';
import { buildFlameTree, PathNotFound, type Candidates } from '../analysis/flame-tree.js';
import type { DiffFlameGraph, DiffFlameNode, DiffOptions } from '../../../contract/diff.js';
import type { Query } from '../../../contract/query.js';
import type { Profile } from '../model/profile.js';
import { QueryError } from '../model/query.js';
import { diffSides, memo } from './diff.js';
import { prepareQuery, type Prepared } from './pipeline.js';

function frameName(info: NodeInfo, gran: string): string {
  if (gran === 'functions' || gran === 'filefunctions') return info.name !== '' ? info.name : printableName(info);
  return printableName(info);
}

/** Per location of one side, the shared name keys of its frames, innermost first (none without lines). */
function sideFrames(pr: Prepared, q: Query, names: Map<string, number>, nameList: string[]): Int32Array[] {
  const gran = q.granularity ?? 'functions';
  const w = pr.work;
  const table = buildNodeTable(w, { granularity: gran, noInlines: !!q.noInlines });
  const keyOf = new Int32Array(table.infos.length);
  for (let i = 0; i < table.infos.length; i++) {
    const name = frameName(table.infos[i]!, gran);
    let k = names.get(name);
    if (k === undefined) {
      k = nameList.length;
      names.set(name, k);
      nameList.push(name);
    }
    keyOf[i] = k;
  }
  const none = new Int32Array(0);
  const out: Int32Array[] = new Array(w.locs.length);
  for (let li = 0; li < w.locs.length; li++) {
    if (w.lines[li]!.length === 0) {
      out[li] = none;
      continue;
    }
    const ids = table.locNodes[li]!;
    const f = new Int32Array(ids.length);
    for (let m = 0; m < ids.length; m++) f[m] = keyOf[ids[m]!]!;
    out[li] = f;
  }
  return out;
}

/**
 * Call tree of both sides merged by frame-name path: value = new, base, delta = new - base.
 * Frames that vanished stay with value 0 and their base value. The query's filters apply
 * to both sides. `minFraction` prunes frames whose new and base values are both below that
 * fraction of the larger side at the shown root; `path` returns one subtree.
 */
export function computeDiffFlameGraph(
  newer: Profile,
  base: Profile,
  q: Query,
  opts: DiffOptions & { minFraction?: number; path?: string[] },
): DiffFlameGraph {
  const sides = memo(newer, base, `sides:${!!opts.normalize}`, () => diffSides(newer, base, opts));
  const prNew = prepareQuery(sides.newer, q);
  const prBase = prepareQuery(sides.base, q);
  const names = new Map<string, number>();
  const nameList: string[] = [];
  const framesNew = sideFrames(prNew, q, names, nameList);
  const framesBase = sideFrames(prBase, q, names, nameList);
  const warnings = [...new Set([...prNew.warnings, ...prBase.warnings])];

  // Both sides as one set of stacks: base samples after the new ones, their location
  // indices shifted past the new side's; column 0 holds new values, column 1 base values.
  const wn = prNew.work;
  const wb = prBase.work;
  const n = wn.n + wb.n;
  const buf = new Int32Array(wn.buf.length + wb.buf.length);
  buf.set(wn.buf);
  const locShift = framesNew.length;
  for (let j = 0; j < wb.buf.length; j++) buf[wn.buf.length + j] = wb.buf[j]! + locShift;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  start.set(wn.start.subarray(0, wn.n));
  end.set(wn.end.subarray(0, wn.n));
  for (let k = 0; k < wb.n; k++) {
    start[wn.n + k] = wb.start[k]! + wn.buf.length;
    end[wn.n + k] = wb.end[k]! + wn.buf.length;
  }
  const vNewIn = new Float64Array(n);
  const vBaseIn = new Float64Array(n);
  vNewIn.set(prNew.sv.v.subarray(0, wn.n));
  vBaseIn.set(prBase.sv.v.subarray(0, wb.n), wn.n);

  const minFraction = opts.minFraction ?? 0.001;
  const size = (c: Candidates, i: number): number => Math.max(Math.abs(c.sums[0]![i]!), Math.abs(c.sums[1]![i]!));
  let tree;
  try {
    tree = buildFlameTree(
      { n, buf, start, end, frames: [...framesNew, ...framesBase], keyCount: nameList.length, values: [vNewIn, vBaseIn] },
      {
        path: (opts.path ?? []).map((name) => (key: number) => nameList[key] === name),
        wide: (rootSums) => {
          const cutoff = Math.max(Math.abs(rootSums[0]!), Math.abs(rootSums[1]!)) * minFraction;
          return (c, i) => !(size(c, i) < cutoff);
        },
        // Widest (by new, then base) first; name breaks ties so the output is stable.
        compare: (c, i, j) => {
          const d = c.sums[0]![j]! - c.sums[0]![i]! || c.sums[1]![j]! - c.sums[1]![i]!;
          if (d !== 0) return d;
          const a = nameList[c.key[i]!]!;
          const b = nameList[c.key[j]!]!;
          return a < b ? -1 : a > b ? 1 : 0;
        },
      },
    );
  } catch (e) {
    if (e instanceof PathNotFound) throw new QueryError(`path not found in the comparison: ${JSON.stringify(opts.path)}`);
    throw e;
  }
  const { key, parent, value, self, prunedCount, prunedValue } = tree;
  const nodes: DiffFlameNode[] = new Array(tree.size);
  let dropped = 0;
  for (let i = 0; i < tree.size; i++) {
    const k = key[i]!;
    const node: DiffFlameNode = {
      name: k < 0 ? 'root' : nameList[k]!,
      value: value[0]![i]!,
      base: value[1]![i]!,
      delta: value[0]![i]! - value[1]![i]!,
      self: self[0]![i]!,
      baseSelf: self[1]![i]!,
      children: [],
    };
    if (prunedCount[i]! > 0) {
      node.prunedCount = prunedCount[i]!;
      node.prunedValue = prunedValue[0]![i]!;
      node.prunedBase = prunedValue[1]![i]!;
      dropped += prunedCount[i]!;
    }
    nodes[i] = node;
    // Children get consecutive ids in display order, after their parent.
    if (i > 0) nodes[parent[i]!]!.children.push(node);
  }
  const root = nodes[0]!;
  return {
    sampleType: { ...sides.newer.sampleType[prNew.idx]! },
    mode: opts.mode,
    normalized: !!opts.normalize,
    newTotal: prNew.total,
    baseTotal: prBase.total,
    root,
    droppedNodes: dropped,
    minFraction,
    warnings,
  };
}
