// Entry point of the insights layer: decoded profile in, findings out. Pure.
import { resolveSampleIndex } from '../analysis/sampleindex.js';
import type { Profile } from '../model/profile.js';
import { QueryError } from '../model/query.js';
import type { Finding, InsightsReport, ProfileFamily } from '../../../contract/insights.js';
import { guessGoVersion, looksLikeGo, stackSamples } from './frames.js';
import { INSTRUMENTED } from './patterns.js';
import type { Rule, RuleInput } from './rules/common.js';
import { cpuRules } from './rules/cpu.js';
import { heapRules } from './rules/heap.js';
import { goroutineRules } from './rules/goroutine.js';
import { contentionRules } from './rules/contention.js';

/** Unknown sample type requested (HTTP 400). */
export class InsightsQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InsightsQueryError';
  }
}

export function profileFamily(p: Profile): ProfileFamily {
  const types = new Set(p.sampleType.map((t) => t.type));
  if (types.has('alloc_space') || types.has('inuse_space') || types.has('alloc_objects') || types.has('inuse_objects')) return 'heap';
  if (types.has('goroutine') || types.has('goroutineleak')) return 'goroutine';
  if (types.has('delay') || types.has('contentions')) return 'contention';
  if (types.has('cpu') || (types.has('samples') && p.periodType?.type === 'cpu')) return 'cpu';
  return 'other';
}

/**
 * Sample index the rules read: `si` as pprof resolves it (resolveSampleIndex); without one,
 * alloc_space for heap profiles (rules look at allocation churn, so heap and allocs
 * profiles of one run agree), else pprof's default.
 */
export function insightsSampleIndex(p: Profile, si?: string): number {
  const names = p.sampleType.map((t) => t.type);
  if (si !== undefined && si !== '') {
    try {
      return resolveSampleIndex(p, si);
    } catch (e) {
      if (e instanceof QueryError) throw new InsightsQueryError(`unknown sample type "${si}"; this profile has: ${names.join(', ')}`);
      throw e;
    }
  }
  if (profileFamily(p) === 'heap' && names.includes('alloc_space')) return names.indexOf('alloc_space');
  return resolveSampleIndex(p, '');
}

/** The count column that goes with the value column (CPU samples, heap objects, contentions). */
function countIndex(p: Profile, family: ProfileFamily, index: number): number {
  const names = p.sampleType.map((t) => t.type);
  const type = names[index] ?? '';
  if (family === 'cpu') return names.indexOf('samples');
  if (family === 'heap') return names.indexOf(type.startsWith('inuse') ? 'inuse_objects' : 'alloc_objects');
  if (family === 'contention') return names.indexOf('contentions');
  return -1;
}

const RULES: Record<ProfileFamily, Rule[]> = {
  cpu: cpuRules,
  heap: heapRules,
  goroutine: goroutineRules,
  contention: contentionRules,
  other: [],
};

const SEVERITY_ORDER = { warning: 0, info: 1 } as const;

/** The rules' view of a profile (also used by tests to look below the thresholds). */
export function ruleInput(p: Profile, si?: string): RuleInput {
  const family = profileFamily(p);
  const index = insightsSampleIndex(p, si);
  const ci = countIndex(p, family, index);
  const samples = stackSamples(p, index, ci);
  return {
    samples,
    total: samples.reduce((a, s) => a + Math.abs(s.value), 0),
    sampleType: { type: p.sampleType[index].type, unit: p.sampleType[index].unit },
    period: Number(p.period),
    hasCounts: ci >= 0,
    goVersion: guessGoVersion(p),
  };
}

export function computeInsights(p: Profile, si?: string): InsightsReport {
  const family = profileFamily(p);
  const index = p.sampleType.length ? insightsSampleIndex(p, si) : -1;
  const sampleType = index >= 0 ? { type: p.sampleType[index].type, unit: p.sampleType[index].unit } : { type: '', unit: '' };
  const isGo = looksLikeGo(p);
  const report: InsightsReport = {
    kind: family,
    sampleType,
    total: 0,
    goVersion: isGo ? guessGoVersion(p) : '',
    isGo,
    findings: [],
    notes: [],
  };
  if (index < 0) {
    report.notes.push('The profile has no sample types.');
    return report;
  }
  const ci = countIndex(p, family, index);
  const samples = stackSamples(p, index, ci);
  const total = samples.reduce((a, s) => a + Math.abs(s.value), 0);
  report.total = total;
  if (family === 'other') {
    report.notes.push(`No insights rules exist for this kind of profile (${p.sampleType.map((t) => t.type).join(', ')}).`);
    return report;
  }
  if (!isGo) {
    report.notes.push('No Go runtime frames in this profile: the insights rules only understand Go programs.');
    return report;
  }
  if (total <= 0) {
    report.notes.push(
      family === 'contention'
        ? 'The profile holds no samples. Mutex and block profiles stay empty unless runtime.SetMutexProfileFraction / runtime.SetBlockProfileRate enable them.'
        : 'The profile holds no samples for this sample type.',
    );
    return report;
  }
  if (samples.some((s) => s.value < 0)) {
    report.notes.push('The profile has negative values (a diff); rules only run on ordinary profiles.');
    return report;
  }
  if (p.function.some((f) => INSTRUMENTED.test(f.name))) {
    report.notes.push(
      'This binary was built with -race or checkptr instrumentation: timings and allocations are not representative, so no rules were run.',
    );
    return report;
  }
  const input: RuleInput = {
    samples,
    total,
    sampleType,
    period: Number(p.period),
    hasCounts: ci >= 0,
    goVersion: report.goVersion,
  };
  const findings: Finding[] = [];
  for (const rule of RULES[family]) findings.push(...rule(input));
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.share - a.share || a.rule.localeCompare(b.rule));
  report.findings = findings;
  if (!findings.length) report.notes.push('No rule found a strong enough signal in this profile (rules stay silent rather than guess).');
  return report;
}
