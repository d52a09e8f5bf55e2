// Comparison views (GET /api/profiles/:id/diff and /diff/flamegraph): a profile against
// a base profile, as `go tool pprof -diff_base=BASE NEW` / `-base=BASE NEW`.
import type { TopReport, TopRow, ValueType } from './views.js';

/** -diff_base (percentages of the base) or -base (subtract the base). */
export type DiffMode = 'diff_base' | 'base';

export interface DiffOptions {
  mode: DiffMode;
  /** pprof -normalize: the new profile scaled so each type sums to the base's sum. */
  normalize?: boolean;
}

export interface DiffTopRow extends TopRow {
  /** flat and cum (from TopRow) are new minus base, as pprof prints them. */
  baseFlat: number;
  baseCum: number;
  newFlat: number;
  newCum: number;
}

/** A TopReport (formatTopText prints it exactly as pprof) with per-row base/new values. */
export interface DiffTopReport extends TopReport {
  rows: DiffTopRow[];
  mode: DiffMode;
  normalized: boolean;
  /** Sum of |values| of each side at the chosen sample type (after unit conversion and normalisation). */
  baseTotal: number;
  newTotal: number;
}

export interface DiffFlameNode {
  name: string;
  /** Inclusive value in the new profile (the width of the frame). */
  value: number;
  /** Inclusive value in the base profile. */
  base: number;
  /** value - base. */
  delta: number;
  /** Leaf (self) values. */
  self: number;
  baseSelf: number;
  /** Children left out by pruning: their count and summed new/base values. */
  prunedCount?: number;
  prunedValue?: number;
  prunedBase?: number;
  children: DiffFlameNode[];
}

export interface DiffFlameGraph {
  sampleType: ValueType;
  mode: DiffMode;
  normalized: boolean;
  newTotal: number;
  baseTotal: number;
  root: DiffFlameNode;
  droppedNodes: number;
  minFraction: number;
  /** e.g. "Focus expression matched no samples" (from either side). */
  warnings: string[];
}
