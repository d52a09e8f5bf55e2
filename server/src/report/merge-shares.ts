// How much each input of a merged profile contributes to one frame: the frame's value
// (at a flame graph path) in every input, after the same sample-type and unit
// reconciliation the merge did, so the inputs' values add up to the merged profile's.
import { compatibilizeSampleTypes, scaleProfiles } from '../analysis/merge.js';
import type { Query } from '../../../contract/query.js';
import type { MergeShares } from '../../../contract/merge.js';
import type { Profile } from '../model/profile.js';
import { QueryError } from '../model/query.js';
import { computeFlameGraph } from './flame.js';

function valueAt(p: Profile, q: Query, path: string[]): { value: number; total: number } {
  try {
    const g = computeFlameGraph(p, q, { path, minFraction: 1 });
    return { value: g.root.value, total: g.total };
  } catch (e) {
    if (!(e instanceof QueryError) || path.length === 0) throw e;
    // The query itself may be at fault (an unknown sample type): that error stands.
    const whole = computeFlameGraph(p, q, { path: [], minFraction: 1 });
    return { value: 0, total: whole.total };
  }
}

export function mergeShares(ids: string[], inputs: Profile[], q: Query, path: string[]): MergeShares {
  const ps = inputs.length > 1 ? scaleProfiles(compatibilizeSampleTypes(inputs)) : inputs;
  const shares = ps.map((p, i) => ({ id: ids[i]!, ...valueAt(p, q, path) }));
  const g = computeFlameGraph(ps[0]!, q, { path: [], minFraction: 1 });
  return { sampleType: g.sampleType, path, inputs: shares };
}
