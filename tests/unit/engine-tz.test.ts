// The Time: legend line in zones other than UTC: Go prints tzdata abbreviations
// (CET, IST, ACDT, GMT, numeric "+04"), which Intl alone does not give. Expected
// outputs: go tool pprof run with those TZ values by scripts/make-references.sh.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topText } from '../../server/src/cli/top.js';
import { REF_DIR, ROOT } from './engine-references.js';

const CASES = path.join(REF_DIR, 'engine-tz/cases.tsv');
const saved = process.env.TZ;
afterAll(() => {
  process.env.TZ = saved;
});

describe('Time: header in other zones', () => {
  const rows = existsSync(CASES)
    ? readFileSync(CASES, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split('\t'))
    : [];
  it('has references (run scripts/make-references.sh)', () => {
    expect(existsSync(CASES), `missing ${CASES}: run scripts/make-references.sh`).toBe(true);
    expect(rows.length).toBeGreaterThan(3);
  });
  for (const [zone, input, file] of rows) {
    it(zone, () => {
      process.env.TZ = zone;
      const ours = topText(['-nodecount=3', path.resolve(ROOT, input)]);
      expect(ours).toBe(readFileSync(path.resolve(ROOT, file), 'utf8'));
    });
  }
});
