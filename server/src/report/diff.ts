// Comparison view models: the differential top table (rows and order of
// `go tool pprof -top -diff_base=BASE NEW`, or -base) with each row's base and new
// values, and the differential flame tree (sized by the new profile, with the base
// value and the delta per frame). Pure functions over decoded profiles.
import { compatibilizeSampleTypes, diffProfiles, normalize as normalizeProfile, scaleProfiles } from '../analysis/merge.js';
import type { DiffFlameGraph, DiffFlameNode, DiffOptions, DiffTopReport, DiffTopRow } from '../../../contract/diff.js';
import { applyFilters, compileFilters } from '../analysis/filter.js';
import { makeWork } from '../analysis/work.js';
import type { Profile } from '../model/profile.js';
import { QueryError } from '../model/query.js';
import type { Query, TopOptions } from '../../../contract/query.js';
import type { TopRow } from '../../../contract/views.js';
import { computeTop, prepareProfile, resolveSampleIndex } from './index.js';

/** The two sides as pprof sees them just before merging: common sample types and units, new normalised. */
export interface DiffSides {
  newer: Profile;
  base: Profile;
}

export function diffSides(newer: Profile, base: Profile, opts: DiffOptions): DiffSides {
  const src = opts.normalize ? normalizeProfile(newer, base) : newer;
  // pprof negates the base before this step; negation commutes with unit scaling and
  // does not change which samples round to zero, so the base can stay positive here.
  const [n, b] = scaleProfiles(compatibilizeSampleTypes([src, base])) as [Profile, Profile];
  return { newer: n, base: b };
}

// Merging a large pair costs seconds; a user changing the sample type or a filter reuses it.
// Keyed weakly on the (cached, immutable) decoded profiles; a few pairs per new profile.
const MEMO_PER_PROFILE = 4;
const memoByNewer = new WeakMap<Profile, { base: WeakRef<Profile>; key: string; value: unknown }[]>();

function memo<T>(newer: Profile, base: Profile, key: string, make: () => T): T {
  let list = memoByNewer.get(newer);
  if (!list) memoByNewer.set(newer, (list = []));
  const hit = list.find((e) => e.key === key && e.base.deref() === base);
  if (hit) return hit.value as T;
  const value = make();
  list.unshift({ base: new WeakRef(base), key, value });
  if (list.length > MEMO_PER_PROFILE) list.length = MEMO_PER_PROFILE;
  return value;
}

/** Sample index as pprof's -sample_index resolves it (QueryError for an unknown type). */
export function sampleIndexOf(p: Profile, si?: string): number {
  return resolveSampleIndex(p, si);
}

function absTotal(p: Profile, idx: number): number {
  let t = 0;
  for (const s of p.sample) t += Math.abs(s.value[idx]!);
  return t;
}

function rowKey(r: TopRow): string {
  return `${r.name}\u0000${r.address}`;
}

/**
 * The differential top table. Rows, order, totals, legend and percentages are those of
 * `go tool pprof -top -diff_base=BASE NEW` (mode diff_base) or `-base=BASE NEW` (mode base).
 */
export function computeDiffTop(newer: Profile, base: Profile, q: Query, opts: DiffOptions & TopOptions): DiffTopReport {
  const merged = memo(newer, base, `merged:${opts.mode}:${!!opts.normalize}`, () => prepareProfile(diffProfiles(newer, base, opts)));
  const report = computeTop(merged, q, opts);
  const sides = memo(newer, base, `sides:${!!opts.normalize}`, () => diffSides(newer, base, opts));
  // Each side on its own, untrimmed, gives every row's base and new values.
  const all: TopOptions = { ...opts, nodeCount: 0, nodeFraction: 0, trim: false };
  const newTop = computeTop(prepareProfile(sides.newer), q, all);
  const baseTop = computeTop(prepareProfile(sides.base), q, all);
  const newByKey = new Map(newTop.rows.map((r) => [rowKey(r), r]));
  const baseByKey = new Map(baseTop.rows.map((r) => [rowKey(r), r]));
  const rows: DiffTopRow[] = report.rows.map((r) => {
    const n = newByKey.get(rowKey(r));
    const b = baseByKey.get(rowKey(r));
    return { ...r, newFlat: n?.flat ?? 0, newCum: n?.cum ?? 0, baseFlat: b?.flat ?? 0, baseCum: b?.cum ?? 0 };
  });
  const idx = sampleIndexOf(merged, q.sampleIndex);
  return {
    ...report,
    rows,
    mode: opts.mode,
    normalized: !!opts.normalize,
    newTotal: absTotal(sides.newer, idx),
    baseTotal: absTotal(sides.base, idx),
  };
}

// ---------------------------------------------------------------------------
// Differential flame tree.


interface MutableNode {
  name: string;
  value: number;
  base: number;
  self: number;
  baseSelf: number;
  children: Map<string, MutableNode>;
}

