// CPU rules on real CPU profiles of tests/fixtures/insights/cpuwork (one runtime pattern
// per mode, made by scripts/make-insights-fixtures.sh and committed: CPU shares vary
// between runs, so the tests read one fixed run of the real program). Each
// pattern rule fires on its own mode and on no other (the other modes are its negatives);
// the tuned mode, doing the same work the cheap way, gets no findings at all.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { A_BOXING, A_CONCAT, A_MAP_GROW, PROF_OVERHEAD } from '../../server/src/insights/patterns.js';
import { ROOT, insights, pprofFocusedPct } from './insights-helpers.js';

const DIR = join(ROOT, 'tests/fixtures/insights/cpuwork/profiles');
const MODES = ['sprintf', 'boxing', 'mapgrow', 'concat', 'lock', 'tuned'];
const file = (m: string) => join(DIR, `${m}.cpu.pb.gz`);

/** The rule each mode exists for, and the user function it must name. */
const EXPECT: Record<string, { rule: string; concept: string; fn: string } | null> = {
  sprintf: { rule: 'cpu.sprintf', concept: 'sprintf-vs-strconv', fn: 'main.formatKeys' },
  boxing: { rule: 'cpu.interface-boxing', concept: 'interface-boxing', fn: 'main.boxValues' },
  mapgrow: { rule: 'cpu.map-growth', concept: 'preallocation', fn: 'main.fillMap' },
  concat: { rule: 'cpu.string-concat', concept: 'strings-builder', fn: 'main.concatIDs' },
  lock: { rule: 'cpu.lock-contention', concept: 'atomics-vs-mutex', fn: 'main.(*counter).add' },
  tuned: null,
};
const PATTERN_RULES = [
  'cpu.slice-growth',
  'cpu.map-growth',
  'cpu.string-concat',
  'cpu.sprintf',
  'cpu.interface-boxing',
  'cpu.lock-contention',
];

beforeAll(() => {
  const missing = MODES.filter((m) => !existsSync(file(m)));
  if (missing.length) throw new Error(`missing CPU fixtures ${missing.join(', ')}: run scripts/make-insights-fixtures.sh`);
});

describe.each(MODES)('cpuwork %s', (mode) => {
  it('fires exactly its own pattern rule, at the user function', () => {
    const r = insights(file(mode));
    expect(r.kind).toBe('cpu');
    const fired = r.findings.map((f) => f.rule).filter((x) => PATTERN_RULES.includes(x));
    const want = EXPECT[mode];
    if (!want) {
      expect(r.findings).toEqual([]);
      return;
    }
    expect(fired).toEqual([want.rule]);
    const f = r.findings.find((x) => x.rule === want.rule)!;
    expect(f.concept).toBe(want.concept);
    expect(f.functions[0].name).toBe(want.fn);
    expect(f.severity).toBe('warning');
  });
});

describe('shares agree with go tool pprof -focus', () => {
  it.each([
    ['boxing', A_BOXING, 'cpu.interface-boxing'],
    ['concat', A_CONCAT, 'cpu.string-concat'],
    ['mapgrow', A_MAP_GROW, 'cpu.map-growth'],
  ] as const)('%s', (mode, re, rule) => {
    const f = insights(file(mode)).findings.find((x) => x.rule === rule)!;
    expect(f.share * 100).toBeCloseTo(pprofFocusedPct(file(mode), re.source, PROF_OVERHEAD.source), 1);
  });
});
