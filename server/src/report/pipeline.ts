// The shared front half of every report, in pprof's driver order: drop_frames,
// sample index, total (before filters unless relative), filters, granularity.
import type { Profile } from '../model/profile.js';
import type { Granularity, Query } from '../../../contract/query.js';
import { applyFilters, compileFilters } from '../analysis/filter.js';
import { accumulate, buildNodeTable, type GraphOptions, type NodeTable, type NodeValues, type SampleValues } from '../analysis/graph.js';
import { inlineCandidates } from '../analysis/edges.js';
import { EdgeSet } from '../analysis/edge-set.js';
import { removeUninteresting } from '../analysis/prune.js';
import { addLabelNodes, labelKeys } from '../analysis/tagroot.js';
import { resolveSampleIndex } from '../analysis/sampleindex.js';
import { makeWork, type Work } from '../analysis/work.js';
import type { GoRegexp } from '../../../contract/go-regexp.js';

export interface Prepared {
  p: Profile;
  idx: number;
  total: number;
  /** Exact total (int64 semantics) when the profile carries exact values. */
  totalX: bigint | null;
  work: Work;
  sv: SampleValues;
  warnings: string[];
  /** Filters in pprof's "Active filters" legend form (key=value). */
  activeFilters: string[];
  /** -tagshow / -taghide: the label keys views that show labels keep. */
  tagShow: GoRegexp | null;
  tagHide: GoRegexp | null;
}

function hasBaseLabel(s: Profile['sample'][number]): boolean {
  return isBase(s.label);
}

function isBase(label: Record<string, string[]> | null): boolean {
  const v = label?.['pprof::base'];
  return !!v && v.includes('true');
}

/** pprof computeTotal over the given samples: sum of |v|, only the pprof::base=true samples when any exist. */
export function computeTotal(p: Profile, idx: number, samples: Int32Array | null, mean = false): { total: number; totalX: bigint | null } {
  const n = samples ? samples.length : p.columns ? p.columns.n : p.sample.length;
  if (p.exactValues) {
    let total = 0n;
    let diff = 0n;
    let div = 0n;
    let diffDiv = 0n;
    for (let k = 0; k < n; k++) {
      const i = samples ? samples[k] : k;
      let v = p.exactValues[i][idx];
      if (v < 0n) v = -v;
      const d = mean ? p.exactValues[i][0] : 0n;
      total = BigInt.asIntN(64, total + v);
      div = BigInt.asIntN(64, div + d);
      const base = p.columns ? isBase(p.columns.label === null ? null : p.columns.label[i]) : hasBaseLabel(p.sample[i]);
      if (base) {
        diff = BigInt.asIntN(64, diff + v);
        diffDiv = BigInt.asIntN(64, diffDiv + d);
      }
    }
    let t = diff > 0n ? diff : total;
    const dv = diff > 0n ? diffDiv : div;
    if (dv !== 0n) t = t / dv;
    return { total: Number(t), totalX: t };
  }
  let total = 0;
  let diff = 0;
  let div = 0;
  let diffDiv = 0;
  const cols = p.columns;
  if (cols) {
    // Column-wise profile (fast decoder): same sums without building Sample objects.
    const { values, nTypes, label } = cols;
    for (let k = 0; k < n; k++) {
      const i = samples ? samples[k] : k;
      const v = Math.abs(values[i * nTypes + idx]);
      const d = mean ? values[i * nTypes] : 0;
      total += v;
      div += d;
      if (label !== null && isBase(label[i])) {
        diff += v;
        diffDiv += d;
      }
    }
  } else
    for (let k = 0; k < n; k++) {
      const i = samples ? samples[k] : k;
      const s = p.sample[i];
      const v = Math.abs(s.value[idx]);
      const d = mean ? s.value[0] : 0;
      total += v;
      div += d;
      if (s.label !== null && hasBaseLabel(s)) {
        diff += v;
        diffDiv += d;
      }
    }
  if (diff > 0) {
    total = diff;
    div = diffDiv;
  }
  // pprof: integer division of the totals
  return { total: div !== 0 ? Math.trunc(total / div) : total, totalX: null };
}

