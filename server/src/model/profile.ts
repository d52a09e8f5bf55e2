// The decoded profile: the pprof schema with string indices and ids resolved to
// values and object references, as google/pprof's profile.Profile holds it.
// Every later stage (filters, graph, reports, insights, diff) reads this shape.
import type { ValueType } from '../../../contract/views.js';

export interface Func {
  id: number;
  name: string;
  systemName: string;
  filename: string;
  startLine: number;
}

export interface Line {
  function: Func;
  line: number;
  column: number;
}

export interface Mapping {
  id: number;
  /** Unsigned 64-bit addresses stay exact as bigint. */
  start: bigint;
  limit: bigint;
  offset: bigint;
  file: string;
  buildId: string;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
}

export interface Location {
  id: number;
  mapping: Mapping | null;
  /** Unsigned 64-bit program counter; 0n when unknown. */
  address: bigint;
  /** line[0] is the innermost inlined call; the last line owns the address. */
  line: Line[];
  isFolded: boolean;
}

export interface Sample {
  /** location[0] is the leaf. */
  location: Location[];
  /** One value per sample type. Exact when Profile.exactValues is null. */
  value: number[];
  /** String labels, key -> values in order; null when the sample has none. */
  label: Record<string, string[]> | null;
  /**
   * Numeric labels, key -> values; numUnit holds the matching units ("" when unset).
   * The decoder shares one numUnit map between samples with the same label layout, and
   * one numLabel map between samples whose single numeric label is equal: treat both as
   * read-only (copy before changing them).
   */
  numLabel: Record<string, number[]> | null;
  numUnit: Record<string, string[]> | null;
}

/**
 * Location indices of stacks, in the narrowest array the profile's location count allows
 * (1, 2 or 4 bytes an entry): a decode mostly pays for the fresh memory it touches.
 */
export type StackColumn = Uint8Array | Uint16Array | Int32Array;

/**
 * Samples stored column-wise (the fast decoder's form): sample k's stack is
 * stack[stackStart[k] .. stackStart[k+1]), indices into Profile.location, leaf first;
 * its values are values[k*nTypes .. (k+1)*nTypes) (the numbers Sample.value holds).
 * label/numLabel/numUnit hold each sample's maps, or are null when no sample has any;
 * the fast decoder builds them on first read (decode/labels.ts), so read them only when
 * labels are needed: labelKinds says whether there are any without building them.
 */
export interface SampleColumns {
  n: number;
  nTypes: number;
  stack: StackColumn;
  stackStart: Int32Array;
  values: Float64Array;
  label: (Record<string, string[]> | null)[] | null;
  numLabel: (Record<string, number[]> | null)[] | null;
  numUnit: (Record<string, string[]> | null)[] | null;
  /** Whether some sample has string labels (label) / numeric ones (numLabel), known without building them. */
  labelKinds?: { str: boolean; num: boolean };
}

export interface Profile {
  sampleType: ValueType[];
  /** The type name from default_sample_type, "" when unset. */
  defaultSampleType: string;
  sample: Sample[];
  mapping: Mapping[];
  location: Location[];
  function: Func[];
  dropFrames: string;
  keepFrames: string;
  timeNanos: bigint;
  durationNanos: bigint;
  periodType: ValueType | null;
  period: bigint;
  comments: string[];
  docUrl: string;
  /**
   * Exact sample values, parallel to `sample`, present only when some value, or the
   * sum of absolute values of some sample type, does not fit in 2^53. Analysis uses
   * these (BigInt arithmetic) instead of `value` then, so no total silently rounds.
   */
  exactValues: bigint[][] | null;
  /**
   * Optional, additive: the same samples column-wise, describing `sample` and `location`
   * exactly. Set only by the fast decoder, as a non-enumerable property, so a profile
   * made by spreading another ({ ...p, sample }) never inherits stale columns; readers
   * that find it may skip the per-sample objects (which the decoder then builds lazily).
   * Treat it as read-only; assigning `sample` on such a profile removes it.
   */
  columns?: SampleColumns;
}

/** Where the decoded profile came from; reported in metadata and errors. */
export type ProfileFormat =
  'proto' | 'legacy-cpu' | 'legacy-heap' | 'legacy-count' | 'legacy-contention' | 'legacy-threadz' | 'goroutine-dump';
