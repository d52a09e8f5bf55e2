// The one reader of HTTP query strings: single parameters, flags, numbers, and
// Query / TopOptions / flame graph options built from them. Bad values are 400s.
import {
  GRANULARITIES,
  QUERY_PARAMS,
  TEXT_QUERY_FIELDS,
  type Granularity,
  type GraphOptions,
  type PeekOptions,
  type Query,
  type TopOptions,
  type TopOrder,
  type TopPageRequest,
  TOP_ORDERS,
} from '../../../contract/query.js';
import { HttpError } from '../service/errors.js';

/** `req.query` under Express's "simple" query parser: strings, or arrays when repeated. */
export type RawQuery = Record<string, unknown>;
type Raw = RawQuery;

/** A parameter given at most once; undefined when absent. */
export function str(q: Raw, key: string): string | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, `query parameter "${key}" must be given once`);
  return v;
}

/** A required parameter, non-empty; `what` says what it is for. */
export function required(q: Raw, key: string, what: string): string {
  const v = str(q, key);
  if (!v) throw new HttpError(400, `query parameter "${key}" ${what}`);
  return v;
}

/** 1/true/empty = true, 0/false = false. */
export function flag(q: Raw, key: string): boolean | undefined {
  const v = str(q, key);
  if (v === undefined) return undefined;
  if (v === '1' || v === 'true' || v === '') return true;
  if (v === '0' || v === 'false') return false;
  throw new HttpError(400, `query parameter "${key}" must be 1 or 0, got ${JSON.stringify(v)}`);
}

function fraction(q: Raw, key: string): number | undefined {
  const v = str(q, key);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new HttpError(400, `query parameter "${key}" must be a number between 0 and 1`);
  return n;
}

/** A positive integer (absent or empty = dflt), capped at max. */
export function positiveInt(q: Raw, key: string, dflt: number, max: number): number {
  const v = q[key];
  if (v === undefined || v === '') return dflt;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1) {
    throw new HttpError(400, `query parameter "${key}" must be a positive integer`);
  }
  return Math.min(Number(v), max);
}

export function parseQuery(q: Raw): Query {
  const out: Query = {};
  const si = str(q, QUERY_PARAMS.sampleIndex);
  if (si !== undefined) out.sampleIndex = si;
  const g = str(q, QUERY_PARAMS.granularity);
  if (g !== undefined && g !== '') {
    if (!(GRANULARITIES as readonly string[]).includes(g)) {
      throw new HttpError(400, `unknown granularity "${g}" (one of ${GRANULARITIES.join(', ')})`);
    }
    out.granularity = g as Granularity;
  }
  for (const key of TEXT_QUERY_FIELDS) {
    const v = str(q, QUERY_PARAMS[key]);
    if (v !== undefined && v !== '') out[key] = v;
  }
  const ni = flag(q, QUERY_PARAMS.noInlines);
  if (ni !== undefined) out.noInlines = ni;
  const rel = flag(q, QUERY_PARAMS.relativePercentages);
  if (rel !== undefined) out.relativePercentages = rel;
  return out;
}

/** API default: every row, as `go tool pprof -top -nodefraction=0`. */
export function parseTopOptions(q: Raw): TopOptions {
  const opts: TopOptions = { nodeFraction: 0, nodeCount: 0, sort: 'flat' };
  const n = str(q, 'n');
  if (n !== undefined && n !== '') {
    if (!/^\d+$/.test(n)) throw new HttpError(400, `query parameter "n" must be a non-negative integer`);
    opts.nodeCount = Number(n);
  }
  const nf = fraction(q, 'nodeFraction');
  if (nf !== undefined) opts.nodeFraction = nf;
  if (flag(q, 'cum')) opts.sort = 'cum';
  const unit = str(q, 'unit');
  if (unit !== undefined && unit !== '') opts.unit = unit;
  const trim = flag(q, 'trim');
  if (trim !== undefined) opts.trim = trim;
  return opts;
}

function count(q: Raw, key: string): number | undefined {
  const v = str(q, key);
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new HttpError(400, `query parameter "${key}" must be a non-negative integer`);
  return Number(v);
}

