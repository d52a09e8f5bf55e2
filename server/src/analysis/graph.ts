// pprof's graph (internal/graph): nodes keyed by NodeInfo after granularity
// aggregation; cum counted once per node per sample, flat to the innermost line
// of the leaf location; in-edges (for inline labels) computed over a kept set.
import type { Granularity } from '../../../contract/query.js';
import type { Line, Location } from '../model/profile.js';
import { baseName, cleanPath, trimPath } from './paths.js';
import type { Work } from './work.js';
import { EdgeSet, type EdgeTable } from './edge-set.js';
import { doubled } from './columns.js';

export interface NodeInfo {
  name: string;
  address: bigint;
  file: string;
  startLine: number;
  lineno: number;
  columnno: number;
  objfile: string;
}

export interface GraphOptions {
  granularity: Granularity;
  noInlines: boolean;
  trimPath?: string;
  sourcePath?: string;
  /** Keep binary names in keys (pprof ObjNames: list/raw/callgrind). */
  objNames?: boolean;
  /**
   * Only functions whose name it accepts get nodes of their own; the lines of the others
   * share one node (NodeTable.elided), which no report shows. A listing needs nodes only
   * for the functions it lists: by lines, a 1M-sample profile has 240k nodes (77 MB).
   */
  onlyFunctions?: (name: string) => boolean;
}

/** Node table for one Work: per location, node ids innermost line first. */
export interface NodeTable {
  infos: NodeInfo[];
  /** Per dense location index: node ids (innermost first). */
  locNodes: Int32Array[];
  /** The same flattened: location li's ids are flat[off[li]] .. flat[off[li+1]-1]. */
  flat: Int32Array;
  /** The node of the lines GraphOptions.onlyFunctions left out, if any (-1 or absent: none). */
  elided?: number;
  off: Int32Array;
}

const EMPTY_LINE: Line = { function: null as unknown as Line['function'], line: 0, column: 0 };

export function buildNodeTable(w: Work, o: GraphOptions): NodeTable {
  const g = o.granularity;
  const inlines = !o.noInlines;
  const noAgg = g === 'addresses' && inlines;
  const keepFn = noAgg || g === 'addresses' || g === 'lines' || g === 'functions' || g === 'filefunctions';
  const keepFile = noAgg || g === 'addresses' || g === 'lines' || g === 'files' || g === 'filefunctions';
  const keepLine = noAgg || g === 'addresses' || g === 'lines';
  const keepCol = noAgg;
  const keepAddr = noAgg || g === 'addresses';
  const tp = o.trimPath ?? '';
  const sp = o.sourcePath ?? '';
  const fileCache = new Map<string, string>();
  const cleanFile = (f: string): string => {
    let r = fileCache.get(f);
    if (r === undefined) {
      const t = trimPath(f, tp, sp);
      r = t === '' ? '' : cleanPath(t);
      fileCache.set(f, r);
    }
    return r;
  };
  const index = new Map<string, number>();
  // Where a named function's key is its name and file alone (functions, filefunctions),
  // its node is found by the function object: a key string per function, not per line.
  const byFunction = !keepAddr && !keepLine && !keepCol && !o.objNames && keepFn ? new Map<Line['function'], number>() : null;
  const infos: NodeInfo[] = [];
  const locNodes: Int32Array[] = new Array(w.locs.length);
  const off = new Int32Array(w.locs.length + 1);
  let flatBuf = new Int32Array(w.locs.length + 16);
  let used = 0;
  const only = o.onlyFunctions;
  const accepted = new Map<Line['function'], boolean>();
  let elided = -1;
  for (let i = 0; i < w.locs.length; i++) {
    const loc: Location = w.locs[i];
    let lines = w.lines[i];
    if (!inlines && lines.length > 1) lines = lines.slice(lines.length - 1);
    if (lines.length === 0) lines = [EMPTY_LINE];
    const objfile = loc.mapping && loc.mapping.file !== '' ? loc.mapping.file : '';
    const address = keepAddr ? loc.address : 0n;
    const addrKey = address === 0n ? '' : address.toString(16);
    // This location's ids go to flat[off[i]..]: one array for all, views per location
    // (a typed array per location costs more in allocation and GC than the lookups).
    if (used + lines.length > flatBuf.length) flatBuf = doubled(flatBuf);
    off[i] = used;
    const at = used;
    used += lines.length;
    for (let j = 0; j < lines.length; j++) {
      const ln = lines[j];
      const fn = ln.function;
      if (only && fn) {
        let ok = accepted.get(fn);
        if (ok === undefined) accepted.set(fn, (ok = only(fn.name)));
        if (!ok) {
          if (elided < 0) {
            elided = infos.length;
            infos.push({ name: '', address: 0n, file: '', startLine: 0, lineno: 0, columnno: 0, objfile: '' });
          }
          flatBuf[at + j] = elided;
          continue;
        }
      }
      const known = byFunction !== null && fn ? byFunction.get(fn) : undefined;
      if (known !== undefined) {
        flatBuf[at + j] = known;
        continue;
      }
      let key: string;
      let name = '';
      let file = '';
      let lineno = 0;
      let columnno = 0;
      let withObj = false;
      if (!fn) {
        withObj = true;
        // same shape as a nameless line's key: pprof merges equal NodeInfos
        key = `${addrKey}\u0000\u0000\u00000\u00000\u00000\u0000${objfile}`;
      } else {
        name = keepFn ? fn.name : '';
        file = keepFile && fn.filename !== '' ? cleanFile(fn.filename) : '';
        lineno = keepLine ? ln.line : 0;
        columnno = keepCol ? ln.column : 0;
        withObj = !!o.objNames || name === '';
        key = withObj
          ? `${addrKey}\u0000${name}\u0000${file}\u0000${lineno}\u0000${columnno}\u0000${fn.startLine}\u0000${objfile}`
          : `${addrKey}\u0000${name}\u0000${file}\u0000${lineno}\u0000${columnno}`;
      }
      let id = index.get(key);
      if (id === undefined) {
        id = infos.length;
        infos.push(
          fn
            ? { name, address, file, startLine: withObj ? fn.startLine : 0, lineno, columnno, objfile: withObj ? objfile : '' }
            : { name: '', address, file: '', startLine: 0, lineno: 0, columnno: 0, objfile },
        );
        index.set(key, id);
      }
      if (byFunction !== null && fn && !withObj) byFunction.set(fn, id);
      flatBuf[at + j] = id;
    }
  }
  off[w.locs.length] = used;
  const flat = flatBuf.subarray(0, used);
  for (let i = 0; i < w.locs.length; i++) locNodes[i] = flat.subarray(off[i], off[i + 1]);
  return { infos, locNodes, flat, off, elided };
}

