// Goroutine rules (issue #14) on real goroutine profiles of tests/fixtures/insights/parked
// (made by scripts/make-insights-fixtures.sh, committed): a leak that is most of a small
// program, healthy pools and pipelines that must stay silent, Go 1.26's goroutineleak
// profile, and growth against a base profile.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { InsightsQueryError, computeInsights } from '../../server/src/insights/engine.js';
import type { Profile } from '../../server/src/model/profile.js';
import { ROOT, byRule, load } from './insights-helpers.js';

const P = (m: string) => join(ROOT, 'tests/fixtures/insights/parked/profiles', `${m}.goroutine.pb.gz`);

/**
 * The same goroutines as Go 1.26's goroutineleak profile writes them: runtime/pprof's
 * count-profile encoding under the name "goroutineleak" (sample type and period type
 * goroutineleak/count), holding only the stacks the GC proved unreachable. No Go 1.26
 * toolchain here, so the leaked stacks of a real goroutine profile are relabelled.
 */
function asLeakProfile(p: Profile, keep: RegExp): Profile {
  const sample = p.sample.filter((s) => s.location.some((l) => l.line.some((ln) => keep.test(ln.function.name))));
  return {
    ...p,
    sampleType: [{ ...p.sampleType[0], type: 'goroutineleak', unit: 'count' }],
    periodType: p.periodType ? { ...p.periodType, type: 'goroutineleak', unit: 'count' } : p.periodType,
    sample,
  };
}

describe('goroutine.leak scales with the program', () => {
  it('8 of 9 goroutines parked on one send in a closure: a finding (low confidence, saying why)', () => {
    const r = computeInsights(load(P('smallleak')));
    const [f] = byRule(r, 'goroutine.leak');
    expect(f.functions[0].name).toBe('main.firstOf.func1');
    expect(f.value).toBe(8);
    expect(f.confidence).toBe('low');
    expect(f.evidence.join('\n')).toMatch(/Confidence is low: 8 goroutines are 88\.9% of this program/);
    expect(f.evidence.join('\n')).toContain('the go statement is in main.firstOf');
  });

  it('3 of 4 goroutines on the send: still the leak, whatever the absolute count', () => {
    const [f] = byRule(computeInsights(load(P('tinyleak'))), 'goroutine.leak');
    expect(f.functions[0]).toMatchObject({ name: 'main.firstOf.func1', line: 32 });
    expect(f.value).toBe(3);
    expect(f.confidence).toBe('low');
  });

  it('healthy pools (select, or a receive in a loop: 8 of 9 goroutines) and a producer under back-pressure stay silent', () => {
    expect(computeInsights(load(P('pool'))).findings).toEqual([]);
    expect(computeInsights(load(P('recvpool'))).findings).toEqual([]);
    expect(computeInsights(load(P('pipeline'))).findings).toEqual([]);
  });
});

describe('goroutine.proven-leak (goroutineleak profile)', () => {
  it('every stack of the leak profile is a proven leak, whatever its count; no goroutine.leak guess beside it', () => {
    const p = asLeakProfile(load(P('smallleak')), /^main\.firstOf\.func1$/);
    const r = computeInsights(p);
    expect(r.kind).toBe('goroutine');
    expect(r.findings.map((f) => f.rule)).toEqual(['goroutine.proven-leak']);
    const [f] = r.findings;
    expect(f.confidence).toBe('high');
    expect(f.severity).toBe('warning');
    expect(f.value).toBe(8);
    expect(f.functions[0]).toMatchObject({ name: 'main.firstOf.func1', line: 32 });
    // One leaked goroutine is still a proven leak.
    const one = asLeakProfile(load(P('smallleak')), /^main\.firstOf\.func1$/);
    one.sample = [{ ...one.sample[0], value: [1] }];
    expect(byRule(computeInsights(one), 'goroutine.proven-leak')[0].title).toMatch(/^1 leaked goroutine blocked on chan send/);
  });
});

describe('goroutine.proven-leak on real Go 1.26 goroutineleak profiles (tests/fixtures/insights-eval)', () => {
  const E = (c: string) => join(ROOT, 'tests/fixtures/insights-eval/cases', c, 'goroutineleak.pb.gz');
  it('the receive leak the GC proved is reported, although a receive crowd alone never is', () => {
    const p = load(E('goroutineleak-recv'));
    expect(p.sampleType.map((t) => `${t.type}/${t.unit}`)).toEqual(['goroutineleak/count']);
    const r = computeInsights(p);
    expect(r.findings.map((f) => `${f.rule} ${f.functions[0].name}:${f.functions[0].line}`)).toEqual([
      'goroutine.proven-leak main.(*session).watch:81',
    ]);
    expect(r.findings[0].title).toMatch(/blocked on chan receive/);
  });

  it('an empty leak profile says that nothing was proven, not that it is no Go profile', () => {
    const r = computeInsights(load(E('goroutineleak-clean')));
    expect(r.isGo).toBe(true);
    expect(r.findings).toEqual([]);
    expect(r.notes.join(' ')).toMatch(/lists no goroutines/);
  });
});

describe('goroutine.growth (a base profile)', () => {
  it('the leaked senders grew from 8 to 32 between two profiles', () => {
    const r = computeInsights(load(P('growth.2')), undefined, { base: load(P('growth.1')) });
    const [g] = byRule(r, 'goroutine.growth');
    expect(g.title).toBe('Goroutines blocked on chan send in main.firstOf.func1 grew from 8 to 32');
    expect(g.functions[0].name).toBe('main.firstOf.func1');
    expect(g.confidence).toBe('high');
  });

  it('no growth against itself or a larger base; a base of another kind is a clear error', () => {
    const p = load(P('growth.2'));
    expect(byRule(computeInsights(p, undefined, { base: load(P('growth.2')) }), 'goroutine.growth')).toEqual([]);
    expect(byRule(computeInsights(load(P('growth.1')), undefined, { base: p }), 'goroutine.growth')).toEqual([]);
    const cpu = load(join(ROOT, 'tests/fixtures/insights/cpuwork/profiles/tuned.cpu.pb.gz'));
    expect(() => computeInsights(p, undefined, { base: cpu })).toThrow(InsightsQueryError);
    expect(() => computeInsights(p, undefined, { base: cpu })).toThrow(/goroutine growth only/);
  });
});
