// pprof's node orders (graph.Nodes.Sort): |primary| desc, printable name asc,
// |secondary| desc, then fmt.Sprint(NodeInfo) asc: a total order, so Go's unstable
// sort and ours agree. Flat order: (flat, cum); cum: (cum, flat); entropy: (score, flat).
import { nodeInfoString, printableName, type NodeInfo } from '../analysis/graph.js';

const absBig = (v: bigint): bigint => (v < 0n ? -v : v);

/** Printable names computed once per node, on demand. */
export function nameCache(infos: NodeInfo[]): (i: number) => string {
  const names: (string | undefined)[] = new Array(infos.length);
  return (i) => {
    let s = names[i];
    if (s === undefined) {
      s = printableName(infos[i]);
      names[i] = s;
    }
    return s;
  };
}

export interface OrderKeys {
  prim: Float64Array;
  sec: Float64Array;
  /** Exact keys (profiles beyond 2^53), compared when the numbers tie. */
  primX?: BigInt64Array | null;
  secX?: BigInt64Array | null;
  /** prim (and primX) hold values already made absolute: compared as they are. */
  primAbsolute?: boolean;
}

export function nodeComparator(infos: NodeInfo[], nameOf: (i: number) => string, k: OrderKeys): (a: number, b: number) => number {
  const cmpAbs = (a: number, b: number, arr: Float64Array, arrX: BigInt64Array | null | undefined, raw = false): number => {
    const x = raw ? arr[a] : Math.abs(arr[a]);
    const y = raw ? arr[b] : Math.abs(arr[b]);
    if (x !== y) return x > y ? -1 : 1;
    if (arrX) {
      const bx = raw ? arrX[a] : absBig(arrX[a]);
      const by = raw ? arrX[b] : absBig(arrX[b]);
      if (bx !== by) return bx > by ? -1 : 1;
    }
    return 0;
  };
  return (a, b) => {
    const c1 = cmpAbs(a, b, k.prim, k.primX, k.primAbsolute);
    if (c1 !== 0) return c1;
    const x = nameOf(a);
    const y = nameOf(b);
    if (x !== y) return x < y ? -1 : 1;
    const c3 = cmpAbs(a, b, k.sec, k.secX);
    if (c3 !== 0) return c3;
    const ia = nodeInfoString(infos[a]);
    const ib = nodeInfoString(infos[b]);
    return ia === ib ? 0 : ia < ib ? -1 : 1;
  };
}
