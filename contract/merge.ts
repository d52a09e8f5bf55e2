// Merging stored profiles (POST /api/profiles/merge) and the inputs of a merged profile
// (GET /api/profiles/:id/merge/inputs), as `go tool pprof A B C` merges its files.
import type { ValueType } from './views.js';

/** One input of a merge, as the merged profile remembers it. */
export interface MergeInput {
  id: string;
  name: string;
}

/** POST /api/profiles/merge {ids}: the stored merged profile. */
export interface MergeResult {
  id: string;
  /** The profile page's link, /p/<id>. */
  url: string;
  name: string;
  type: string;
  inputs: MergeInput[];
}

/** One input's part in a frame of the merged profile. */
export interface InputShare {
  id: string;
  /** The frame's inclusive value in this input (0 when the frame is not in it). */
  value: number;
  /** The input's total, as its flame graph root. */
  total: number;
}

/** Each input's value at a flame graph path, computed by the engine. */
export interface MergeShares {
  sampleType: ValueType;
  /** Frame names from the root's child down; [] = the whole profile. */
  path: string[];
  inputs: InputShare[];
}

/** GET /api/profiles/:id/merge/inputs?path=[...]: the shares with each input's name. */
export interface MergeInputsReport extends MergeShares {
  id: string;
  inputs: (InputShare & { name: string })[];
}