/** Node values for the chosen sample type. Exact (BigInt64) arrays are set when the profile needs them. */
export interface NodeValues {
  flat: Float64Array;
  cum: Float64Array;
  /** Summed -mean divisors (null without -mean): shown value = trunc(flat / flatDiv). */
  flatDiv: Float64Array | null;
  cumDiv: Float64Array | null;
  flatDivX: BigInt64Array | null;
  cumDivX: BigInt64Array | null;
  flatX: BigInt64Array | null;
  cumX: BigInt64Array | null;
  /**
   * With accumulate's `inEdgesOf`: every edge into those nodes in the graph of every node
   * (edges.ts buildEdges with kept = null), recorded in the same walk over the samples.
   */
  inEdges?: EdgeTable;
}

/** Per kept sample value: numbers, or exact int64 when `exact` is non-null. */
export interface SampleValues {
  v: Float64Array;
  exact: BigInt64Array | null;
  /** pprof -mean divisor per sample (value[0]); null without -mean. */
  div: Float64Array | null;
  /** The divisors exactly, with `exact`. */
  divExact: BigInt64Array | null;
}

/**
 * Flat and cum of every node. `inEdgesOf` (edges.ts inlineCandidates): also collects the
 * in-edges of those nodes, so an untrimmed table's inline labels need no second walk
 * over every sample's stack.
 */
export function accumulate(w: Work, t: NodeTable, sv: SampleValues, inEdgesOf: Uint8Array | null = null): NodeValues {
  const n = t.infos.length;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const ex = sv.exact;
  const flatX = ex ? new BigInt64Array(n) : null;
  const cumX = ex ? new BigInt64Array(n) : null;
  const stamp = new Int32Array(n).fill(-1);
  const { flat: nodesFlat, off } = t;
  const { buf, start, end } = w;
  const div = sv.div;
  const flatDiv = div ? new Float64Array(n) : null;
  const cumDiv = div ? new Float64Array(n) : null;
  const divX = ex ? sv.divExact : null;
  const flatDivX = divX ? new BigInt64Array(n) : null;
  const cumDivX = divX ? new BigInt64Array(n) : null;
  const edges = inEdgesOf ? new EdgeSet(sv) : null;
  if (!ex && !div) {
    accumulatePlain(w, t, sv.v, flat, cum, stamp, inEdgesOf, edges);
    const out: NodeValues = { flat, cum, flatX, cumX, flatDiv, cumDiv, flatDivX, cumDivX };
    if (edges) out.inEdges = edges.table();
    return out;
  }
  for (let k = 0; k < w.n; k++) {
    const val = sv.v[k];
    const dv = div ? div[k] : 0;
    if (val === 0 && dv === 0 && (!ex || ex[k] === 0n)) continue;
    let last = -1;
    const s0 = start[k];
    for (let j = end[k] - 1; j >= s0; j--) {
      const li = buf[j];
      const lo = off[li];
      const top = off[li + 1] - 1;
      for (let m = top; m >= lo; m--) {
        const id = nodesFlat[m];
        if (stamp[id] !== k) {
          stamp[id] = k;
          cum[id] += val;
          if (cumX) cumX[id] += ex![k];
          if (cumDiv) cumDiv[id] += dv;
          if (cumDivX) cumDivX[id] += divX![k];
        }
        // `last` is the parent here, as in buildEdges (never a self edge).
        if (edges !== null && inEdgesOf![id] === 1 && last >= 0 && last !== id) edges.add(last, id, k, m !== top ? 1 : 0, 0);
        last = id;
      }
    }
    if (last >= 0) {
      flat[last] += val;
      if (flatX) flatX[last] += ex![k];
      if (flatDiv) flatDiv[last] += dv;
      if (flatDivX) flatDivX[last] += divX![k];
    }
  }
  if (flatX && cumX) {
    for (let i = 0; i < n; i++) {
      flat[i] = Number(flatX[i]);
      cum[i] = Number(cumX[i]);
    }
  }
  const out: NodeValues = { flat, cum, flatX, cumX, flatDiv, cumDiv, flatDivX, cumDivX };
  if (edges) out.inEdges = edges.table();
  return out;
}

