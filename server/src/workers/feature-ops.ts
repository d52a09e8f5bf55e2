// Feature views computed from decoded profiles: insights, the comparison views and the
// profile's source file names. Used where the profiles are cached -- inside an analysis
// worker (or the HTTP thread with --workers 0) through AnalysisCore. The results are the
// JSON bodies the routes send.
import { computeInsights, type InsightsOptions } from '../insights/engine.js';
import type { InsightsReport } from '../../../contract/insights.js';
import type { Profile } from '../model/profile.js';
import type { Query, TopOptions } from '../../../contract/query.js';
import { computeDiffTop } from '../report/diff.js';
import { computeDiffFlameGraph } from '../report/diff-flame.js';
import { viewWithTreeToJson } from '../report/tree-json.js';
import type { DiffOptions } from '../../../contract/diff.js';
import { goroutinesView } from '../goroutines/index.js';
import { compileRegexp } from '../analysis/regex.js';
import type { GoroutineFilterWire } from './protocol.js';

/**
 * Reports per decoded profile and sample type. Decoded profiles are cached by an LRU, so a
 * WeakMap keyed by the Profile object lives exactly as long as that cache entry.
 */
const reports = new WeakMap<Profile, Map<string, InsightsReport>>();

/** Reports with a base are not cached (the pair changes with every base the user picks). */
export function cachedInsights(p: Profile, si: string | undefined, opts: InsightsOptions = {}): InsightsReport {
  if (opts.base) return computeInsights(p, si, opts);
  let m = reports.get(p);
  if (!m) reports.set(p, (m = new Map()));
  const key = `${si ?? ''}\u0000${opts.name ?? ''}`;
  let r = m.get(key);
  if (!r) m.set(key, (r = computeInsights(p, si, opts)));
  return r;
}

/** Body of GET /api/profiles/:id/insights (throws InsightsQueryError for an unknown type). */
export function insightsBody(id: string, p: Profile, si: string | undefined, opts: InsightsOptions & { baseId?: string } = {}): object {
  const { baseId, ...rest } = opts;
  return { id, ...(baseId ? { base: baseId } : {}), ...cachedInsights(p, si, rest) };
}

/**
 * Body of GET /api/profiles/:id/diff. The merged pair is memoised by report/diff.ts on the
 * two Profile objects, so it is reused while both stay cached in the same place.
 */
export function diffTopBody(id: string, baseId: string, newer: Profile, base: Profile, q: Query, opts: DiffOptions & TopOptions): object {
  return { id, base: baseId, ...computeDiffTop(newer, base, q, opts) };
}

/** JSON text of GET /api/profiles/:id/diff/flamegraph (written without recursion: stacks may be 100,000 frames deep). */
export function diffFlameJson(
  id: string,
  baseId: string,
  newer: Profile,
  base: Profile,
  q: Query,
  opts: DiffOptions & { minFraction?: number; path?: string[] },
): string {
  return viewWithTreeToJson({ id, base: baseId, ...computeDiffFlameGraph(newer, base, q, opts) });
}

/** Distinct non-empty file names of the profile's functions, in order of first appearance. */
export function profileFiles(p: Profile): string[] {
  return [...new Set(p.function.map((f) => f.filename).filter(Boolean))];
}

/** Body of GET /api/profiles/:id/goroutines (QueryError for a bad creator regexp). */
export function goroutinesBody(id: string, p: Profile, f: GoroutineFilterWire, base?: Profile, baseId?: string): object {
  const filter = { ...f, creator: f.creator ? compileRegexp(f.creator, 'creator') : undefined };
  return { id, ...(baseId ? { base: baseId } : {}), ...goroutinesView(p, filter, base) };
}
