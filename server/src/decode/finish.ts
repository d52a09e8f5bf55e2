import type { Profile } from '../model/profile.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Attaches exact values only when doubles could lose precision: some value, or the
 * sum of absolute values of some sample type, is beyond 2^53. Any subset sum is then
 * bounded by that total, so plain number arithmetic is exact in every other case.
 */
export function finishProfile(p: Profile, exact: bigint[][]): Profile {
  const n = p.sampleType.length;
  const totals = new Array<bigint>(n).fill(0n);
  let needExact = false;
  for (const vals of exact) {
    for (let i = 0; i < n; i++) {
      const v = vals[i];
      totals[i] += v < 0n ? -v : v;
    }
  }
  for (const t of totals) if (t > SAFE) needExact = true;
  p.exactValues = needExact ? exact : null;
  return p;
}
