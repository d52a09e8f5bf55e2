// pprof's graph edges (internal/graph newGraph): walking each sample from the root,
// an edge parent->child is added once per sample per pair, never a self edge; it is
// inline only if every contribution was an inlined (non-outermost) line, and residual
// if nodes outside the kept set were skipped between the two.
import { EdgeSet, type EdgeTable } from './edge-set.js';
import type { NodeTable, SampleValues } from './graph.js';
import type { Work } from './work.js';

export type { EdgeTable };

export interface EdgeScope {
  /** Only these nodes exist (pprof KeptNodes); null = every node. */
  kept: Uint8Array | null;
  /** Only edges into (or touching) these nodes are recorded; null = every edge. */
  marked: Uint8Array | null;
  /** 'into': the child must be marked; 'touching': either end. */
  mode: 'into' | 'touching';
  /** Only edges from these parents are recorded (unset = from any). */
  from?: Uint8Array;
}

export function buildEdges(w: Work, t: NodeTable, sv: SampleValues, scope: EdgeScope): EdgeTable {
  const { kept, marked, mode } = scope;
  const from = scope.from ?? null;
  const edges = new EdgeSet(sv);
  const div = sv.div;
  const ex = sv.exact;
  const { flat: nodesFlat, off, locNodes } = t;
  // Locations holding a marked (and kept) node: samples without one add no recorded edge.
  let markLoc: Uint8Array | null = null;
  if (marked) {
    markLoc = new Uint8Array(locNodes.length);
    for (let li = 0; li < locNodes.length; li++) {
      for (const id of locNodes[li]) if (marked[id] === 1 && (kept === null || kept[id] === 1)) markLoc[li] = 1;
    }
  }
  const { buf, start, end } = w;
  const touching = mode === 'touching';
  for (let k = 0; k < w.n; k++) {
    const val = sv.v[k];
    const dv = div ? div[k] : 0;
    if (val === 0 && dv === 0 && (!ex || ex[k] === 0n)) continue;
    const s0 = start[k];
    const e0 = end[k];
    if (markLoc) {
      let has = false;
      for (let j = s0; j < e0; j++) {
        if (markLoc[buf[j]] === 1) {
          has = true;
          break;
        }
      }
      if (!has) continue;
    }
    let parent = -1;
    let residual = 0;
    for (let j = e0 - 1; j >= s0; j--) {
      const li = buf[j];
      const lo = off[li];
      const last = off[li + 1] - 1;
      for (let m = last; m >= lo; m--) {
        const id = nodesFlat[m];
        if (kept !== null && kept[id] === 0) {
          residual = 1;
          continue;
        }
        if (
          parent >= 0 &&
          parent !== id &&
          (marked === null || marked[id] === 1 || (touching && marked[parent] === 1)) &&
          (from === null || from[parent] === 1)
        ) {
          edges.add(parent, id, k, m !== last ? 1 : 0, residual);
        }
        parent = id;
        residual = 0;
      }
    }
  }
  return edges.table();
}

/**
 * Nodes that can get an inline label: those occurring as an inlined (non-outermost)
 * line somewhere. Every in-edge of a node that is always an outermost line is a plain
 * call edge. Null when there are none.
 */
export function inlineCandidates(t: NodeTable): Uint8Array | null {
  const cand = new Uint8Array(t.infos.length);
  let any = false;
  for (const ids of t.locNodes) {
    for (let m = 0; m < ids.length - 1; m++) {
      cand[ids[m]] = 1;
      any = true;
    }
  }
  return any ? cand : null;
}

/**
 * Labels from in-edges (edges with |weight| < edgeCutoff are trimmed first): per node
 * 0 = no label, 1 = "(inline)" (every kept in-edge inline), 2 = "(partial-inline)".
 */
export function labelsFromEdges(e: EdgeTable, nNodes: number, edgeCutoff: number): Uint8Array {
  // bit 1 = has inline in-edge, bit 2 = has non-inline in-edge
  const bits = new Uint8Array(nNodes);
  for (let i = 0; i < e.n; i++) {
    if (Math.abs(e.weight[i]) < edgeCutoff) continue;
    bits[e.dst[i]] |= e.inline[i] ? 1 : 2;
  }
  const out = new Uint8Array(nNodes);
  for (let i = 0; i < nNodes; i++) out[i] = bits[i] & 1 ? (bits[i] & 2 ? 2 : 1) : 0;
  return out;
}

/**
 * Inline labels from in-edges, as pprof's graph has them when only the `kept` nodes
 * exist (null = every node): an edge parent->child is added once per sample per pair,
 * never a self edge; it is inline only if every contribution was an inlined line;
 * edges with |weight| < edgeCutoff are trimmed before labelling. Labels only the nodes
 * in `only` when given (others get 0). Returns per node 0 = no label, 1 = "(inline)", 2 = "(partial-inline)".
 * `cum` (every node's, over every sample: graph.ts accumulate) bounds the edges worth
 * recording. Untrimmed tables may get the same labels from the node-value pass (accumulate).
 */
export function inlineLabels(
  w: Work,
  t: NodeTable,
  sv: SampleValues,
  kept: Uint8Array | null,
  edgeCutoff: number,
  only?: ArrayLike<number>,
  cum?: Float64Array,
): Uint8Array {
  const nNodes = t.infos.length;
  const cand = inlineCandidates(t);
  if (!cand) return new Uint8Array(nNodes);
  let anyCand = true;
  // With no negative value, an edge weighs at most the cum of either end (every sample
  // through it goes through both): edges at or from nodes under the cutoff are trimmed
  // anyway, so they are not recorded. On a profile with little prefix sharing that is
  // most of the pairs.
  let from: Uint8Array | undefined;
  if (cum && edgeCutoff > 0 && nonNegative(sv)) {
    from = new Uint8Array(nNodes);
    for (let i = 0; i < nNodes; i++) {
      if (Math.abs(cum[i]) >= edgeCutoff) from[i] = 1;
      else cand[i] = 0;
    }
  }
  // `only`: the rows shown (a page of the table). An edge's weight does not depend on
  // which other edges are recorded, so the labels of these nodes are the same.
  if (only) {
    const want = new Uint8Array(nNodes);
    for (let k = 0; k < only.length; k++) want[only[k]] = 1;
    anyCand = false;
    for (let i = 0; i < nNodes; i++) {
      cand[i] &= want[i];
      if (cand[i]) anyCand = true;
    }
  }
  // Edges join two distinct kept nodes: with fewer than two, there are none.
  if (kept) {
    let count = 0;
    for (let i = 0; i < nNodes && count < 2; i++) count += kept[i];
    if (count < 2) anyCand = false;
  }
  if (!anyCand) return new Uint8Array(nNodes);
  const e = buildEdges(w, t, sv, { kept, marked: cand, mode: 'into', from });
  return labelsFromEdges(e, nNodes, edgeCutoff);
}

function nonNegative(sv: SampleValues): boolean {
  for (const x of sv.v) if (x < 0) return false;
  return true;
}
