// Shared loader for the go tool pprof references written by scripts/make-references.sh,
// and an in-process runner of our CLI commands (same parser and engine as the binary).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listText } from '../../server/src/cli/list.js';
import { topText } from '../../server/src/cli/top.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REF_DIR = path.join(ROOT, 'tests/.references');
export const MANIFEST = path.join(REF_DIR, 'manifest.json');

export interface RefCase {
  slug: string;
  name: string;
  mode: 'top' | 'list';
  input: string;
  args: string[];
  list?: string;
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
    const out = c.mode === 'list' ? listText([...c.args, c.list!, input], io) : topText([...c.args, input], io);
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