function newNode(name: string): MutableNode {
  return { name, value: 0, base: 0, self: 0, baseSelf: 0, children: new Map() };
}

/**
 * Adds one side's samples to the tree, after the query's filters (focus, ignore, hide,
 * show, tag filters, ... exactly as the engine applies them). Frames are function names,
 * outermost (caller) first; an unsymbolized location shows as its address.
 */
function addSide(root: MutableNode, p: Profile, q: Query, idx: number, side: 'new' | 'base'): string[] {
  const w = makeWork(p);
  const warnings = applyFilters(w, compileFilters(w, q));
  const names = new Map<number, string[]>();
  const framesOf = (li: number): string[] => {
    let out = names.get(li);
    if (out) return out;
    const loc = w.locs[li]!;
    const lines = w.lines[li]!;
    out = [];
    if (loc.line.length === 0) out.push(`0x${loc.address.toString(16)}`);
    // Lines removed by -hide leave nothing for this location.
    for (let i = lines.length - 1; i >= 0; i--) out.push(lines[i]!.function.name || `0x${loc.address.toString(16)}`);
    names.set(li, out);
    return out;
  };
  for (let k = 0; k < w.n; k++) {
    const v = p.sample[w.sampleIdx[k]!]!.value[idx]!;
    if (v === 0) continue;
    let node = root;
    if (side === 'new') node.value += v;
    else node.base += v;
    for (let j = w.end[k]! - 1; j >= w.start[k]!; j--) {
      for (const name of framesOf(w.buf[j]!)) {
        let child = node.children.get(name);
        if (!child) node.children.set(name, (child = newNode(name)));
        node = child;
        if (side === 'new') node.value += v;
        else node.base += v;
      }
    }
    if (side === 'new') node.self += v;
    else node.baseSelf += v;
  }
  return warnings;
}

function freeze(n: MutableNode, cutoff: number, counter: { dropped: number }): DiffFlameNode {
  const out: DiffFlameNode = {
    name: n.name,
    value: n.value,
    base: n.base,
    delta: n.value - n.base,
    self: n.self,
    baseSelf: n.baseSelf,
    children: [],
  };
  let prunedCount = 0;
  let prunedValue = 0;
  let prunedBase = 0;
  // Widest (by new, then base) first; name breaks ties so output is stable.
  const kids = [...n.children.values()].sort((a, b) => b.value - a.value || b.base - a.base || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const c of kids) {
    if (Math.max(Math.abs(c.value), Math.abs(c.base)) < cutoff) {
      prunedCount += 1 + countDescendants(c);
      prunedValue += c.value;
      prunedBase += c.base;
      continue;
    }
    out.children.push(freeze(c, cutoff, counter));
  }
  if (prunedCount > 0) {
    counter.dropped += prunedCount;
    out.prunedCount = prunedCount;
    out.prunedValue = prunedValue;
    out.prunedBase = prunedBase;
  }
  return out;
}

function countDescendants(n: MutableNode): number {
  let c = 0;
  for (const k of n.children.values()) c += 1 + countDescendants(k);
  return c;
}

/**
 * Call tree of both sides merged by frame-name path: value = new, base, delta = new - base.
 * Frames that vanished stay with value 0. The query's filters apply to both sides; the
 * frames are function names whatever the granularity. `minFraction` prunes frames whose new and base
 * values are both below that fraction of the larger total; `path` returns one subtree.
 */
export function computeDiffFlameGraph(
  newer: Profile,
  base: Profile,
  q: Query,
  opts: DiffOptions & { minFraction?: number; path?: string[] },
): DiffFlameGraph {
  const sides = memo(newer, base, `psides:${!!opts.normalize}`, () => diffSides(prepareProfile(newer), prepareProfile(base), opts));
  const idx = sampleIndexOf(sides.newer, q.sampleIndex);
  const root = newNode('root');
  const warnings = [...new Set([...addSide(root, sides.newer, q, idx, 'new'), ...addSide(root, sides.base, q, idx, 'base')])];
  let start = root;
  for (const name of opts.path ?? []) {
    const next = start.children.get(name);
    if (!next) throw new QueryError(`path not found in the comparison: ${JSON.stringify(opts.path)}`);
    start = next;
  }
  const minFraction = opts.minFraction ?? 0.001;
  const cutoff = Math.max(Math.abs(start.value), Math.abs(start.base)) * minFraction;
  const counter = { dropped: 0 };
  const tree = freeze(start, cutoff, counter);
  return {
    sampleType: sides.newer.sampleType[idx]!,
    mode: opts.mode,
    normalized: !!opts.normalize,
    newTotal: absTotal(sides.newer, idx),
    baseTotal: absTotal(sides.base, idx),
    root: tree,
    droppedNodes: counter.dropped,
    minFraction,
    warnings,
  };
}