export function prepareQuery(raw: Profile, q: Query): Prepared {
  // pprof's driver order: drop_frames, then -tagroot/-tagleaf pseudo-frames, then filters.
  const labelled = addLabelNodes(removeUninteresting(raw), labelKeys(q.tagRoot), labelKeys(q.tagLeaf), q.labelUnit ?? 'minimum');
  const p = labelled.p;
  const idx = resolveSampleIndex(p, q.sampleIndex);
  const work = makeWork(p);
  const filters = compileFilters(work, q);
  let t = q.relativePercentages ? null : computeTotal(p, idx, null, !!q.mean);
  const warnings: string[] = [];
  if (q.tagRoot && !labelled.rootMatched) warnings.push('TagRoot expression matched no samples');
  if (q.tagLeaf && !labelled.leafMatched) warnings.push('TagLeaf expression matched no samples');
  warnings.push(...applyFilters(work, filters));
  if (!t) t = computeTotal(p, idx, work.sampleIdx.subarray(0, work.n), !!q.mean);
  const n = work.n;
  const v = new Float64Array(n);
  let exact: BigInt64Array | null = null;
  if (p.exactValues) {
    exact = new BigInt64Array(n);
    for (let k = 0; k < n; k++) {
      exact[k] = p.exactValues[work.sampleIdx[k]][idx];
      v[k] = Number(exact[k]);
    }
  } else if (p.columns) {
    const { values, nTypes } = p.columns;
    for (let k = 0; k < n; k++) v[k] = values[work.sampleIdx[k] * nTypes + idx];
  } else {
    for (let k = 0; k < n; k++) v[k] = p.sample[work.sampleIdx[k]].value[idx];
  }
  let div: Float64Array | null = null;
  let divExact: BigInt64Array | null = null;
  if (q.mean) {
    div = new Float64Array(n);
    if (p.exactValues) {
      divExact = new BigInt64Array(n);
      for (let k = 0; k < n; k++) {
        divExact[k] = p.exactValues[work.sampleIdx[k]][0];
        div[k] = Number(divExact[k]);
      }
    } else if (p.columns) {
      const { values, nTypes } = p.columns;
      for (let k = 0; k < n; k++) div[k] = values[work.sampleIdx[k] * nTypes];
    } else for (let k = 0; k < n; k++) div[k] = p.sample[work.sampleIdx[k]].value[0];
  }
  const activeFilters: string[] = [];
  const add = (k: string, val: string | undefined): void => {
    if (val) activeFilters.push(`${k}=${val}`);
  };
  add('focus', q.focus);
  add('ignore', q.ignore);
  add('hide', q.hide);
  add('show', q.show);
  add('show_from', q.showFrom);
  add('tagfocus', q.tagFocus);
  add('tagignore', q.tagIgnore);
  add('tagshow', q.tagShow);
  add('taghide', q.tagHide);
  return {
    p,
    idx,
    total: t.total,
    totalX: t.totalX,
    work,
    sv: { v, exact, div, divExact },
    warnings,
    activeFilters,
    tagShow: filters.tagShow,
    tagHide: filters.tagHide,
  };
}

export interface Graphed {
  table: NodeTable;
  values: NodeValues;
}

export function graphFor(
  pr: Prepared,
  granularity: Granularity,
  noInlines: boolean,
  extra: Pick<GraphOptions, 'objNames' | 'trimPath' | 'sourcePath' | 'onlyFunctions'> = {},
): Graphed {
  const table = buildNodeTable(pr.work, { granularity, noInlines, ...extra });
  const values = accumulate(pr.work, table, pr.sv);
  return { table, values };
}

// What the views of one (profile, query) share, kept per decoded profile (a WeakMap: it
// goes with the profile's cache entry): the filtered samples (prepareQuery, which does
// not depend on granularity), and per granularity the node table and node values. The
// header's total, the top table's pages, the flame graph and its zooms then walk the
// samples once between them instead of once each. Users must not modify what they get.
const QUERIES_PER_PROFILE = 4;
const GRAPHS_PER_QUERY = 3;

interface SharedGraph {
  key: string;
  table: NodeTable;
  values: NodeValues | null;
}
interface SharedQuery {
  key: string;
  pr: Prepared;
  graphs: SharedGraph[];
}
const shared = new WeakMap<Profile, SharedQuery[]>();

/** Most recent first, at most `max` entries; the hit (or the new entry) moves to the front. */
function recent<T extends { key: string }>(list: T[], key: string, max: number, make: () => T): T {
  const at = list.findIndex((e) => e.key === key);
  if (at >= 0) {
    const [hit] = list.splice(at, 1);
    list.unshift(hit);
    return hit;
  }
  const e = make();
  list.unshift(e);
  if (list.length > max) list.length = max;
  return e;
}

function sharedEntry(raw: Profile, q: Query): SharedQuery {
  // Granularity and -noinlines only matter from the node table on; unset, empty and false
  // options mean the same.
  const filters: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(q))
    if (k !== 'granularity' && k !== 'noInlines' && v !== undefined && v !== '' && v !== false) filters[k] = v;
  const key = JSON.stringify(filters, Object.keys(filters).sort());
  let list = shared.get(raw);
  if (!list) shared.set(raw, (list = []));
  return recent(list, key, QUERIES_PER_PROFILE, () => ({ key, pr: prepareQuery(raw, q), graphs: [] }));
}

/** prepareQuery(raw, q), kept for later views of the same profile and filters. */
export function sharedQuery(raw: Profile, q: Query): Prepared {
  return sharedEntry(raw, q).pr;
}

/**
 * The prepared query and node table of (raw, q) at q's granularity; with `values`, the
 * node values too, computed once and kept (`foldInEdges`: computed now, they come with the
 * in-edges of the inline-label candidates, see accumulate).
 */
export function sharedGraph(
  raw: Profile,
  q: Query,
  want: { values: boolean; foldInEdges?: boolean },
): { pr: Prepared; table: NodeTable; values: NodeValues | null } {
  const e = sharedEntry(raw, q);
  const gran = q.granularity ?? 'functions';
  const g = recent(e.graphs, `${gran}/${!!q.noInlines}`, GRAPHS_PER_QUERY, () => ({
    key: `${gran}/${!!q.noInlines}`,
    table: buildNodeTable(e.pr.work, { granularity: gran, noInlines: !!q.noInlines }),
    values: null,
  }));
  if (want.values && !g.values) {
    const cand = want.foldInEdges ? inlineCandidates(g.table) : null;
    g.values = accumulate(e.pr.work, g.table, e.pr.sv, cand);
    // No candidates: no in-edge to record, and nothing to label.
    if (want.foldInEdges && !cand) g.values.inEdges = new EdgeSet(e.pr.sv).table();
  }
  return { pr: e.pr, table: g.table, values: g.values };
}
