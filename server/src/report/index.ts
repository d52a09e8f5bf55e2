// Engine entry points: pure functions over a decoded Profile, the contract the server,
// insights and compare code build on.
import type { Profile } from '../model/profile.js';
import { removeUninteresting } from '../analysis/prune.js';

/** pprof RemoveUninteresting (drop_frames/keep_frames); memoized, returns a new Profile when it prunes. */
export function prepareProfile(p: Profile): Profile {
  return removeUninteresting(p);
}

/** pprof's -sample_index resolution; throws QueryError for an unknown type. */
export { resolveSampleIndex } from '../analysis/sampleindex.js';

export { profileMeta } from './meta.js';
export { computeTop, formatTopText, prepareTop, topRows } from './top.js';
export type { TopExact, TopTable } from './top.js';
export { computeFlameGraph, flameGraphJson, prepareFlame } from './flame.js';
export { computeSourceListing, formatListText } from './list.js';
export { computePeek, formatPeekText } from './peek.js';
export { computeCallGraph } from './callgraph.js';
export { computeSandwich } from './sandwich.js';
export type { SourceReader, SourceReadResult } from './list.js';
