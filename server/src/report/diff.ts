// Comparison view model: the differential top table (rows and order of
// `go tool pprof -top -diff_base=BASE NEW`, or -base) with each row's base and new
// values, and the two sides as pprof lines them up (diff-flame.ts builds the flame tree
// from them). Pure functions over decoded profiles.
import { compatibilizeSampleTypes, diffProfiles, normalize as normalizeProfile, scaleProfiles } from '../analysis/merge.js';
import type { DiffOptions, DiffTopReport, DiffTopRow } from '../../../contract/diff.js';
import type { Profile } from '../model/profile.js';
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

export function memo<T>(newer: Profile, base: Profile, key: string, make: () => T): T {
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
  const idx = resolveSampleIndex(merged, q.sampleIndex);
  return {
    ...report,
    rows,
    mode: opts.mode,
    normalized: !!opts.normalize,
    newTotal: absTotal(sides.newer, idx),
    baseTotal: absTotal(sides.base, idx),
  };
}
