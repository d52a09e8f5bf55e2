// Merging several profiles against `go tool pprof -top A B C` (references written by
// scripts/make-merge-references.sh): `pprof-lens top A B C` prints the same text, and the
// file `pprof-lens merge -o OUT A B C` writes reads back in go tool pprof with the same
// numbers. Incompatible sets are refused with a message naming the files.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMerge } from '../../server/src/cli/merge.js';
import { topText } from '../../server/src/cli/top.js';
import { UsageError } from '../../server/src/cli/flags.js';
import { ensureReferences, ROOT } from './diff-references.js';

const DIR = join(ROOT, 'tests/.references/merge');
ensureReferences(DIR, join(ROOT, 'scripts/make-merge-references.sh'), '.inputs.txt');

interface MergeCase {
  name: string;
  files: string[];
  error: string | null;
  /** Reference outputs by suffix: "top.txt", "si_cpu.top.txt", ... */
  outputs: string[];
}

const all = readdirSync(DIR);
const cases: MergeCase[] = all
  .filter((f) => f.endsWith('.inputs.txt'))
  .map((f) => {
    const name = f.slice(0, -'.inputs.txt'.length);
    const err = join(DIR, `${name}.err.txt`);
    return {
      name,
      files: readFileSync(join(DIR, f), 'utf8')
        .trim()
        .split(' ')
        .map((x) => resolve(ROOT, x)),
      error: existsSync(err) ? readFileSync(err, 'utf8').trim() : null,
      outputs: all.filter((g) => g.startsWith(`${name}.`) && g.endsWith('.top.txt')).map((g) => g.slice(name.length + 1)),
    };
  });

function flagsFor(suffix: string): string[] {
  const m = /^si_([a-z_]+)\.top\.txt$/.exec(suffix);
  return m ? [`-sample_index=${m[1]}`] : [];
}

const tmp = mkdtempSync(join(tmpdir(), 'pprof-lens-merge-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const silent = { out: (): void => {}, err: (): void => {} };
let go = '';
function goTool(args: string[]): string {
  if (!go) go = execFileSync('bash', [join(ROOT, 'scripts/ensure-go.sh')], { encoding: 'utf8' }).trim();
  const home = mkdtempSync(join(tmp, 'home-'));
  return execFileSync(go, ['tool', 'pprof', '-symbolize=none', ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', HOME: home, PPROF_TMPDIR: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('merging profiles as go tool pprof A B C', () => {
  it('has reference cases with three or more inputs and a refused set', () => {
    expect(cases.filter((c) => !c.error && c.files.length >= 3).length).toBeGreaterThanOrEqual(2);
    expect(cases.some((c) => c.error)).toBe(true);
  });

  for (const c of cases.filter((k) => !k.error)) {
    for (const out of c.outputs) {
      it(`top ${c.name} ${out}`, { timeout: 60_000 }, () => {
        const want = readFileSync(join(DIR, `${c.name}.${out}`), 'utf8');
        expect(topText([...flagsFor(out), ...c.files]).split('\n')).toEqual(want.split('\n'));
      });
    }
    it(`merge -o writes a profile go tool pprof reads as ${c.name}`, { timeout: 120_000 }, () => {
      const file = join(tmp, `${c.name}.pb.gz`);
      expect(runMerge(['-o', file, ...c.files], silent)).toBe(0);
      for (const out of c.outputs) {
        const want = readFileSync(join(DIR, `${c.name}.${out}`), 'utf8');
        expect(goTool(['-top', ...flagsFor(out), file]).split('\n'), out).toEqual(want.split('\n'));
      }
    });
  }

  for (const c of cases.filter((k) => k.error)) {
    it(`refuses ${c.name} as pprof does (${c.error})`, () => {
      expect(() => topText(c.files)).toThrow(UsageError);
      expect(() => runMerge(['-o', join(tmp, 'refused.pb.gz'), ...c.files], silent)).toThrow(/cannot merge .*no sample type in common/);
      expect(existsSync(join(tmp, 'refused.pb.gz'))).toBe(false);
    });
  }
});
