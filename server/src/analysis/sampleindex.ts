// pprof Profile.SampleIndexByName: the one resolver of a sample type (name, `inuse_`-less
// alias or index) to its index. The insights engine adds its heap default on top of it.
import type { Profile } from '../model/profile.js';
import { QueryError } from '../model/query.js';

export function resolveSampleIndex(p: Profile, si?: string): number {
  const types = p.sampleType.map((t) => t.type);
  if (si === undefined || si === '') {
    if (p.defaultSampleType !== '') {
      const i = types.indexOf(p.defaultSampleType);
      if (i >= 0) return i;
    }
    return types.length - 1;
  }
  if (/^[+-]?\d+$/.test(si)) {
    const i = Number(si);
    if (i < 0 || i >= types.length) {
      throw new QueryError(`sample_index ${si} is outside the range [0..${types.length - 1}]`);
    }
    return i;
  }
  const noInuse = si.startsWith('inuse_') ? si.slice(6) : si;
  for (let i = 0; i < types.length; i++) if (types[i] === si || types[i] === noInuse) return i;
  throw new QueryError(`sample_index ${JSON.stringify(si)} must be one of: [${types.join(' ')}]`);
}
