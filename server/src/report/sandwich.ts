// Sandwich view of one function: its callers merged into one inverted tree (the function
// at the root, each caller one level further) and its callees merged into one tree, across
// every stack the function appears on. Each sample counts once, at the function's
// outermost appearance, so recursion is counted once and the root's value is pprof's cum.
// Built on the query's node table (same filters and granularity as top and peek); small
// subtrees are pruned as the flame graph prunes, so the answer grows with what is shown.
import type { Profile } from '../model/profile.js';
import type { Query } from '../../../contract/query.js';
import type { FlameNode, Sandwich } from '../../../contract/views.js';
import { doubled } from '../analysis/columns.js';
import { nameCache } from './node-order.js';
import { sharedGraph } from './pipeline.js';

/**
 * A call tree in typed columns: node 0 is the root; children are found through one
 * open-addressing hash of (parent, node id), so 280k samples x 13 frames stay cheap.
 */
class Tree {
  n = 1;
  id: Int32Array;
  value: Float64Array;
  self: Float64Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  private parent: Int32Array;
  private slots: Int32Array;
  private mask: number;

  constructor(rootId: number) {
    const cap = 1024;
    this.id = new Int32Array(cap);
    this.value = new Float64Array(cap);
    this.self = new Float64Array(cap);
    this.firstChild = new Int32Array(cap).fill(-1);
    this.nextSibling = new Int32Array(cap).fill(-1);
    this.parent = new Int32Array(cap);
    this.slots = new Int32Array(cap * 2).fill(-1);
    this.mask = cap * 2 - 1;
    this.id[0] = rootId;
    this.parent[0] = -1;
  }

  private static hash(p: number, id: number): number {
    return (Math.imul(p + 1, 0x9e3779b1) ^ Math.imul(id + 1, 0x85ebca77)) >>> 0;
  }

  child(p: number, id: number): number {
    let h = Tree.hash(p, id) & this.mask;
    for (let c = this.slots[h]; c !== -1; c = this.slots[h]) {
      if (this.parent[c] === p && this.id[c] === id) return c;
      h = (h + 1) & this.mask;
    }
    if (this.n === this.id.length) {
      this.grow();
      return this.child(p, id);
    }
    const c = this.n++;
    this.id[c] = id;
    this.parent[c] = p;
    this.nextSibling[c] = this.firstChild[p];
    this.firstChild[p] = c;
    this.slots[h] = c;
    return c;
  }

  private grow(): void {
    this.id = doubled(this.id);
    this.value = doubled(this.value);
    this.self = doubled(this.self);
    this.parent = doubled(this.parent);
    const fc = doubled(this.firstChild);
    fc.fill(-1, this.firstChild.length);
    this.firstChild = fc;
    const ns = doubled(this.nextSibling);
    ns.fill(-1, this.nextSibling.length);
    this.nextSibling = ns;
    this.slots = new Int32Array(this.id.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    for (let c = 1; c < this.n; c++) {
      let h = Tree.hash(this.parent[c], this.id[c]) & this.mask;
      while (this.slots[h] !== -1) h = (h + 1) & this.mask;
      this.slots[h] = c;
    }
  }

  /** FlameNode form; children narrower than minValue are summed into prunedValue/prunedCount. */
  toFlame(c: number, nameOf: (i: number) => string, minValue: number): FlameNode {
    const out: FlameNode = { name: nameOf(this.id[c]), value: this.value[c], self: this.self[c], children: [] };
    const kids: number[] = [];
    for (let k = this.firstChild[c]; k !== -1; k = this.nextSibling[k]) kids.push(k);
    kids.sort((a, b) => Math.abs(this.value[b]) - Math.abs(this.value[a]) || (nameOf(this.id[a]) < nameOf(this.id[b]) ? -1 : 1));
    let prunedValue = 0;
    let prunedCount = 0;
    for (const k of kids) {
      if (Math.abs(this.value[k]) < minValue) {
        prunedValue += this.value[k];
        prunedCount++;
      } else out.children.push(this.toFlame(k, nameOf, minValue));
    }
    if (prunedCount > 0) {
      out.prunedValue = prunedValue;
      out.prunedCount = prunedCount;
    }
    return out;
  }
}

/** `fn` is a printable name at the query's granularity (as top, peek and graph print it). */
export function computeSandwich(raw: Profile, q: Query, fn: string, opts: { minFraction?: number } = {}): Sandwich {
  const { pr, table, values: v } = sharedGraph(raw, q, { values: true });
  const values = v!;
  const st = pr.p.sampleType[pr.idx];
  const nameOf = nameCache(table.infos);
  const target = new Uint8Array(table.infos.length);
  let targetId = -1;
  for (let i = 0; i < table.infos.length; i++) {
    if (nameOf(i) === fn) {
      target[i] = 1;
      if (targetId < 0) targetId = i;
    }
  }
  const typeName = q.mean ? 'mean_' + st.type : st.type;
  const empty = (): FlameNode => ({ name: fn, value: 0, self: 0, children: [] });
  if (targetId < 0) {
    return {
      sampleType: { type: typeName, unit: st.unit },
      total: pr.total,
      name: fn,
      found: false,
      flat: 0,
      cum: 0,
      callers: empty(),
      callees: empty(),
      warnings: pr.warnings,
    };
  }
  const callers = new Tree(targetId);
  const callees = new Tree(targetId);
  const { buf, start, end } = pr.work;
  const { flat: nodesFlat, off } = table;
  let path = new Int32Array(256);
  for (let k = 0; k < pr.work.n; k++) {
    const val = pr.sv.v[k];
    if (val === 0) continue;
    // the stack's nodes, root first (locations outermost line first)
    let len = 0;
    let at = -1;
    for (let j = end[k] - 1; j >= start[k]; j--) {
      const li = buf[j];
      for (let m = off[li + 1] - 1; m >= off[li]; m--) {
        if (len === path.length) path = doubled(path);
        const id = nodesFlat[m];
        if (at < 0 && target[id] === 1) at = len;
        path[len++] = id;
      }
    }
    if (at < 0) continue;
    callees.value[0] += val;
    let n = 0;
    for (let i = at + 1; i < len; i++) {
      n = callees.child(n, path[i]);
      callees.value[n] += val;
    }
    callees.self[n] += val;
    callers.value[0] += val;
    n = 0;
    for (let i = at - 1; i >= 0; i--) {
      n = callers.child(n, path[i]);
      callers.value[n] += val;
    }
    callers.self[n] += val;
  }
  const minValue = Math.abs(callees.value[0]) * (opts.minFraction ?? 0.001);
  let flat = 0;
  for (let i = 0; i < table.infos.length; i++) if (target[i] === 1) flat += values.flat[i];
  return {
    sampleType: { type: typeName, unit: st.unit },
    total: pr.total,
    name: fn,
    found: true,
    flat,
    cum: callees.value[0],
    callers: callers.toFlame(0, nameOf, minValue),
    callees: callees.toFlame(0, nameOf, minValue),
    warnings: pr.warnings,
  };
}
