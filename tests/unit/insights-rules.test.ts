// Insights rules on real profiles: the shared Go 1.19/1.22/1.24/1.26 corpus (one program,
// four toolchains), with the numbers cross-checked against `go tool pprof`.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { stackSamples, type StackSample } from '../../server/src/insights/frames.js';
import { ruleInput } from '../../server/src/insights/engine.js';
import { matchSignal } from '../../server/src/insights/rules/cpu.js';
import { A_BOXING, A_CONCAT, A_FMT, A_GROWSLICE, A_MAP_GROW, LOCK_CPU } from '../../server/src/insights/patterns.js';
import { classifyLadder } from '../../server/src/insights/rules/heap.js';
import { isUserFrame } from '../../server/src/insights/frames.js';
import { GC_IDLE, GC_PARTS, PROF_OVERHEAD } from '../../server/src/insights/patterns.js';
import { GO_VERSIONS, GO_VERSIONS_DIR, byRule, forFunction, insights, load, pprofFocusedPct, pprofTop } from './insights-helpers.js';

const file = (v: string, kind: string) => join(GO_VERSIONS_DIR, v, `${kind}.pb.gz`);

/** Samples whose allocating line is in `fn` (heap profiles: leaf frame). */
function ladderOf(v: string, fn: string) {
  const p = load(file(v, 'allocs'));
  const names = p.sampleType.map((t) => t.type);
  const samples = stackSamples(p, names.indexOf('alloc_space'), names.indexOf('alloc_objects')).filter((s) => s.frames[0]?.name === fn);
  return classifyLadder(samples);
}

