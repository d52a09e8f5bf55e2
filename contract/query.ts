// What a caller asks of a profile: which values, at what granularity, through which
// filters. The same Query drives the CLI flags, the HTTP query string and the UI URL;
// QUERY_PARAMS names each field's HTTP query parameter.

export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';
export const GRANULARITIES: readonly Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

export interface Query {
  /** Sample type: its name (also with an `inuse_` prefix as pprof allows), its index as a string, or "" for the default. */
  sampleIndex?: string;
  granularity?: Granularity;
  /** Attribute inlined frames to their out-of-line caller (pprof -noinlines). */
  noInlines?: boolean;
  /** Regexps, as pprof's -focus, -ignore, -hide, -show, -show_from, -prune_from. */
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  showFrom?: string;
  pruneFrom?: string;
  /** pprof's -tagfocus / -tagignore syntax: `[key=]value[,value]` or numeric ranges. */
  tagFocus?: string;
  tagIgnore?: string;
  /** pprof -tagshow / -taghide: only remove label keys (no effect on values); listed in the legend. */
  tagShow?: string;
  tagHide?: string;
  /**
   * pprof -tagroot / -tagleaf: comma-separated label keys whose values become pseudo-frames
   * at the root (first key outermost) or leaf (last key innermost) of every sample.
   */
  tagRoot?: string;
  tagLeaf?: string;
  /** Unit numeric label values are printed in for -tagroot/-tagleaf frames (pprof -unit; default "minimum"). */
  labelUnit?: string;
  /** Percentages relative to the filtered total instead of the whole profile. */
  relativePercentages?: boolean;
  /** pprof -mean: values divided by the first sample value (e.g. delay per contention); type shown as mean_<type>. */
  mean?: boolean;
}

export interface TopOptions {
  /** Keep at most this many rows; 0 = no limit (pprof -top default). */
  nodeCount?: number;
  /** Drop nodes whose |cum| is below this fraction of the total flat (default 0.005). */
  nodeFraction?: number;
  sort?: 'flat' | 'cum';
  /** Output unit: "minimum" (default), "auto", or a unit name such as "ms" or "MB". */
  unit?: string;
  /** false = no trimming at all (pprof -trim=false). */
  trim?: boolean;
  /** Edges below this fraction of the total flat are dropped (default 0.001); affects inline labels. */
  edgeFraction?: number;
  /** Leave out the profile header lines (File, Type, Time, ...), as pprof -compact_labels. */
  compactLabels?: boolean;
}

/**
 * Order of a top table page (HTTP `order`): pprof's (flat), by |cum| or by name; ties keep
 * pprof's order.
 */
export type TopOrder = 'flat' | 'cum' | 'name';
export const TOP_ORDERS: readonly TopOrder[] = ['flat', 'cum', 'name'];

/** A page of the top table (HTTP `offset`, `limit`, `order`, `match`). */
export interface TopPageRequest {
  offset: number;
  limit: number;
  order?: TopOrder;
  /** Keeps the rows whose name matches this search (searchRegexp in go-regexp.ts). */
  match?: string;
}

/** The call graph's trimming, as `go tool pprof -dot` takes it (defaults 80, 0.005, 0.001). */
export interface GraphOptions {
  nodeCount?: number;
  nodeFraction?: number;
  edgeFraction?: number;
  /** false = no trimming at all (pprof -trim=false). */
  trim?: boolean;
  /** Output unit: "minimum" (default), "auto", or a unit name. */
  unit?: string;
}

/** `go tool pprof -peek`: always untrimmed; only the order, unit and headers vary. */
export interface PeekOptions {
  sort?: 'flat' | 'cum';
  unit?: string;
  compactLabels?: boolean;
}

/** The HTTP query parameter each Query field travels under (server: http/query-params.ts; web: the API client). */
export const QUERY_PARAMS = {
  sampleIndex: 'si',
  granularity: 'granularity',
  focus: 'focus',
  ignore: 'ignore',
  hide: 'hide',
  show: 'show',
  showFrom: 'showFrom',
  pruneFrom: 'pruneFrom',
  tagFocus: 'tagFocus',
  tagIgnore: 'tagIgnore',
  tagShow: 'tagShow',
  tagHide: 'tagHide',
  tagRoot: 'tagRoot',
  tagLeaf: 'tagLeaf',
  labelUnit: 'unit',
  noInlines: 'noInlines',
  relativePercentages: 'relative',
} as const satisfies Partial<Record<keyof Query, string>>;

/** Query fields whose parameter is a regexp or filter text (passed as given, empty = unset). */
export const TEXT_QUERY_FIELDS = [
  'focus',
  'ignore',
  'hide',
  'show',
  'showFrom',
  'pruneFrom',
  'tagFocus',
  'tagIgnore',
  'tagShow',
  'tagHide',
  'tagRoot',
  'tagLeaf',
  'labelUnit',
] as const;

/** The API query string of a Query (fields left unset or empty are left out). */
export function queryParams(q: Query): URLSearchParams {
  const out = new URLSearchParams();
  if (q.sampleIndex) out.set(QUERY_PARAMS.sampleIndex, q.sampleIndex);
  if (q.granularity) out.set(QUERY_PARAMS.granularity, q.granularity);
  for (const key of TEXT_QUERY_FIELDS) {
    const v = q[key];
    if (v) out.set(QUERY_PARAMS[key], v);
  }
  if (q.noInlines !== undefined) out.set(QUERY_PARAMS.noInlines, q.noInlines ? '1' : '0');
  if (q.relativePercentages !== undefined) out.set(QUERY_PARAMS.relativePercentages, q.relativePercentages ? '1' : '0');
  return out;
}
