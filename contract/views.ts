// View models: what the engine computes and the HTTP API returns as JSON.
// Values are raw numbers in the sample type's own unit; formatting is separate
// (format.ts beside this file) and shared with the web client.

/** A sample type or period type: its name and unit, e.g. cpu/nanoseconds. */
export interface ValueType {
  type: string;
  unit: string;
}

export interface ProfileMeta {
  sampleTypes: ValueType[];
  /** Name of the sample type shown by default (default_sample_type, else the last). */
  defaultSampleType: string;
  periodType: ValueType | null;
  /** Decimal strings: 64-bit values kept exact through JSON. */
  period: string;
  timeNanos: string;
  durationNanos: string;
  sampleCount: number;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  docUrl: string;
  /** Base name of the first mapping's file, as pprof's `File:` header. */
  mainBinary: string;
  /** 'cpu' | 'heap' | 'allocs' | 'goroutine' | 'mutex' | 'block' | 'threadcreate' | 'other'. */
  kind: ProfileKind;
}

export type ProfileKind = 'cpu' | 'heap' | 'allocs' | 'goroutine' | 'mutex' | 'block' | 'threadcreate' | 'other';

export type InlineLabel = '' | '(inline)' | '(partial-inline)';

export interface TopRow {
  /** Printable name as pprof prints it at the chosen granularity. */
  name: string;
  flat: number;
  cum: number;
  inline: InlineLabel;
  /** Function name alone (no file/line/address) for linking to source and flame graph. */
  function: string;
  file: string;
  line: number;
  address: string;
}

export interface TopReport {
  sampleType: ValueType;
  /** pprof's report total (sum of |values| before filtering unless relative). */
  total: number;
  /** The single output unit pprof picks for the report ("minimum" rule), e.g. "ms", "MB", "". */
  unit: string;
  /**
   * The unit `go tool pprof -top` prints these filters in by default (the "minimum" rule over
   * the rows its default -nodefraction=0.005 keeps): what the web views format values in,
   * so they read like pprof's default output. Equals `unit` when a unit was asked for.
   */
  displayUnit: string;
  /** Header lines exactly as `go tool pprof -top` prints them, in order. */
  legend: string[];
  rows: TopRow[];
  /** Sum of flat over the rows shown. */
  shownFlat: number;
  /**
   * Sum of flat over every node the filters kept, before trimming and limits: X of pprof's
   * "Showing nodes accounting for X, Y% of Z total" at -nodefraction=0 (Z = total).
   */
  kept: number;
  droppedNodes: number;
  /** Number of nodes before the nodecount limit. */
  nodesBeforeLimit: number;
  /** e.g. "Focus expression matched no samples". */
  warnings: string[];
  /**
   * Set on a page of the table (HTTP `offset`/`limit`): where it starts, and the count of
   * the rows it is a page of (those `match` kept, in `order`).
   */
  offset?: number;
  totalRows?: number;
  /** On a page: each row's place in pprof's order (the whole table's row index). */
  indices?: number[];
  /** On a page: each row's running sum of flat in the page's order before `match` (its sum%). */
  sums?: number[];
  /** On a page: rows of the whole table, before `match`. */
  tableRows?: number;
}

/** d3-flame-graph's input shape, with a few extras for tooltips and lazy loading. */
export interface FlameNode {
  name: string;
  /** Inclusive value of this frame. */
  value: number;
  /** Value of samples whose leaf is this frame. */
  self: number;
  file?: string;
  inline?: boolean;
  /** Children narrower than the prune threshold were left out; their summed value. */
  prunedValue?: number;
  prunedCount?: number;
  children: FlameNode[];
}

export interface FlameGraph {
  sampleType: ValueType;
  total: number;
  root: FlameNode;
  /** Frames left out by pruning (fetch the subtree with a path to see them). */
  droppedNodes: number;
  minFraction: number;
}

export interface SourceLine {
  line: number;
  flat: number;
  cum: number;
  /** null when the file could not be read. */
  text: string | null;
}

export interface SourceRoutine {
  function: string;
  file: string;
  flat: number;
  cum: number;
  lines: SourceLine[];
  /** Set when the source file was not found: the paths tried. */
  missing?: { tried: string[]; hint: string };
  /** Where the text came from (the "where this file came from" line); set when found. */
  origin?: SourceOrigin;
  /** Why the text may not be the one the binary was built from (shown above the listing). */
  stale?: string[];
}

/** Resolution steps, in the order they are tried (server/src/source/index.ts). */
export type SourceStep =
  'archive' | 'source-path' | 'working-dir' | 'module' | 'workspace' | 'replace' | 'vendor' | 'module-cache' | 'goroot' | 'samples';

export interface SourceOrigin {
  step: SourceStep;
  /** One line for people, without server paths: "module cache, example.com/dep@v1.0.0". */
  label: string;
  /** The file read; left out on a shared server. */
  path?: string;
}

export interface SourceListing {
  sampleType: ValueType;
  total: number;
  unit: string;
  routines: SourceRoutine[];
}

