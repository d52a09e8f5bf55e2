// Differential flame tree: both sides of a comparison go through the flame graph's own
// front half (prepareQuery: drop_frames, sample index, filters, exact values) and frame
// keys (buildNodeTable, as report/flame.ts), then into one path tree with a value per
// side. Iterative throughout, so a stack of any depth answers (no recursion).
import { buildNodeTable, printableName, type NodeInfo } from '../analysis/graph.js';
import { doubled } from '../analysis/columns.js';
import type { DiffFlameGraph, DiffFlameNode, DiffOptions } from '../../../contract/diff.js';
import type { Query } from '../../../contract/query.js';
import type { Profile } from '../model/profile.js';
import { QueryError } from '../model/query.js';
import { diffSides, memo } from './diff.js';
import { prepareQuery, type Prepared } from './pipeline.js';

/** Columnar path tree; node 0 is the root. Channel 0 is the new profile, 1 the base. */
class PathTree {
  parent = new Int32Array(1024);
  key = new Int32Array(1024);
  value = [new Float64Array(1024), new Float64Array(1024)];
  self = [new Float64Array(1024), new Float64Array(1024)];
  size = 1;
  private cap = 1 << 12;
  private mask = this.cap - 1;
  private htab = new Int32Array(this.cap).fill(-1);

  constructor() {
    this.parent[0] = -1;
    this.key[0] = -1;
  }

  private static hash(parent: number, key: number): number {
    return (Math.imul(parent, 0x9e3779b1) ^ Math.imul(key + 1, 0x85ebca77)) >>> 0;
  }

  /** The child of `parent` with `key`, made when missing (open addressing, as flame.ts). */
  child(parent: number, key: number): number {
    let h = PathTree.hash(parent, key) & this.mask;
    let c = this.htab[h]!;
    while (c !== -1 && (this.parent[c] !== parent || this.key[c] !== key)) {
      h = (h + 1) & this.mask;
      c = this.htab[h]!;
    }
    if (c !== -1) return c;
    if (this.size === this.parent.length) {
      this.parent = doubled(this.parent);
      this.key = doubled(this.key);
      for (let s = 0; s < 2; s++) {
        this.value[s] = doubled(this.value[s]!);
        this.self[s] = doubled(this.self[s]!);
      }
    }
    c = this.size++;
    this.parent[c] = parent;
    this.key[c] = key;
    this.htab[h] = c;
    if (this.size * 2 > this.cap) this.rehash();
    return c;
  }

  private rehash(): void {
    this.cap <<= 1;
    this.mask = this.cap - 1;
    this.htab = new Int32Array(this.cap).fill(-1);
    for (let c = 1; c < this.size; c++) {
      let h = PathTree.hash(this.parent[c]!, this.key[c]!) & this.mask;
      while (this.htab[h] !== -1) h = (h + 1) & this.mask;
      this.htab[h] = c;
    }
  }
}

function frameName(info: NodeInfo, gran: string): string {
  if (gran === 'functions' || gran === 'filefunctions') return info.name !== '' ? info.name : printableName(info);
  return printableName(info);
}

/**
 * Adds one side's filtered samples to the tree. Frames are named as the flame graph names
 * them; the two sides are joined by name (a function inlined in one build and not in the
 * other is still one frame). Locations without lines after filters add no frame.
 */
function addSide(t: PathTree, pr: Prepared, q: Query, names: Map<string, number>, nameList: string[], side: 0 | 1): void {
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
  const sv = pr.sv.v;
  const { buf, start, end } = w;
  for (let k = 0; k < w.n; k++) {
    const val = sv[k]!;
    if (val === 0) continue;
    let cur = 0;
    t.value[side]![0] += val;
    for (let j = end[k]! - 1; j >= start[k]!; j--) {
      const li = buf[j]!;
      if (w.lines[li]!.length === 0) continue;
      const ids = table.locNodes[li]!;
      for (let m = ids.length - 1; m >= 0; m--) {
        cur = t.child(cur, keyOf[ids[m]!]!);
        t.value[side]![cur] += val;
      }
    }
    t.self[side]![cur] += val;
  }
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
  const t = new PathTree();
  const names = new Map<string, number>();
  const nameList: string[] = [];
  addSide(t, prNew, q, names, nameList, 0);
  addSide(t, prBase, q, names, nameList, 1);
  const warnings = [...new Set([...prNew.warnings, ...prBase.warnings])];

  // Children adjacency by counting sort on parent.
  const n = t.size;
  const first = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) first[t.parent[i]! + 1]!++;
  for (let i = 0; i < n; i++) first[i + 1]! += first[i]!;
  const fill = first.slice(0, n);
  const kids = new Int32Array(Math.max(n - 1, 0));
  for (let i = 1; i < n; i++) kids[fill[t.parent[i]!]!++] = i;

  const [vNew, vBase] = t.value as [Float64Array, Float64Array];
  const [sNew, sBase] = t.self as [Float64Array, Float64Array];
  let rootIdx = 0;
  for (const name of opts.path ?? []) {
    const k = names.get(name);
    let found = -1;
    if (k !== undefined) {
      for (let c = first[rootIdx]!; c < first[rootIdx + 1]!; c++) {
        if (t.key[kids[c]!] === k) {
          found = kids[c]!;
          break;
        }
      }
    }
    if (found < 0) throw new QueryError(`path not found in the comparison: ${JSON.stringify(opts.path)}`);
    rootIdx = found;
  }
  const minFraction = opts.minFraction ?? 0.001;
  const cutoff = Math.max(Math.abs(vNew[rootIdx]!), Math.abs(vBase[rootIdx]!)) * minFraction;
  const size = (i: number): number => Math.max(Math.abs(vNew[i]!), Math.abs(vBase[i]!));

  const make = (i: number): DiffFlameNode => ({
    name: i === 0 ? 'root' : nameList[t.key[i]!]!,
    value: vNew[i]!,
    base: vBase[i]!,
    delta: vNew[i]! - vBase[i]!,
    self: sNew[i]!,
    baseSelf: sBase[i]!,
    children: [],
  });
  // Subtree sizes (for the dropped count), children after parents in index order.
  const desc = new Int32Array(n);
  for (let i = n - 1; i >= 1; i--) desc[t.parent[i]!]! += desc[i]! + 1;

  let dropped = 0;
  const root = make(rootIdx);
  const stack: [number, DiffFlameNode][] = [[rootIdx, root]];
  while (stack.length > 0) {
    const [i, node] = stack.pop()!;
    const ch: number[] = [];
    for (let c = first[i]!; c < first[i + 1]!; c++) ch.push(kids[c]!);
    // Widest (by new, then base) first; name breaks ties so the output is stable.
    ch.sort((a, b) => {
      const d = vNew[b]! - vNew[a]! || vBase[b]! - vBase[a]!;
      if (d !== 0) return d;
      const na = nameList[t.key[a]!]!;
      const nb = nameList[t.key[b]!]!;
      return na < nb ? -1 : na > nb ? 1 : 0;
    });
    let pc = 0;
    let pv = 0;
    let pb = 0;
    for (const c of ch) {
      if (size(c) < cutoff) {
        pc += 1 + desc[c]!;
        pv += vNew[c]!;
        pb += vBase[c]!;
        continue;
      }
      const child = make(c);
      node.children.push(child);
      stack.push([c, child]);
    }
    if (pc > 0) {
      dropped += pc;
      node.prunedCount = pc;
      node.prunedValue = pv;
      node.prunedBase = pb;
    }
  }
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
