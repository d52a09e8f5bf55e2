// Columnar samples for the fast decoder. Building one Sample object plus a location
// array and a value array per sample (840k objects on a 280k-sample heap profile)
// made the garbage collector the biggest cost of a decode, and the engine then walked
// every one of them again to rebuild flat stacks. The decoder now records stacks and
// values in typed arrays (Profile.columns) and the `sample` array is built from them
// only when some consumer first reads `profile.sample`; the engine reads the columns.
import type { Location, Profile, Sample, SampleColumns } from '../model/profile.js';

/** Builds the Sample objects the columns describe (the same shape the decoder used to build). */
function materialize(locs: readonly Location[], c: SampleColumns): Sample[] {
  const { n, nTypes, stack, stackStart, values, label, numLabel, numUnit } = c;
  const out: Sample[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const s0 = stackStart[k];
    const len = stackStart[k + 1] - s0;
    const location: Location[] = new Array(len);
    for (let j = 0; j < len; j++) location[j] = locs[stack[s0 + j]];
    const value: number[] = new Array(nTypes);
    const v0 = k * nTypes;
    for (let i = 0; i < nTypes; i++) value[i] = values[v0 + i];
    out[k] = {
      location,
      value,
      label: label === null ? null : label[k],
      numLabel: numLabel === null ? null : numLabel[k],
      numUnit: numUnit === null ? null : numUnit[k],
    };
  }
  return out;
}

/**
 * Gives `p` its columns (non-enumerable, so `{ ...p }` copies and structured clones never
 * carry them over to a profile whose samples may differ) and a `sample` accessor that
 * builds the Sample array on first read. It stays an accessor afterwards so that assigning
 * `p.sample`, at any time, replaces the array and drops the columns, which no longer
 * describe it.
 */
export function attachColumns(p: Profile, c: SampleColumns): Profile {
  Object.defineProperty(p, 'columns', { value: c, enumerable: false, configurable: true, writable: true });
  const locs = p.location; // the array the stack indices refer to, as decoded
  let built: Sample[] | null = null;
  Object.defineProperty(p, 'sample', {
    enumerable: true,
    configurable: true,
    get(): Sample[] {
      return (built ??= materialize(locs, c));
    },
    set(this: Profile, samples: Sample[]): void {
      Object.defineProperty(this, 'sample', { value: samples, enumerable: true, configurable: true, writable: true });
      delete this.columns;
    },
  });
  return p;
}
