// Every `-top` case recorded from go tool pprof (scripts/make-references.sh) must be
// reproduced line for line by our CLI parser + engine, including every header line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstDiff, loadManifest, ROOT, runOurs, type RefCase } from './engine-references.js';

process.env.TZ = 'UTC';
let cases: RefCase[] = [];
let loadError: Error | null = null;
try {
  cases = loadManifest().cases.filter((c) => c.mode === 'top');
} catch (e) {
  loadError = e as Error;
}

describe('top matches go tool pprof -top', () => {
  it('has references', () => {
    if (loadError) throw loadError;
    expect(cases.length).toBeGreaterThan(100);
  });
  const bySlug = new Map<string, RefCase[]>();
  for (const c of cases) bySlug.set(c.slug, [...(bySlug.get(c.slug) ?? []), c]);
  for (const [slug, list] of bySlug) {
    describe(slug, () => {
      for (const c of list) {
        it(`${c.name} ${c.args.join(' ')}`, () => {
          const expected = readFileSync(path.join(ROOT, c.expected), 'utf8');
          const r = runOurs(c);
          if (c.rc !== 0) {
            expect(r.error, 'pprof failed, so must we').toBeTruthy();
            return;
          }
          expect(r.error).toBeUndefined();
          const d = firstDiff(r.out, expected);
          expect(d, d ?? '').toBeNull();
          // pprof's "<Option> expression matched no samples" warnings (stderr) must match too.
          const goWarn = c.stderr.split('\n').filter((l) => l.endsWith('expression matched no samples'));
          expect(r.warnings.filter((l) => l.endsWith('expression matched no samples'))).toEqual(goWarn);
        });
      }
    });
  }
});
