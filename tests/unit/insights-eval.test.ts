// Precision and recall of the insights rules on the labelled evaluation set
// (tests/fixtures/insights-eval: real profiles of programs written for it, each with its
// expected findings and silences). A finding is right only when its rule matches a label
// and it names the labelled function (and line, where the label gives one); every other
// finding is false. The bar (issue 14): precision 1.0 and recall 0.9, overall and per rule.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_IDS, belowBar, formatMisses, formatScoreTable, loadEvalCases, scoreEval } from './insights-eval-score.js';

const cases = loadEvalCases();
const profiles = cases.flatMap((c) => c.profiles.map((p) => ({ c, p })));

describe('insights evaluation set', () => {
  it('has at least 30 labelled profiles, a third of them traps, every kind of profile', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(30);
    expect(profiles.filter(({ p }) => p.trap).length * 3).toBeGreaterThanOrEqual(profiles.length);
    for (const { c, p } of profiles) {
      expect(existsSync(join(c.dir, p.file)), `${c.id}/${p.file}`).toBe(true);
      if (p.base) expect(existsSync(join(c.dir, p.base)), `${c.id}/${p.base}`).toBe(true);
    }
    const files = profiles.map(({ p }) => p.file.split('/').pop() ?? '');
    for (const kind of ['cpu', 'heap', 'allocs', 'goroutine', 'goroutineleak', 'mutex', 'block'])
      expect(
        files.some((f) => f === `${kind}.pb.gz`),
        kind,
      ).toBe(true);
  });

  it('labels every rule with positives somewhere', () => {
    const labelled = new Set(profiles.flatMap(({ p }) => p.expect.map((l) => l.rule)));
    expect(RULE_IDS.filter((r) => !labelled.has(r))).toEqual([]);
  });

  it('meets precision 1.0 and recall 0.9 per rule and overall', () => {
    const score = scoreEval(cases);
    const misses = formatMisses(score);
    console.log(`${formatScoreTable(score)}\n\n${misses}`);
    expect(belowBar(score), misses).toEqual([]);
  });
});
