// Sandwich view of one function: its callers merged into one inverted tree (the function
// at the root, each caller one level further) and its callees merged into one tree, across
// every stack the function appears on. Each sample counts once, at the function's
// outermost appearance, so recursion is counted once and the root's value is pprof's cum.
// Built on the query's node table (same filters and granularity as top and peek); small
// subtrees are pruned as the flame graph prunes, so the answer grows with what is shown.
import type { Profile } from '../model/profile.js';
import type { Query } from '../model/query.js';
import type { FlameNode, Sandwich } from '../model/views.js';
import { nameCache } from './node-order.js';
import { graphFor, prepareQuery } from './pipeline.js';

interface Building {
  id: number;
  value: number;
  self: number;
  kids: Map<number, Building> | null;
}

function child(n: Building, id: number): Building {
  if (!n.kids) n.kids = new Map();
  let c = n.kids.get(id);
  if (!c) {
    c = { id, value: 0, self: 0, kids: null };
    n.kids.set(id, c);
  }
  return c;
}

function toFlame(n: Building, nameOf: (i: number) => string, minValue: number): FlameNode {
  const out: FlameNode = { name: nameOf(n.id), value: n.value, self: n.self, children: [] };
  if (!n.kids) return out;
  let prunedValue = 0;
  let prunedCount = 0;
  const kids = [...n.kids.values()].sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (nameOf(a.id) < nameOf(b.id) ? -1 : 1));
  for (const k of kids) {
    if (Math.abs(k.value) < minValue) {
      prunedValue += k.value;
      prunedCount++;
    } else out.children.push(toFlame(k, nameOf, minValue));
  }
  if (prunedCount > 0) {
    out.prunedValue = prunedValue;
    out.prunedCount = prunedCount;
  }
  return out;
}

/** `fn` is a printable name at the query's granularity (as top, peek and graph print it). */
export function computeSandwich(raw: Profile, q: Query, fn: string, opts: { minFraction?: number } = {}): Sandwich {
  const pr = prepareQuery(raw, q);
  const st = pr.p.sampleType[pr.idx];
  const { table, values } = graphFor(pr, q.granularity ?? 'functions', !!q.noInlines);
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
    return { sampleType: { type: typeName, unit: st.unit }, total: pr.total, name: fn, found: false, flat: 0, cum: 0, callers: empty(), callees: empty(), warnings: pr.warnings };
  }
  const callers: Building = { id: targetId, value: 0, self: 0, kids: null };
  const callees: Building = { id: targetId, value: 0, self: 0, kids: null };
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
        if (len === path.length) {
          const b = new Int32Array(len * 2);
          b.set(path);
          path = b;
        }
        const id = nodesFlat[m];
        if (at < 0 && target[id] === 1) at = len;
        path[len++] = id;
      }
    }
    if (at < 0) continue;
    callees.value += val;
    let n = callees;
    for (let i = at + 1; i < len; i++) {
      n = child(n, path[i]);
      n.value += val;
    }
    n.self += val;
    callers.value += val;
    n = callers;
    for (let i = at - 1; i >= 0; i--) {
      n = child(n, path[i]);
      n.value += val;
    }
    n.self += val;
  }
  const minValue = Math.abs(callees.value) * (opts.minFraction ?? 0.001);
  let flat = 0;
  for (let i = 0; i < table.infos.length; i++) if (target[i] === 1) flat += values.flat[i];
  return {
    sampleType: { type: typeName, unit: st.unit },
    total: pr.total,
    name: fn,
    found: true,
    flat,
    cum: callees.value,
    callers: toFlame(callers, nameOf, minValue),
    callees: toFlame(callees, nameOf, minValue),
    warnings: pr.warnings,
  };
}