/**
 * accumulate without exact values or -mean divisors (most profiles), in its own loop:
 * the walk over every frame of every sample is the cost of a large profile's top table,
 * and most locations hold one node, looked up directly.
 */
function accumulatePlain(
  w: Work,
  t: NodeTable,
  v: Float64Array,
  flat: Float64Array,
  cum: Float64Array,
  stamp: Int32Array,
  inEdgesOf: Uint8Array | null,
  edges: EdgeSet | null,
): void {
  const { flat: nodesFlat, off } = t;
  const { buf, start, end } = w;
  const nLocs = off.length - 1;
  // Location -> its node when it has exactly one, else -1.
  const single = new Int32Array(nLocs);
  for (let li = 0; li < nLocs; li++) single[li] = off[li + 1] - off[li] === 1 ? nodesFlat[off[li]] : -1;
  // In-edges between the lines of one location (inlined calls) are the same pair every
  // time: their edge entry per line position, found once (-2: not yet, -1: none).
  const posEdge = edges ? new Int32Array(nodesFlat.length).fill(-2) : null;
  for (let k = 0; k < w.n; k++) {
    const val = v[k];
    if (val === 0) continue;
    let last = -1;
    const s0 = start[k];
    for (let j = end[k] - 1; j >= s0; j--) {
      const li = buf[j];
      const one = single[li];
      if (one >= 0) {
        if (stamp[one] !== k) {
          stamp[one] = k;
          cum[one] += val;
        }
        if (edges !== null && inEdgesOf![one] === 1 && last >= 0 && last !== one) edges.add(last, one, k, 0, 0);
        last = one;
        continue;
      }
      const lo = off[li];
      const top = off[li + 1] - 1;
      for (let m = top; m >= lo; m--) {
        const id = nodesFlat[m];
        if (stamp[id] !== k) {
          stamp[id] = k;
          cum[id] += val;
        }
        if (edges !== null) {
          if (m === top) {
            if (inEdgesOf![id] === 1 && last >= 0 && last !== id) edges.add(last, id, k, 0, 0);
          } else {
            let e = posEdge![m];
            if (e === -2) posEdge![m] = e = inEdgesOf![id] === 1 && last !== id ? edges.slot(last, id) : -1;
            if (e >= 0) edges.addAt(e, k, 1, 0);
          }
        }
        last = id;
      }
    }
    if (last >= 0) flat[last] += val;
  }
}

/** pprof NodeInfo.PrintableName. */
export function printableName(i: NodeInfo): string {
  const parts: string[] = [];
  if (i.address !== 0n) parts.push(i.address.toString(16).padStart(16, '0'));
  if (i.name !== '') parts.push(i.name);
  if (i.lineno !== 0) {
    let s = `${i.file}:${i.lineno}`;
    if (i.columnno !== 0) s += `:${i.columnno}`;
    parts.push(s);
  } else if (i.file !== '') parts.push(i.file);
  else if (i.name !== '') {
    // name already included
  } else if (i.objfile !== '') parts.push('[' + baseName(i.objfile) + ']');
  else parts.push('<unknown>');
  return parts.join(' ');
}

/** fmt.Sprint(NodeInfo): the last tie-break of pprof's node sort. */
export function nodeInfoString(i: NodeInfo): string {
  return `{${i.name}  ${i.address} ${i.file} ${i.startLine} ${i.lineno} ${i.columnno} ${i.objfile}}`;
}