describe.each(GO_VERSIONS)('Go %s corpus', (v) => {
  it('heap: size ladders tell append growth (geometric) from += concatenation (dense)', () => {
    expect(ladderOf(v, 'main.appendNoPrealloc').kind).toBe('geometric');
    expect(ladderOf(v, 'main.mapInt').kind).toBe('geometric');
    expect(ladderOf(v, 'main.concatLoop').kind).toBe('dense');
    // Negatives: fixed-size allocations are no ladder.
    expect(ladderOf(v, 'main.newPtr').kind).toBe('none');
    expect(ladderOf(v, 'main.boxing').kind).toBe('none');
  });

  it("heap.slice-growth points at main.appendNoPrealloc with pprof's flat share", () => {
    const r = insights(file(v, 'allocs'));
    expect(r.sampleType.type).toBe('alloc_space');
    const f = forFunction(r, 'heap.slice-growth', 'main.appendNoPrealloc');
    expect(f).toBeDefined();
    expect(f!.concept).toBe('preallocation');
    expect(f!.functions[0].line).toBeGreaterThan(0);
    // Every allocation at that line is part of the ladder: the share is pprof's flat%.
    const ref = pprofTop(file(v, 'allocs'), 'alloc_space').get('main.appendNoPrealloc')!;
    expect(f!.share * 100).toBeCloseTo(ref.flatPct, 1);
    // Negative: the fixed-size &Node{} loop (newPtr) is never called growth.
    expect(forFunction(r, 'heap.slice-growth', 'main.newPtr')).toBeUndefined();
    // The heap profile of the same run gives the same findings (rules read alloc_space).
    const h = insights(file(v, 'heap'));
    expect(h.findings.map((x) => `${x.rule} ${x.functions[0].name}`)).toEqual(r.findings.map((x) => `${x.rule} ${x.functions[0].name}`));
  });

  it('heap.buffer-growth names the caller of bytes/strings growth, never the stdlib frame', () => {
    const r = insights(file(v, 'allocs'));
    const [f] = byRule(r, 'heap.buffer-growth');
    expect(f?.functions.map((x) => x.name)).toEqual(['main.bufWork']);
    for (const x of r.findings) for (const fn of x.functions) expect(isUserFrame(fn.name)).toBe(true);
  });

  it('goroutine.leak reports the 100 senders, not the receivers, small or sleeping groups', () => {
    const r = insights(file(v, 'goroutine'));
    const leaks = byRule(r, 'goroutine.leak');
    expect(leaks.map((f) => [f.functions[0].name, f.value])).toEqual([['main.leakSend', 100]]);
    expect(leaks[0].title).toContain('chan send');
    const ref = pprofTop(file(v, 'goroutine'));
    expect(leaks[0].share * 100).toBeCloseTo(ref.get('main.leakSend')!.cumPct, 1);
    // Issue #14: 50 goroutines on a receive look exactly like an idle pool in one snapshot
    // (growth against a base or the goroutineleak profile proves a receive leak); 30 in
    // select, 10 on a mutex, 5 on a WaitGroup, 2 sleeping: no single-snapshot finding either.
    for (const fn of ['main.leakRecv', 'main.leakSelect', 'main.leakMutex', 'main.leakWG', 'main.leakCond', 'main.leaks.func1']) {
      expect(forFunction(r, 'goroutine.leak', fn)).toBeUndefined();
    }
  });

  it('mutex.hot-lock blames the Unlock in main.contention.func1, never runtime-internal locks', () => {
    const r = insights(file(v, 'mutex'));
    const [f] = byRule(r, 'mutex.hot-lock');
    expect(f.functions.map((x) => x.name)).toEqual(['main.contention.func1']);
    expect(f.concept).toBe('atomics-vs-mutex');
    const ref = pprofTop(file(v, 'mutex'), 'delay').get('main.contention.func1')!;
    expect(f.share * 100).toBeCloseTo(ref.cumPct, 1);
  });

  it('block profile: channel hand-offs and WaitGroup waits are expected, so no findings', () => {
    const r = insights(file(v, 'block'));
    expect(r.findings).toEqual([]);
    expect(r.notes.join(' ')).toMatch(/No rule found/);
  });

  it('cpu.gc-pressure fires on this allocation-heavy program and names main.gcPressure first', () => {
    const r = insights(file(v, 'cpu'));
    const [f] = byRule(r, 'cpu.gc-pressure');
    expect(f.share).toBeGreaterThanOrEqual(0.1);
    expect(f.functions[0].name).toBe('main.gcPressure');
    expect(f.concept).toBe('garbage-collector');
    expect(f.advice).toMatch(/GOGC/);
    expect(f.advice).toMatch(/GOMEMLIMIT/);
    expect(f.commands.join('\n')).toMatch(/alloc_space/);
    // The same selection through pprof: keep samples with a GC frame, drop idle marking
    // and the profiler's own work.
    const focus = GC_PARTS.map(([, re]) => re.source).join('|');
    const ignore = `${GC_IDLE.source}|${PROF_OVERHEAD.source}`;
    expect(f.share * 100).toBeCloseTo(pprofFocusedPct(file(v, 'cpu'), focus, ignore), 1);
  });

  it("CPU: each runtime signal is recognised under this version's names and traced to the right user function", () => {
    // Shares here are below the rules' thresholds (the program does many things at once);
    // this checks the name patterns, not the thresholds.
    const input = ruleInput(load(file(v, 'cpu')));
    const syncOnly = (s: StackSample, at: number) => /^(internal\/)?sync\./.test(s.frames[at].name);
    const cases: [RegExp, string[], ((s: StackSample, at: number) => boolean)?][] = [
      [A_GROWSLICE, ['main.appendNoPrealloc', 'main.gcPressure']],
      [A_MAP_GROW, ['main.mapInt', 'main.mapNoPrealloc']],
      [A_CONCAT, ['main.concatLoop', 'main.concat3', 'main.boxing']],
      [A_BOXING, ['main.boxing']],
      [A_FMT, ['main.sprintfLoop']],
      [LOCK_CPU, ['main.contention.func1'], syncOnly],
    ];
    for (const [re, allowed, accept] of cases) {
      const sites = matchSignal(input, re, accept)
        .table.functions(input.total, 0)
        .map((f) => f.name);
      expect(sites.length, re.source).toBeGreaterThan(0);
      expect(
        sites.some((n) => allowed.includes(n)),
        `${re.source}: ${sites.join(',')}`,
      ).toBe(true);
      for (const n of sites) expect(isUserFrame(n)).toBe(true);
    }
  });

  it('threadcreate: no rules for other profile kinds', () => {
    expect(insights(file(v, 'threadcreate')).findings).toEqual([]);
  });
});

describe('Go version fingerprint', () => {
  it('recognises 1.24+ and 1.26+ runtime names', () => {
    expect(insights(file('1.26', 'cpu')).goVersion).toBe('>=1.26');
    expect(insights(file('1.24', 'cpu')).goVersion).toBe('>=1.24');
    expect(insights(file('1.19', 'cpu')).goVersion).toBe('<=1.21');
  });
});

describe('sample index', () => {
  it('honours si and rejects unknown sample types', () => {
    expect(insights(file('1.26', 'allocs'), 'alloc_objects').sampleType.type).toBe('alloc_objects');
    expect(insights(file('1.26', 'heap'), 'inuse_space').sampleType.type).toBe('inuse_space');
    expect(() => insights(file('1.26', 'heap'), 'bogus')).toThrow(/unknown sample type "bogus"/);
  });
});

describe('closure names', () => {
  it('maps a function literal or go wrapper to the function holding the go statement', async () => {
    const { closureParent } = await import('../../server/src/insights/rules/goroutine.js');
    expect(closureParent('main.fetchWithTimeout.func1')).toBe('main.fetchWithTimeout');
    expect(closureParent('example.com/app/srv.(*S).run.func2.1')).toBe('example.com/app/srv.(*S).run');
    expect(closureParent('main.leaks.gowrap3')).toBe('main.leaks');
    expect(closureParent('main.leakSend')).toBeNull();
  });
});
