// `go tool pprof -dot`: the nodes and edges of pprof's call graph view
// (report.newTrimmedGraph in visual mode, then GetDOT's legend and unit), as data.
import type { Profile } from '../model/profile.js';
import type { GraphOptions, Query } from '../../../contract/query.js';
import type { CallGraph, CallGraphEdge, CallGraphNode } from '../../../contract/views.js';
import { buildEdges, type EdgeTable } from '../analysis/edges.js';
import { nodeletCounts, MAX_NODELETS } from '../analysis/nodelets.js';
import { percentage, scaledLabel, selectOutputUnit } from '../../../contract/format.js';
import { activeFilterLines, profileLabels } from './legend.js';
import { nameCache, nodeComparator } from './node-order.js';
import { sharedGraph } from './pipeline.js';

/** pprof's graph view defaults (-nodecount 80, -nodefraction 0.005, -edgefraction 0.001). */
export const GRAPH_DEFAULTS = { nodeCount: 80, nodeFraction: 0.005, edgeFraction: 0.001 };

const MIN_INT64 = -(2n ** 63n);

/** Live edges of a node set: per node its in/out edge indices into the table. */
interface Adjacency {
  alive: Uint8Array;
  ins: number[][];
  outs: number[][];
}

function adjacency(e: EdgeTable, nNodes: number): Adjacency {
  const ins: number[][] = new Array(nNodes);
  const outs: number[][] = new Array(nNodes);
  for (let i = 0; i < e.n; i++) {
    (ins[e.dst[i]] ??= []).push(i);
    (outs[e.src[i]] ??= []).push(i);
  }
  return { alive: new Uint8Array(e.n).fill(1), ins, outs };
}

/** graph.edgeEntropyScore over the live edges. */
function edgeEntropy(e: EdgeTable, list: number[] | undefined, alive: Uint8Array, self: number): number {
  let total = self;
  if (list) for (const i of list) if (alive[i] && e.weight[i] > 0) total += Math.abs(e.weight[i]);
  let score = 0;
  if (total !== 0) {
    if (list) {
      for (const i of list) {
        if (!alive[i]) continue;
        const frac = Math.abs(e.weight[i]) / total;
        score += -frac * Math.log2(frac);
      }
    }
    if (self > 0) {
      const frac = Math.abs(self) / total;
      score += -frac * Math.log2(frac);
    }
  }
  return score;
}

function hasLive(list: number[] | undefined, alive: Uint8Array): boolean {
  if (list) for (const i of list) if (alive[i]) return true;
  return false;
}

/** pprof's edge order (edgeList.Less): |weight| desc, source name, destination name. */
export function edgeComparator(e: EdgeTable, nameOf: (i: number) => string): (a: number, b: number) => number {
  return (a, b) => {
    const wa = e.weight[a];
    const wb = e.weight[b];
    if (wa !== wb) {
      const x = Math.abs(wa);
      const y = Math.abs(wb);
      return x === y ? 0 : x > y ? -1 : 1;
    }
    const sa = nameOf(e.src[a]);
    const sb = nameOf(e.src[b]);
    if (sa !== sb) return sa < sb ? -1 : 1;
    const da = nameOf(e.dst[a]);
    const db = nameOf(e.dst[b]);
    return da === db ? 0 : da < db ? -1 : 1;
  };
}

