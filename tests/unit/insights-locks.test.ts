// Contention rules and the caller edge (issue #14): a mutex locked inside a library
// (log.Logger's) is not a critical section of the user's, so neither mutex.hot-lock nor
// block.lock-wait may name the user function that called the library. Real mutex and
// block profiles of tests/fixtures/insights/locks (scripts/make-insights-fixtures.sh).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { computeInsights } from '../../server/src/insights/engine.js';
import { ROOT, byRule, load } from './insights-helpers.js';

const L = (f: string) => join(ROOT, 'tests/fixtures/insights/locks/profiles', f);

describe('locks', () => {
  it("log.Logger's own mutex: silent, although main.handle is the first user frame above it", () => {
    const p = load(L('log.mutex.pb.gz'));
    // The delay is there, charged to the Unlock inside log.(*Logger).output.
    const names = p.sample.flatMap((s) => s.location.flatMap((l) => l.line.map((ln) => ln.function.name)));
    expect(names).toContain('log.(*Logger).output');
    expect(names).toContain('main.handle');
    expect(computeInsights(p).findings).toEqual([]);
    expect(computeInsights(load(L('log.block.pb.gz'))).findings).toEqual([]);
  });

  it("the user's own mutex: mutex.hot-lock at the Unlock and block.lock-wait at the Lock, in main.(*stats).record", () => {
    const m = byRule(computeInsights(load(L('own.mutex.pb.gz'))), 'mutex.hot-lock');
    expect(m.map((f) => `${f.functions[0].name}:${f.functions[0].line}`)).toEqual(['main.(*stats).record:32']);
    const b = byRule(computeInsights(load(L('own.block.pb.gz'))), 'block.lock-wait');
    expect(b.map((f) => `${f.functions[0].name}:${f.functions[0].line}`)).toEqual(['main.(*stats).record:27']);
  });
});
