// Values beyond 2^53: the engine must accumulate exact int64 sums (BigInt) as pprof
// does, not doubles. Input built by scripts/make-engine-inputs.ts; pprof's output for
// it is checked line by line in top-references.test.ts (slug engine-exact). Here:
// the exact path is really taken, and the double path would print other digits.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import { computeTop, formatTopText } from '../../server/src/report/index.js';
import { loadManifest, REF_DIR, ROOT } from './engine-references.js';

process.env.TZ = 'UTC';
const INPUT = path.join(REF_DIR, 'inputs/exact.pb.gz');

describe('exact int64 accumulation', () => {
  it('matches go tool pprof where doubles would not', () => {
    expect(existsSync(INPUT), 'run scripts/make-references.sh').toBe(true);
    const ref = loadManifest().cases.find((c) => c.slug === 'engine-exact' && c.name === 'si_count');
    expect(ref, 'engine-exact/si_count reference').toBeTruthy();
    const expected = readFileSync(path.join(ROOT, ref!.expected), 'utf8');
    const p = decodeProfile(readFileSync(INPUT));
    expect(p.exactValues).not.toBeNull();
    const exact = formatTopText(computeTop(p, { sampleIndex: 'count' }));
    expect(exact).toBe(expected);
    // the same profile summed in doubles prints different digits
    const approx = formatTopText(computeTop({ ...p, exactValues: null }, { sampleIndex: 'count' }));
    expect(approx).not.toBe(expected);
  });
  it('exact figures are exposed as decimal strings', () => {
    const p = decodeProfile(readFileSync(INPUT));
    const r = computeTop(p, { sampleIndex: 'count' });
    expect(r.exact).toBeDefined();
    const sum = r.exact!.flat.reduce((a, b) => a + BigInt(b), 0n);
    expect(sum.toString()).toBe(r.exact!.total);
  });
});
