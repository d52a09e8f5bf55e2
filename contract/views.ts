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
  /** Header lines exactly as `go tool pprof -top` prints them, in order. */
  legend: string[];
  rows: TopRow[];
  /** Sum of flat over the rows shown. */
  shownFlat: number;
  droppedNodes: number;
  /** Number of nodes before the nodecount limit. */
  nodesBeforeLimit: number;
  /** e.g. "Focus expression matched no samples". */
  warnings: string[];
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
}

export interface SourceListing {
  sampleType: ValueType;
  total: number;
  unit: string;
  routines: SourceRoutine[];
}
