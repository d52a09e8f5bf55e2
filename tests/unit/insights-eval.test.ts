// Precision and recall of the insights rules on the labelled evaluation set
// (tests/fixtures/insights-eval: real profiles of programs written for it, each with its
// expected findings and silences). A finding is right only when its rule matches a label,
// it names the labelled function (at the labelled file:line, where the label gives one) and
// every function it names is labelled for its rule; every other finding is false. The bar (issue 14): precision 1.0 and recall 0.9, overall and per rule.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, InsightsReport } from '../../contract/insights.js';
import type { EvalCase } from './insights-eval-score.js';
import {
  RULE_IDS,
  belowBar,
  formatMisses,
  formatScoreTable,
  loadEvalCases,
  precision,
  recall,
  scoreEval,
  staleLabels,
} from './insights-eval-score.js';

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

  it('labels only functions and lines that occur in their profile', () => {
    expect(staleLabels(cases)).toEqual([]);
  });

  it('meets precision 1.0 and recall 0.9 per rule and overall', () => {
    const score = scoreEval(cases);
    const misses = formatMisses(score);
    console.log(`${formatScoreTable(score)}\n\n${misses}`);
    expect(belowBar(score), misses).toEqual([]);
  });
});

describe('scoring', () => {
  const finding = (rule: string, fns: [string, number][]): Finding => ({
    rule,
    concept: '',
    related: [],
    title: '',
    severity: 'info',
    confidence: 'high',
    value: 1,
    share: 1,
    functions: fns.map(([name, line]) => ({ name, file: 'main.go', line, value: 1, share: 1 })),
    evidence: [],
    advice: '',
    commands: [],
    highlight: '',
  });
  const report = (findings: Finding[]): InsightsReport => ({
    kind: 'cpu',
    sampleType: { type: 'cpu', unit: 'nanoseconds' },
    total: 1,
    goVersion: '',
    isGo: true,
    findings,
    notes: [],
  });
  const one: EvalCase = {
    id: 'c',
    dir: '/nowhere',
    program: '',
    go: '',
    profiles: [
      {
        file: 'cpu.pb.gz',
        trap: true,
        why: 'test',
        expect: [{ rule: 'cpu.library-hotspot', function: 'main.scan', line: 37 }],
        optional: [{ rule: 'cpu.allocation', function: 'main.scan' }],
        silent: ['cpu.slice-growth'],
      },
    ],
  };
  const score = (findings: Finding[]) => {
    const s = scoreEval([one], () => report(findings));
    return { s, rule: (r: string) => s.rules.find((x) => x.rule === r)! };
  };

  it('counts a finding at the labelled function and line as found, optional ones neither way', () => {
    const { s, rule } = score([finding('cpu.library-hotspot', [['main.scan', 37]]), finding('cpu.allocation', [['main.scan', 12]])]);
    expect(rule('cpu.library-hotspot')).toMatchObject({ positives: 1, tp: 1, fn: 0, fp: 0 });
    expect(rule('cpu.allocation')).toMatchObject({ positives: 0, tp: 0, fp: 0 });
    expect([precision(s.total), recall(s.total)]).toEqual([1, 1]);
    expect(belowBar(s)).toEqual([]);
  });

  it('counts the wrong line, an extra blamed function and a silenced rule as false', () => {
    const { s, rule } = score([
      finding('cpu.library-hotspot', [['main.scan', 38]]),
      finding('cpu.library-hotspot', [
        ['main.scan', 37],
        ['main.other', 5],
      ]),
      finding('cpu.slice-growth', [['main.scan', 37]]),
    ]);
    expect(rule('cpu.library-hotspot')).toMatchObject({ positives: 1, tp: 0, fn: 1, fp: 2 });
    expect(rule('cpu.slice-growth')).toMatchObject({ positives: 0, fp: 1 });
    expect(s.profiles[0].wrong).toContain('cpu.slice-growth [main.scan:37] (must be silent)');
    expect(belowBar(s)).toEqual([
      'cpu.library-hotspot: precision 0.00 (2 false)',
      'cpu.library-hotspot: recall 0.00 (1 of 1 missed)',
      'cpu.slice-growth: precision 0.00 (1 false)',
      'all rules: precision 0.00 (3 false)',
      'all rules: recall 0.00 (1 of 1 missed)',
    ]);
  });
});
