// A profile whose one sample is a stack `depth` frames deep (frame i calls frame i+1;
// one function and location per frame), for the deep-stack tests.
import type { Func, Location, Profile, Sample } from '../../server/src/model/profile.js';

export const DEPTH = 100_000;

export function deepProfile(stacks: { depth: number; value: number }[]): Profile {
  const fns: Func[] = [];
  const locs: Location[] = [];
  for (let i = 0; i < DEPTH; i++) {
    const f: Func = { id: i + 1, name: `main.f${i}`, systemName: `main.f${i}`, filename: 'main.go', startLine: 1 };
    fns.push(f);
    locs.push({ id: i + 1, mapping: null, address: BigInt(0x1000 + i), line: [{ function: f, line: 10, column: 0 }], isFolded: false });
  }
  // Frame i calls frame i+1: the leaf of a stack of depth d is f(d-1).
  const sample: Sample[] = stacks.map(({ depth, value }) => ({
    location: locs.slice(0, depth).reverse(),
    value: [value],
    label: null,
    numLabel: null,
    numUnit: null,
  }));
  return {
    sampleType: [{ type: 'samples', unit: 'count' }],
    defaultSampleType: '',
    sample,
    mapping: [],
    location: locs,
    function: fns,
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0n,
    durationNanos: 0n,
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period: 1n,
    comments: [],
    docUrl: '',
    exactValues: null,
  };
}
