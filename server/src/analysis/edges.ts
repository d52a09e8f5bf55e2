// pprof's graph edges (internal/graph newGraph): walking each sample from the root,
// an edge parent->child is added once per sample per pair, never a self edge; it is
// inline only if every contribution was an inlined (non-outermost) line, and residual
// if nodes outside the kept set were skipped between the two.
import { doubled } from './columns.js';
import type { NodeTable, SampleValues } from './graph.js';
import type { Work } from './work.js';

export interface EdgeTable {
  n: number;
  src: Int32Array;
  dst: Int32Array;
  weight: Float64Array;
  /** Summed -mean divisors (null without -mean): shown weight = trunc(weight / div). */
  weightDiv: Float64Array | null;
  /** Exact weights (int64) when the profile carries exact values. */
  weightX: BigInt64Array | null;
  inline: Uint8Array;
  residual: Uint8Array;
}

export interface EdgeScope {
  /** Only these nodes exist (pprof KeptNodes); null = every node. */
  kept: Uint8Array | null;
  /** Only edges into (or touching) these nodes are recorded; null = every edge. */
  marked: Uint8Array | null;
  /** 'into': the child must be marked; 'touching': either end. */
  mode: 'into' | 'touching';
}

export function buildEdges(w: Work, t: NodeTable, sv: SampleValues, scope: EdgeScope): EdgeTable {
  const { kept, marked, mode } = scope;
  let cap = 1 << 12;
  let mask = cap - 1;
  let slots = new Int32Array(cap).fill(-1);
  let eSrc = new Int32Array(1024);
  let eDst = new Int32Array(1024);
  let eW = new Float64Array(1024);
  let eInline = new Uint8Array(1024);
  let eResidual = new Uint8Array(1024);
  let eStamp = new Int32Array(1024);
  const div = sv.div;
  const ex = sv.exact;
  let eDiv = div ? new Float64Array(1024) : null;
  let eX = ex ? new BigInt64Array(1024) : null;
  let n = 0;
  const hash = (a: number, b: number): number => (Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77)) >>> 0;
  const grow = (): void => {
    eSrc = doubled(eSrc);
    eDst = doubled(eDst);
    eW = doubled(eW);
    eInline = doubled(eInline);
    eResidual = doubled(eResidual);
    eStamp = doubled(eStamp);
    if (eDiv) eDiv = doubled(eDiv);
    if (eX) {
      const b = new BigInt64Array(eX.length * 2);
      b.set(eX);
      eX = b;
    }
  };
  const rehash = (): void => {
    cap <<= 1;
    mask = cap - 1;
    slots = new Int32Array(cap).fill(-1);
    for (let e = 0; e < n; e++) {
      let h = hash(eSrc[e], eDst[e]) & mask;
      while (slots[h] !== -1) h = (h + 1) & mask;
      slots[h] = e;
    }
  };
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
        if (parent >= 0 && parent !== id && (marked === null || marked[id] === 1 || (touching && marked[parent] === 1))) {
          let h = hash(parent, id) & mask;
          let e = slots[h];
          while (e !== -1 && (eSrc[e] !== parent || eDst[e] !== id)) {
            h = (h + 1) & mask;
            e = slots[h];
          }
          const inline = m !== last ? 1 : 0;
          if (e === -1) {
            if (n === eSrc.length) grow();
            e = n++;
            eSrc[e] = parent;
            eDst[e] = id;
            eW[e] = val;
            if (eDiv) eDiv[e] = dv;
            if (eX) eX[e] = ex![k];
            eInline[e] = inline;
            eResidual[e] = residual;
            eStamp[e] = k;
            slots[h] = e;
            if (n * 2 > cap) rehash();
          } else if (eStamp[e] !== k) {
            eStamp[e] = k;
            eW[e] += val;
            if (eDiv) eDiv[e] += dv;
            if (eX) eX[e] += ex![k];
            if (residual) eResidual[e] = 1;
            if (!inline) eInline[e] = 0;
          }
        }
        parent = id;
        residual = 0;
      }
    }
  }
  if (eX) for (let e = 0; e < n; e++) eW[e] = Number(eX[e]);
  return {
    n,
    src: eSrc.subarray(0, n),
    dst: eDst.subarray(0, n),
    weight: eW.subarray(0, n),
    weightDiv: eDiv ? eDiv.subarray(0, n) : null,
    weightX: eX ? eX.subarray(0, n) : null,
    inline: eInline.subarray(0, n),
    residual: eResidual.subarray(0, n),
  };
}

/**
 * Inline labels from in-edges, as pprof's graph has them when only the `kept` nodes
 * exist (null = every node): an edge parent->child is added once per sample per pair,
 * never a self edge; it is inline only if every contribution was an inlined line;
 * edges with |weight| < edgeCutoff are trimmed before labelling. Labels only the nodes
 * in `only` when given (others get 0). Returns per node 0 = no label, 1 = "(inline)", 2 = "(partial-inline)".
 */
export function inlineLabels(
  w: Work,
  t: NodeTable,
  sv: SampleValues,
  kept: Uint8Array | null,
  edgeCutoff: number,
  only?: ArrayLike<number>,
): Uint8Array {
  const nNodes = t.infos.length;
  // Only nodes that occur as an inlined (non-outermost) line can get a label: every
  // in-edge of a node that is always an outermost line is a plain call edge.
  const cand = new Uint8Array(nNodes);
  let anyCand = false;
  for (const ids of t.locNodes) {
    for (let m = 0; m < ids.length - 1; m++) {
      cand[ids[m]] = 1;
      anyCand = true;
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
  if (!anyCand) return new Uint8Array(nNodes);
  const e = buildEdges(w, t, sv, { kept, marked: cand, mode: 'into' });
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
