// Locates (and on first use generates) the `go tool pprof` comparison references
// written by scripts/make-diff-references.sh.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Query, TopOptions } from '../../contract/query.js';
import type { DiffOptions } from '../../contract/diff.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REF_DIR = join(ROOT, 'tests/.references/diff');

const SCRIPT = join(ROOT, 'scripts/make-diff-references.sh');

/**
 * References in `dir` exist and are newer than their script and every input profile
 * (listed, space-separated and relative to the repository, in files ending `listSuffix`).
 */
function referencesFresh(dir: string, script: string, listSuffix: string): boolean {
  if (!existsSync(dir)) return false;
  const lists = readdirSync(dir).filter((f) => f.endsWith(listSuffix));
  if (lists.length === 0) return false;
  const made0 = statSync(script).mtimeMs;
  for (const f of lists) {
    const made = statSync(join(dir, f)).mtimeMs;
    if (made < made0) return false;
    for (const input of readFileSync(join(dir, f), 'utf8').trim().split(' ')) {
      const abs = resolve(ROOT, input);
      if (!existsSync(abs) || statSync(abs).mtimeMs > made) return false;
    }
  }
  return true;
}

/**
 * Test files run in parallel processes: the first to find the references missing or stale
 * makes them with `script` while holding a lock directory; the others wait, then re-check.
 */
export function ensureReferences(dir: string, script: string, listSuffix: string): void {
  if (referencesFresh(dir, script, listSuffix)) return;
  const lock = `${dir}.lock`;
  mkdirSync(dirname(dir), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is stale after 5 minutes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (!referencesFresh(dir, script, listSuffix)) execFileSync('bash', [script], { stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function ensureDiffReferences(): void {
  ensureReferences(REF_DIR, SCRIPT, '.pair.txt');
}

export interface DiffCase {
  name: string;
  base: string;
  newer: string;
  /** pprof refused the pair; its error message. */
  error: string | null;
  /** Reference outputs present for this case, by suffix (e.g. "diff_base.top.txt"). */
  outputs: string[];
}

export function diffCases(): DiffCase[] {
  ensureDiffReferences();
  const files = readdirSync(REF_DIR);
  return files
    .filter((f) => f.endsWith('.pair.txt'))
    .map((f) => {
      const name = f.slice(0, -'.pair.txt'.length);
      const [base, newer] = readFileSync(join(REF_DIR, f), 'utf8').trim().split(' ') as [string, string];
      const errFile = join(REF_DIR, `${name}.err.txt`);
      return {
        name,
        base: resolve(ROOT, base),
        newer: resolve(ROOT, newer),
        error: existsSync(errFile) ? readFileSync(errFile, 'utf8').trim() : null,
        outputs: files
          .filter((g) => g.startsWith(`${name}.`) && !g.endsWith('.pair.txt') && !g.endsWith('.err.txt'))
          .map((g) => g.slice(name.length + 1)),
      };
    });
}

export function refPath(c: DiffCase, suffix: string): string {
  return join(REF_DIR, `${c.name}.${suffix}`);
}

/** What pprof flags a reference file name stands for. */
export function optionsFor(suffix: string, caseName = ''): { q: Query; opts: DiffOptions & TopOptions } | null {
  const m =
    /^(diff_base|base)(\.normalize)?(?:\.(nodefraction0|cum)|\.si_([a-z_]+?)(?:\.(hide_runtime|focus_main))?(\.exact)?)?\.top\.txt$/.exec(
      suffix,
    );
  if (!m) return null;
  const opts: DiffOptions & TopOptions = { mode: m[1] as DiffOptions['mode'], normalize: !!m[2] };
  const q: Query = {};
  // Cases named *.addresses were run with -addresses (scripts/make-diff-references.sh).
  if (caseName.endsWith('.addresses')) q.granularity = 'addresses';
  if (m[3] === 'nodefraction0') opts.nodeFraction = 0;
  if (m[3] === 'cum') opts.sort = 'cum';
  if (m[4]) q.sampleIndex = m[4];
  if (m[5] === 'hide_runtime') q.hide = '^runtime\\.';
  if (m[5] === 'focus_main') q.focus = '^main\\.';
  if (m[6]) {
    opts.nodeFraction = 0;
    if (/^(cpu|delay)$/.test(m[4]!)) opts.unit = 'ns';
    if (/space$/.test(m[4]!)) opts.unit = 'B';
  }
  return { q, opts };
}