export function computeCallGraph(raw: Profile, q: Query, opts: GraphOptions = {}): CallGraph {
  const { pr, table, values: v } = sharedGraph(raw, q, { values: true });
  const values = v!;
  const st = pr.p.sampleType[pr.idx];
  const { infos } = table;
  const { flat, cum } = values;
  const trim = opts.trim !== false;
  const nodeFraction = trim ? (opts.nodeFraction ?? GRAPH_DEFAULTS.nodeFraction) : 0;
  const edgeFraction = trim ? (opts.edgeFraction ?? GRAPH_DEFAULTS.edgeFraction) : 0;
  const nodeCount = trim ? (opts.nodeCount ?? GRAPH_DEFAULTS.nodeCount) : 0;
  const nameOf = nameCache(infos);

  const present: number[] = [];
  let totalValue = 0;
  for (let i = 0; i < infos.length; i++) {
    if (flat[i] === 0 && cum[i] === 0) continue;
    present.push(i);
    totalValue += flat[i];
  }
  if (values.flatX) {
    let t = 0n;
    for (const i of present) t = BigInt.asIntN(64, t + values.flatX[i]);
    totalValue = Number(t);
  }
  const nodeCutoff = Math.abs(Math.trunc(totalValue * nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(totalValue * edgeFraction));

  let nodes = present;
  let kept: Uint8Array | null = null;
  let droppedNodes = 0;
  const keepOnly = (list: number[]): Uint8Array => {
    const m = new Uint8Array(infos.length);
    for (const i of list) m[i] = 1;
    return m;
  };
  if (nodeCutoff > 0) {
    const k = present.filter((i) => Math.abs(cum[i]) >= nodeCutoff);
    if (k.length !== present.length) {
      droppedNodes = present.length - k.length;
      nodes = k;
      kept = keepOnly(k);
    }
  }
  let edges = buildEdges(pr.work, table, pr.sv, { kept, marked: null, mode: 'into' });
  let adj = adjacency(edges, infos.length);
  const origCount = nodes.length;

  // graph.SortNodes in visual mode: EntropyOrder.
  const sortByEntropy = (list: number[]): number[] => {
    const score = new Float64Array(infos.length);
    const scoreX = new BigInt64Array(infos.length);
    for (const i of list) {
      let s = 0;
      s += hasLive(adj.ins[i], adj.alive) ? edgeEntropy(edges, adj.ins[i], adj.alive, 0) : 1;
      s += hasLive(adj.outs[i], adj.alive) ? edgeEntropy(edges, adj.outs[i], adj.alive, flat[i]) : 1;
      // Go: abs64(int64(score*cum) + flat) in int64. A zero-weight edge (-mean, diffs) makes
      // the entropy NaN, and int64(NaN) is MinInt64 on amd64: such a node sorts first
      // unless its flat is 0 (abs64(MinInt64) stays MinInt64, the smallest).
      const prod = s * cum[i];
      let v = Number.isNaN(prod) ? MIN_INT64 : BigInt(Math.trunc(prod));
      v = BigInt.asIntN(64, v + BigInt(flat[i]));
      if (v < 0n) v = BigInt.asIntN(64, -v);
      scoreX[i] = v;
      score[i] = Number(v);
    }
    return list.slice().sort(nodeComparator(infos, nameOf, { prim: score, primX: scoreX, sec: flat, primAbsolute: true }));
  };
  const trimEdges = (): number => {
    let dropped = 0;
    for (let i = 0; i < edges.n; i++) {
      if (adj.alive[i] && Math.abs(edges.weight[i]) < edgeCutoff) {
        adj.alive[i] = 0;
        dropped++;
      }
    }
    return dropped;
  };

  nodes = sortByEntropy(nodes);
  if (nodeCount > 0) {
    trimEdges();
    // graph.selectTopNodes: in visual mode a node's tag nodelets count towards the limit.
    let maxNodes = nodeCount;
    // Each node counts at least 1, so only the first nodeCount in order can matter.
    const want = new Uint8Array(infos.length);
    for (const i of nodes.slice(0, nodeCount)) want[i] = 1;
    const tags = nodeletCounts(pr.work, table, pr.sv, kept, want, nodeCutoff, opts.unit ?? 'minimum');
    let count = 0;
    for (let i = 0; i < nodes.length; i++) {
      count += Math.min(tags[nodes[i]], MAX_NODELETS) + 1;
      if (count >= maxNodes) {
        maxNodes = i + 1;
        break;
      }
    }
    if (maxNodes < nodes.length) {
      nodes = nodes.slice(0, maxNodes);
      kept = keepOnly(nodes);
      edges = buildEdges(pr.work, table, pr.sv, { kept, marked: null, mode: 'into' });
      adj = adjacency(edges, infos.length);
      nodes = sortByEntropy(nodes);
    }
  }
  const droppedEdges = trimEdges();
  removeRedundantEdges(nodes, edges, adj, edgeComparator(edges, nameOf));

  // Shown values: FlatValue()/CumValue() (divided under -mean).
  const { flatDiv, cumDiv } = values;
  const shown = (arr: Float64Array, d: Float64Array | null, i: number): number => (d && d[i] !== 0 ? Math.trunc(arr[i] / d[i]) : arr[i]);
  const index = new Map<number, number>();
  const outNodes: CallGraphNode[] = nodes.map((i, k) => {
    index.set(i, k);
    const info = infos[i];
    return {
      id: k,
      name: nameOf(i),
      function: info.name,
      file: info.file,
      line: info.lineno,
      address: info.address === 0n ? '' : '0x' + info.address.toString(16),
      flat: shown(flat, flatDiv, i),
      cum: shown(cum, cumDiv, i),
    };
  });
  const live: number[] = [];
  for (let i = 0; i < edges.n; i++) if (adj.alive[i] && index.has(edges.src[i]) && index.has(edges.dst[i])) live.push(i);
  live.sort(edgeComparator(edges, nameOf));
  const outEdges: CallGraphEdge[] = live.map((i) => {
    const d = edges.weightDiv;
    return {
      from: index.get(edges.src[i])!,
      to: index.get(edges.dst[i])!,
      weight: d && d[i] !== 0 ? Math.trunc(edges.weight[i] / d[i]) : edges.weight[i],
      inline: edges.inline[i] === 1,
      residual: edges.residual[i] === 1,
    };
  });

  const unit = selectOutputUnit(opts.unit ?? 'minimum', st.unit, outNodes, pr.total);
  const fmt = (v: number): string => scaledLabel(v, st.unit, unit);
  const typeName = q.mean ? 'mean_' + st.type : st.type;
  // reportLabels with full headers (GetDOT always prints them).
  const legend = profileLabels(pr.p, typeName, st.unit, pr.total, fmt);
  legend.push(...activeFilterLines(pr.activeFilters));
  let flatSum = 0;
  for (const n of outNodes) flatSum += n.flat;
  legend.push(`Showing nodes accounting for ${fmt(flatSum)}, ${percentage(flatSum, pr.total).trim()} of ${fmt(pr.total)} total`);
  if (pr.total !== 0) {
    if (droppedNodes > 0) {
      const f = fmt(Math.abs(Math.trunc(pr.total * nodeFraction)));
      legend.push(`Dropped ${droppedNodes} ${droppedNodes > 1 ? 'nodes' : 'node'} (cum <= ${f})`);
    }
    if (droppedEdges > 0) {
      const f = fmt(Math.abs(Math.trunc(pr.total * edgeFraction)));
      legend.push(`Dropped ${droppedEdges} ${droppedEdges > 1 ? 'edges' : 'edge'} (freq <= ${f})`);
    }
    if (outNodes.length > 0 && outNodes.length < origCount) legend.push(`Showing top ${outNodes.length} nodes out of ${origCount}`);
  }
  return {
    sampleType: { type: typeName, unit: st.unit },
    total: pr.total,
    unit,
    legend,
    nodes: outNodes,
    edges: outEdges,
    droppedNodes,
    droppedEdges,
    nodesBeforeLimit: origCount,
    warnings: pr.warnings,
  };
}

/**
 * graph.RemoveRedundantEdges: from the last node to the first, its residual in-edges
 * (lightest first, stopping at the first non-residual) are removed when the source still
 * reaches the node another way.
 */
function removeRedundantEdges(nodes: number[], e: EdgeTable, adj: Adjacency, order: (a: number, b: number) => number): void {
  const liveIns = (n: number): number[] => (adj.ins[n] ?? []).filter((i) => adj.alive[i] === 1);
  for (let k = nodes.length - 1; k >= 0; k--) {
    const ins = liveIns(nodes[k]).sort(order);
    for (let j = ins.length - 1; j >= 0; j--) {
      const ei = ins[j];
      if (!e.residual[ei]) break;
      if (reachesAround(e, adj, ei)) adj.alive[ei] = 0;
    }
  }
}

/** graph.isRedundantEdge: does e's source reach e's destination without e? */
function reachesAround(e: EdgeTable, adj: Adjacency, ei: number): boolean {
  const src = e.src[ei];
  const seen = new Set<number>([e.dst[ei]]);
  const queue = [e.dst[ei]];
  for (let qi = 0; qi < queue.length; qi++) {
    for (const i of adj.ins[queue[qi]] ?? []) {
      if (!adj.alive[i] || i === ei || seen.has(e.src[i])) continue;
      if (e.src[i] === src) return true;
      seen.add(e.src[i]);
      queue.push(e.src[i]);
    }
  }
  return false;
}