/** One node of the call graph (`go tool pprof -dot`), in pprof's order (N1 = id 0). */
export interface CallGraphNode {
  id: number;
  /** Printable name as pprof prints it at the chosen granularity. */
  name: string;
  function: string;
  file: string;
  line: number;
  address: string;
  flat: number;
  cum: number;
}

export interface CallGraphEdge {
  /** Node ids (indices into CallGraph.nodes). */
  from: number;
  to: number;
  weight: number;
  /** Every call along it was inlined (pprof labels it "(inline)"). */
  inline: boolean;
  /** It skips nodes left out of the graph (pprof draws it dotted). */
  residual: boolean;
}

export interface CallGraph {
  sampleType: ValueType;
  total: number;
  /** The report's output unit (pprof's "minimum" rule over the shown nodes). */
  unit: string;
  /** Legend lines as pprof's -dot legend has them (without the help link). */
  legend: string[];
  nodes: CallGraphNode[];
  /** In pprof's order: |weight| desc, then source and destination names. */
  edges: CallGraphEdge[];
  droppedNodes: number;
  droppedEdges: number;
  nodesBeforeLimit: number;
  warnings: string[];
}

/** A caller or callee line of a peek entry. */
export interface PeekEdge {
  name: string;
  /** The edge weight as pprof prints it (never divided by -mean's divisor). */
  weight: number;
  inline: boolean;
}

export interface PeekEntry {
  name: string;
  function: string;
  file: string;
  line: number;
  flat: number;
  cum: number;
  /** Running sum of flat over the entries printed so far (pprof's sum%). */
  flatSum: number;
  callers: PeekEdge[];
  callees: PeekEdge[];
}

/** `go tool pprof -peek REGEX`: the matching functions with their callers and callees. */
export interface PeekReport {
  sampleType: ValueType;
  total: number;
  unit: string;
  legend: string[];
  entries: PeekEntry[];
  /** Nodes in the (untrimmed) graph: pprof prints the closing separator only when there are any. */
  graphNodes: number;
  warnings: string[];
}

/** Sandwich view of one function: callers (inverted, the function at the root) and callees. */
export interface Sandwich {
  sampleType: ValueType;
  total: number;
  /** The function's printable name, as asked. */
  name: string;
  /** false when no node of the (filtered) profile has this name. */
  found: boolean;
  flat: number;
  /** Value of the samples it appears on, each once (pprof's cum). */
  cum: number;
  /** Root = the function; children = its callers, then their callers. */
  callers: FlameNode;
  /** Root = the function; children = its callees. */
  callees: FlameNode;
  warnings: string[];
}

/** One value of a label key in the tags report (pprof -tags). */
export interface TagValue {
  /** The value as pprof prints it: a string label, or a numeric label scaled (e.g. "1.50kB"). */
  value: string;
  /** Sum of the sample type's values of the samples carrying this value. */
  weight: number;
  /** Numeric labels: the smallest and largest raw values printed as `value` (the bucket), else null. */
  num: number | null;
  numMax: number | null;
}

export interface TagKey {
  key: string;
  /** True when the key holds numeric labels (e.g. heap `bytes`). */
  numeric: boolean;
  /** The numeric label's unit (pprof identifyNumLabelUnits), "" for string labels. */
  unit: string;
  total: number;
  /** pprof's order: heaviest first, ties by value. */
  values: TagValue[];
  /** Values left out by a limit on values per key (the API's `n`); 0 when all are listed. */
  omitted: number;
}

/** `go tool pprof -tags`: per label key, the weight of each value for the current sample type and filters. */
export interface TagsReport {
  sampleType: ValueType;
  /** The output unit asked for ("minimum" unless -unit), as pprof scales each figure. */
  outputUnit: string;
  keys: TagKey[];
  warnings: string[];
}

// ---- goroutine dumps (server/src/goroutines/) ----

export interface GroupFrame {
  func: string;
  file: string;
  line: number;
}

export interface GoroutineGroup {
  /** The grouping signature: state, frames (function, file, line) and creator. */
  key: string;
  count: number;
  state: string;
  lockedToThread: number;
  /** Minutes waited: smallest, largest, and count per distinct value (ascending). */
  wait: { min: number; max: number; counts: [number, number][] };
  /** Leaf first. */
  frames: GroupFrame[];
  createdBy: GroupFrame | null;
  /** Label key -> value -> goroutines carrying it. */
  labels: Record<string, Record<string, number>>;
  /** The first ids (at most 10), ascending. */
  ids: number[];
}

export interface GroupsReport {
  total: number;
  /** Goroutines left by the filters. */
  matched: number;
  states: Record<string, number>;
  groups: GoroutineGroup[];
  panic: string | null;
}

export interface GroupDelta {
  key: string;
  state: string;
  frames: GroupFrame[];
  createdBy: GroupFrame | null;
  before: number;
  after: number;
  delta: number;
}

export interface GoroutinesView extends GroupsReport {
  id: string;
  /** The base profile's id when compared. */
  base?: string;
  /** False for goroutine profiles, which carry no state, wait time, ids or creator. */
  fromDump: boolean;
  /** With a base profile: every group's count there and here, most grown first. */
  compare?: GroupDelta[];
}
