// The merged profile that -diff_base / -base report on must equal the one pprof builds:
// we compare our diffProfiles() with pprof's own `-proto` output of the same pair,
// sample by sample (stack, labels, values) and header by header.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import type { Profile } from '../../server/src/model/profile.js';
import { diffProfiles, IncompatibleProfilesError, isDiffBaseSample, merge, scale } from '../../server/src/analysis/merge.js';
import { diffCases, refPath } from './diff-references.js';

function load(path: string): Profile {
  return decodeProfile(new Uint8Array(readFileSync(path)));
}

/** Order-independent description of every sample: stack, labels, values. */
function sampleSet(p: Profile): string[] {
  const out = p.sample.map((s, i) => {
    const stack = s.location
      .map((l) => `${l.address.toString(16)}:${l.line.map((ln) => `${ln.function.name}@${ln.line}`).join(',')}`)
      .join(';');
    const labels = s.label
      ? JSON.stringify(
          Object.keys(s.label)
            .sort()
            .map((k) => [k, s.label![k]]),
        )
      : '';
    const num = s.numLabel
      ? JSON.stringify(
          Object.keys(s.numLabel)
            .sort()
            .map((k) => [k, s.numLabel![k], s.numUnit?.[k]]),
        )
      : '';
    const values = (p.exactValues?.[i] ?? s.value).map(String).join(',');
    return `${stack} ${labels} ${num} = ${values}`;
  });
  return out.sort();
}

const cases = diffCases();

describe('diffProfiles equals the profile pprof merges', () => {
  for (const c of cases.filter((k) => !k.error)) {
    for (const mode of ['diff_base', 'base'] as const) {
      it(`${c.name} -${mode}`, () => {
        const want = load(refPath(c, `${mode}.pb.gz`));
        const got = diffProfiles(load(c.newer), load(c.base), { mode });
        expect(got.sampleType).toEqual(want.sampleType);
        expect(got.defaultSampleType).toBe(want.defaultSampleType);
        expect(got.periodType).toEqual(want.periodType);
        expect(got.period).toBe(want.period);
        expect(got.durationNanos).toBe(want.durationNanos);
        expect(got.timeNanos).toBe(want.timeNanos);
        expect(got.comments).toEqual(want.comments);
        expect(got.sample.length).toBe(want.sample.length);
        expect(sampleSet(got)).toEqual(sampleSet(want));
        // Only diff_base marks base samples.
        expect(got.sample.some(isDiffBaseSample)).toBe(mode === 'diff_base' && want.sample.some(isDiffBaseSample));
      });
    }
  }
});

describe('refused pairs', () => {
  for (const c of cases.filter((k) => k.error)) {
    it(`${c.name}: pprof says "${c.error}"; we refuse too`, () => {
      const reason = c.error!.startsWith('period type')
        ? /^period type: incompatible types: cpu\/nanoseconds wall\/nanoseconds$/
        : /^profiles have no sample type in common/;
      expect(() => diffProfiles(load(c.newer), load(c.base), { mode: 'diff_base' })).toThrow(IncompatibleProfilesError);
      expect(() => diffProfiles(load(c.newer), load(c.base), { mode: 'base' })).toThrow(reason);
    });
  }
});

describe('unit conversion between profiles (measurement.ScaleProfiles)', () => {
  it('a profile in microseconds is converted to the finer nanoseconds before merging', () => {
    const c = cases.find((k) => k.name.startsWith('go.cpu'))!;
    const p = load(c.newer);
    const ci = p.sampleType.findIndex((t) => t.unit === 'nanoseconds');
    // The same profile expressed in microseconds (values divided by 1000, exact here: CPU
    // samples are multiples of the 10ms period).
    const us: Profile = {
      ...p,
      sampleType: p.sampleType.map((t, i) => (i === ci ? { ...t, unit: 'microseconds' } : t)),
      sample: p.sample.map((s) => ({ ...s, value: s.value.map((v, i) => (i === ci ? v / 1000 : v)) })),
    };
    expect(us.sample.every((s) => Number.isInteger(s.value[ci]!))).toBe(true);
    const d = diffProfiles(p, us, { mode: 'base' });
    // Equal after conversion: everything cancels, and the result is in nanoseconds.
    expect(d.sample.length).toBe(0);
    expect(d.sampleType[ci]!.unit).toBe('nanoseconds');
    const reversed = diffProfiles(us, p, { mode: 'base' });
    expect(reversed.sample.length).toBe(0);
    expect(reversed.sampleType[ci]!.unit).toBe('nanoseconds');
  });
});

describe('merge basics on a real profile', () => {
  const c = cases.find((k) => !k.error)!;
  it('a profile minus itself cancels to no samples', () => {
    const p = load(c.newer);
    expect(merge([p, scale(p, -1)]).sample.length).toBe(0);
  });
  it('merging a profile with itself doubles every value and keeps the stacks', () => {
    const p = load(c.newer);
    const m = merge([p, p]);
    const sum = (q: Profile) => q.sample.reduce((a, s) => a + s.value.reduce((x, y) => x + Math.abs(y), 0), 0);
    expect(sum(m)).toBe(2 * sum(p));
    expect(m.durationNanos).toBe(2n * p.durationNanos);
  });
});
