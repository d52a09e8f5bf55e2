// Test oracle: the flame graph builder as it was before server/src/analysis/flame-tree.ts
// (the full, unpruned call tree of every distinct path, then pruned). Kept verbatim apart
// from imports, and droppedNodes counted at the cut, as the new builder reports it (the
// frames under a pruned child are never expanded there). Recursive: small inputs only.
import type { Profile } from '../../server/src/model/profile.js';
import { QueryError } from '../../server/src/model/query.js';
import type { Query } from '../../contract/query.js';
import type { FlameGraph, FlameNode } from '../../contract/views.js';
import { buildNodeTable, printableName, type NodeInfo } from '../../server/src/analysis/graph.js';
import { prepareQuery } from '../../server/src/report/pipeline.js';
import { doubled } from '../../server/src/analysis/columns.js';

const DEFAULT_MIN_FRACTION = 0.001;

interface Tree {
  parent: Int32Array;
  key: Int32Array;
  value: Float64Array;
  self: Float64Array;
  size: number;
}

function grow(t: Tree): void {
  t.parent = doubled(t.parent);
  t.key = doubled(t.key);
  t.value = doubled(t.value);
  t.self = doubled(t.self);
}

function frameName(info: NodeInfo, gran: string): string {
  if (gran === 'functions' || gran === 'filefunctions') return info.name !== '' ? info.name : printableName(info);
  return printableName(info);
}

export function oracleFlameGraph(raw: Profile, q: Query, opts: { minFraction?: number; path?: string[] } = {}): FlameGraph {
  const pr = prepareQuery(raw, q);
  const gran = q.granularity ?? 'functions';
  const w = pr.work;
  const table = buildNodeTable(w, { granularity: gran, noInlines: !!q.noInlines });
  // Locations without lines (after filters) contribute no frame.
  const hasLines = new Uint8Array(w.locs.length);
  for (let i = 0; i < w.locs.length; i++) hasLines[i] = w.lines[i].length > 0 ? 1 : 0;
  const table2 = table.locNodes;
  const t: Tree = {
    parent: new Int32Array(1024),
    key: new Int32Array(1024),
    value: new Float64Array(1024),
    self: new Float64Array(1024),
    size: 1,
  };
  t.parent[0] = -1;
  t.key[0] = -1;
  // Open-addressing hash (parent, key) -> child: a Map with 2^31+ numeric keys is far slower.
  let cap = 1 << 12;
  let htab = new Int32Array(cap).fill(-1);
  let mask = cap - 1;
  const hash = (parent: number, key: number): number => (Math.imul(parent, 0x9e3779b1) ^ Math.imul(key + 1, 0x85ebca77)) >>> 0;
  const rehash = (): void => {
    cap <<= 1;
    mask = cap - 1;
    htab = new Int32Array(cap).fill(-1);
    for (let c = 1; c < t.size; c++) {
      let h = hash(t.parent[c], t.key[c]) & mask;
      while (htab[h] !== -1) h = (h + 1) & mask;
      htab[h] = c;
    }
  };
  const sv = pr.sv.v;
  const { buf, start: sStart, end: sEnd } = w;
  for (let k = 0; k < w.n; k++) {
    const val = sv[k];
    if (val === 0) continue;
    let cur = 0;
    t.value[0] += val;
    const s0 = sStart[k];
    for (let j = sEnd[k] - 1; j >= s0; j--) {
      const li = buf[j];
      if (!hasLines[li]) continue;
      const ids = table2[li];
      for (let m = ids.length - 1; m >= 0; m--) {
        const key = ids[m] * 2 + (m !== ids.length - 1 ? 1 : 0);
        let h = hash(cur, key) & mask;
        let c = htab[h];
        while (c !== -1 && (t.parent[c] !== cur || t.key[c] !== key)) {
          h = (h + 1) & mask;
          c = htab[h];
        }
        if (c === -1) {
          if (t.size === t.parent.length) grow(t);
          c = t.size++;
          t.parent[c] = cur;
          t.key[c] = key;
          htab[h] = c;
          if (t.size * 2 > cap) rehash();
        }
        t.value[c] += val;
        cur = c;
      }
    }
    t.self[cur] += val;
  }
  // children adjacency (counting sort by parent)
  const n = t.size;
  const start = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) start[t.parent[i] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const kids = new Int32Array(Math.max(n - 1, 0));
  for (let i = 1; i < n; i++) kids[fill[t.parent[i]]++] = i;

  const infos = table.infos;
  const nameOfKey = (key: number): string => frameName(infos[key >> 1], gran);

  let rootIdx = 0;
  for (const name of opts.path ?? []) {
    let found = -1;
    for (let c = start[rootIdx]; c < start[rootIdx + 1]; c++) {
      if (nameOfKey(t.key[kids[c]]) === name) {
        found = kids[c];
        break;
      }
    }
    if (found < 0) throw new QueryError(`flame graph path not found: ${JSON.stringify(opts.path)}`);
    rootIdx = found;
  }
  const minFraction = opts.minFraction ?? DEFAULT_MIN_FRACTION;
  const threshold = Math.abs(t.value[rootIdx]) * minFraction;
  let dropped = 0;
  let allDropped = 0;
  const countSubtree = (i: number): number => {
    let c = 1;
    const stack = [i];
    while (stack.length) {
      const x = stack.pop()!;
      for (let k = start[x]; k < start[x + 1]; k++) {
        c++;
        stack.push(kids[k]);
      }
    }
    return c - 0;
  };
  const build = (i: number): FlameNode => {
    const node: FlameNode = {
      name: i === 0 ? 'root' : nameOfKey(t.key[i]),
      value: t.value[i],
      self: t.self[i],
      children: [],
    };
    if (i !== 0) {
      const info = infos[t.key[i] >> 1];
      if (info.file !== '') node.file = info.file;
      if (t.key[i] & 1) node.inline = true;
    }
    let pv = 0;
    let pc = 0;
    const ch: number[] = [];
    for (let k = start[i]; k < start[i + 1]; k++) ch.push(kids[k]);
    ch.sort((a, b) => Math.abs(t.value[b]) - Math.abs(t.value[a]));
    for (const c of ch) {
      if (Math.abs(t.value[c]) < threshold) {
        pv += t.value[c];
        pc++;
        dropped += 1;
        allDropped += countSubtree(c);
      } else node.children.push(build(c));
    }
    if (pc > 0) {
      node.prunedValue = pv;
      node.prunedCount = pc;
    }
    return node;
  };
  const root = build(rootIdx);
  return {
    sampleType: { ...pr.p.sampleType[pr.idx] },
    total: pr.total,
    root,
    droppedNodes: dropped,
    minFraction,
    allDroppedNodes: allDropped,
  } as FlameGraph & { allDroppedNodes: number };
}