/** Call graph trimming as `go tool pprof -dot` takes it; unset = pprof's defaults (80, 0.005, 0.001). */
export function parseGraphOptions(q: Raw): GraphOptions {
  const opts: GraphOptions = {};
  const n = count(q, 'n');
  if (n !== undefined) opts.nodeCount = n;
  const nf = fraction(q, 'nodeFraction');
  if (nf !== undefined) opts.nodeFraction = nf;
  const ef = fraction(q, 'edgeFraction');
  if (ef !== undefined) opts.edgeFraction = ef;
  const trim = flag(q, 'trim');
  if (trim !== undefined) opts.trim = trim;
  const unit = parseUnit(q);
  if (unit !== undefined) opts.unit = unit;
  return opts;
}

/** Peek's options: order and unit (pprof never trims a peek). */
export function parsePeekOptions(q: Raw): PeekOptions {
  const opts: PeekOptions = {};
  if (flag(q, 'cum')) opts.sort = 'cum';
  const unit = parseUnit(q);
  if (unit !== undefined) opts.unit = unit;
  return opts;
}

/**
 * `offset` and `limit` of a top table page, with its `order` (flat, cum, name) and row
 * search `match`; undefined for every row in pprof's order.
 */
export function parseTopPage(q: Raw): TopPageRequest | undefined {
  const o = str(q, 'offset');
  const l = str(q, 'limit');
  if ((o === undefined || o === '') && (l === undefined || l === '')) return undefined;
  const int = (v: string | undefined, key: string, dflt: number): number => {
    if (v === undefined || v === '') return dflt;
    if (!/^\d{1,9}$/.test(v)) throw new HttpError(400, `query parameter "${key}" must be a non-negative integer`);
    return Number(v);
  };
  const page: TopPageRequest = { offset: int(o, 'offset', 0), limit: int(l, 'limit', 1_000_000_000) };
  const order = str(q, 'order');
  if (order !== undefined && order !== '') {
    if (!(TOP_ORDERS as readonly string[]).includes(order)) {
      throw new HttpError(400, `query parameter "order" must be one of ${TOP_ORDERS.join(', ')}`);
    }
    page.order = order as TopOrder;
  }
  const match = str(q, 'match');
  if (match !== undefined && match !== '') {
    if (match.length > 4096) throw new HttpError(400, 'query parameter "match" is longer than 4096 characters');
    page.match = match;
  }
  return page;
}

export function parseFlameOptions(q: Raw): { minFraction?: number; path?: string[] } {
  const out: { minFraction?: number; path?: string[] } = {};
  const mf = fraction(q, 'minFraction');
  if (mf !== undefined) out.minFraction = mf;
  const p = str(q, 'path');
  if (p !== undefined && p !== '') {
    let v: unknown;
    try {
      v = JSON.parse(p);
    } catch {
      throw new HttpError(400, 'query parameter "path" must be a JSON array of frame names');
    }
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      throw new HttpError(400, 'query parameter "path" must be a JSON array of frame names');
    }
    out.path = v as string[];
  }
  return out;
}

/** The output unit of label values (tags report, -tagroot/-tagleaf frames): pprof's -unit. */
export function parseUnit(q: Raw): string | undefined {
  const unit = str(q, 'unit');
  return unit === undefined || unit === '' ? undefined : unit;
}

/** Goroutine filters: state, minWait (minutes), creator (regexp), label (key or key=value), base (profile id). */
export function parseGoroutineFilter(q: Raw): { state?: string; minWait?: number; creator?: string; label?: string } {
  const out: { state?: string; minWait?: number; creator?: string; label?: string } = {};
  const state = str(q, 'state');
  if (state) out.state = state;
  const mw = str(q, 'minWait');
  if (mw !== undefined && mw !== '') {
    if (!/^\d{1,9}$/.test(mw)) throw new HttpError(400, 'query parameter "minWait" must be a whole number of minutes');
    out.minWait = Number(mw);
  }
  const creator = str(q, 'creator');
  if (creator) out.creator = creator;
  const label = str(q, 'label');
  if (label) out.label = label;
  return out;
}
