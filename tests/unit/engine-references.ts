// Shared loader for the go tool pprof references written by scripts/make-references.sh,
// and an in-process runner of our CLI commands (same parser and engine as the binary).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listText } from '../../server/src/cli/list.js';
import { peekText } from '../../server/src/cli/peek.js';
import { tagsText } from '../../server/src/cli/tags.js';
import { topText } from '../../server/src/cli/top.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REF_DIR = path.join(ROOT, 'tests/.references');
export const MANIFEST = path.join(REF_DIR, 'manifest.json');

export interface RefCase {
  slug: string;
  name: string;
  mode: 'top' | 'list' | 'tags' | 'peek' | 'dot';
  input: string;
  args: string[];
  list?: string;
  peek?: string;
  expected: string;
  rc: number;
  stderr: string;
}

export function loadManifest(): { goVersion: string; cases: RefCase[] } {
  if (!existsSync(MANIFEST)) {
    throw new Error(`missing ${path.relative(ROOT, MANIFEST)}: run scripts/make-references.sh (needs Go, see scripts/ensure-go.sh)`);
  }
  return JSON.parse(readFileSync(MANIFEST, 'utf8'));
}

/** Our output for a reference case: stdout text, or the error message. */
export function runOurs(c: RefCase): { out: string; warnings: string[]; error?: string } {
  const warnings: string[] = [];
  const io = { out: (): void => {}, err: (s: string): void => void warnings.push(s.trim()) };
  const input = path.resolve(ROOT, c.input);
  const cwd = process.cwd();
  try {
    process.chdir(ROOT);
    const out =
      c.mode === 'list'
        ? listText([...c.args, c.list!, input])
        : c.mode === 'peek'
          ? peekText([...c.args, c.peek!, input], io)
          : c.mode === 'tags'
            ? tagsText([...c.args, input], io)
            : topText([...c.args, input], io);
    return { out, warnings };
  } catch (e) {
    return { out: '', warnings, error: (e as Error).message };
  } finally {
    process.chdir(cwd);
  }
}

/** First differing line, for a readable failure. */
export function firstDiff(ours: string, theirs: string): string | null {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  ours:  ${JSON.stringify(a[i])}\n  pprof: ${JSON.stringify(b[i])}`;
  }
  return null;
}

/**
 * Every recorded case of one mode must be reproduced line for line by our CLI parser and
 * engine (headers included), failing when the references are missing or too few.
 */
export function describeReferenceCases(mode: RefCase['mode'], minCases: number): void {
  let cases: RefCase[] = [];
  let loadError: Error | null = null;
  try {
    cases = loadManifest().cases.filter((c) => c.mode === mode);
  } catch (e) {
    loadError = e as Error;
  }
  describe(`${mode} matches go tool pprof -${mode}`, () => {
    it('has references', () => {
      if (loadError) throw loadError;
      expect(cases.length).toBeGreaterThan(minCases);
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
}
