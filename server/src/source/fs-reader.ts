// Reads a profile's source files from local directories: the configured source roots
// (pprof's -source_path semantics, including each root's parents), trim prefixes
// (pprof's -trim_path), Go module paths written by `-trimpath` builds (via the `module`
// line of go.mod files under the roots), GOROOT for the standard library, and finally
// a suffix match against the files under the roots.
//
// Safety: a candidate is only opened when its real path (symlinks resolved) lies inside
// a root or GOROOT, names a source file below it (paths.ts isSourcePath: no dot-files,
// no node_modules) and is outside the excluded directories (the server's data).
// Names that would climb out are never even stat'ed.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, constants } from 'node:fs';
import { posix, resolve } from 'node:path';
import { quoteMeta } from '../../../contract/go-regexp.js';
import type { SourceOrigin, SourceStep } from '../../../contract/views.js';
import type { SourceReader, SourceReadResult } from '../report/index.js';
import { isInside, isSourcePath, relativeInside, safeRelative, stripAtRootBase, toSlash, trimPrefixes } from './paths.js';

export interface FsSourceOptions {
  /** Source roots; nonexistent ones are ignored. */
  roots: string[];
  /** Prefixes removed from file names before looking them up (pprof -trim_path). */
  trimPaths?: string[];
  /** GOROOT for standard-library frames, or null. */
  goroot?: string | null;
  /** Files larger than this are not read (default 4 MiB). */
  maxFileBytes?: number;
  /** Last-resort match on trailing path components (default true). */
  suffixMatch?: boolean;
  /** How files found under the roots are labelled (default 'source-path'). */
  step?: SourceStep;
  /** Directories never read from, even inside a root (the server's data directory). */
  exclude?: string[];
}

export type ReadResult = SourceReadResult;

const DEFAULT_MAX_FILE = 4 << 20;
const MAX_TRIED = 40;

/** What we know about one root: its real path, Go modules and file list (bounded walk). */
interface RootIndex {
  real: string;
  modules: { path: string; dir: string }[];
  /** base name -> real paths of files with that name. */
  byBase: Map<string, string[]>;
}

const INDEX_TTL_MS = 15_000;
const MAX_INDEX_ENTRIES = 200_000;
const MAX_INDEX_DEPTH = 16;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
const indexCache = new Map<string, { at: number; index: RootIndex }>();

function realOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

function moduleLine(goMod: string): string | null {
  try {
    const text = readFileSync(goMod, 'utf8');
    const m = /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(text);
    return m ? m[2] : null;
  } catch {
    return null;
  }
}

/** Walks a root (bounded, no symlinked directories) recording go.mod modules and file base names. */
function buildIndex(real: string): RootIndex {
  const modules: { path: string; dir: string }[] = [];
  const byBase = new Map<string, string[]>();
  let entries = 0;
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_INDEX_DEPTH || entries > MAX_INDEX_ENTRIES) return;
    let list;
    try {
      list = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of list) {
      if (++entries > MAX_INDEX_ENTRIES) return;
      const p = posix.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(p, depth + 1);
      } else if (e.isFile()) {
        if (e.name === 'go.mod') {
          const mod = moduleLine(p);
          if (mod) modules.push({ path: mod, dir });
        }
        if (!isSourcePath(e.name)) continue;
        const l = byBase.get(e.name);
        if (l) l.push(p);
        else byBase.set(e.name, [p]);
      }
    }
  };
  walk(real, 0);
  // Longest module path first so nested modules win over their parents.
  modules.sort((a, b) => b.path.length - a.path.length);
  return { real, modules, byBase };
}

function rootIndex(real: string): RootIndex {
  const hit = indexCache.get(real);
  const now = Date.now();
  if (hit && now - hit.at < INDEX_TTL_MS) return hit.index;
  const index = buildIndex(real);
  indexCache.set(real, { at: now, index });
  return index;
}

/** Go modules (module path, directory) found under a root, longest path first. */
export function findModules(root: string): { path: string; dir: string }[] {
  const real = realOrNull(root);
  return real ? rootIndex(real).modules : [];
}

/** Reads a regular file of bounded size; null otherwise. Opens with O_NOFOLLOW as a last guard. */
function readBounded(real: string, max: number): string | null {
  let fd: number | null = null;
  try {
    fd = openSync(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > max) return null;
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n <= 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Reads `p` only if it names a source file inside `root`, before and after resolving
 * symlinks (paths.ts isSourcePath), and lies in none of `exclude`; null otherwise.
 */
export function readInside(p: string, root: string, max = DEFAULT_MAX_FILE, exclude: string[] = []): string | null {
  const realRoot = realOrNull(root);
  const rel = relativeInside(posix.normalize(p), root);
  if (!realRoot || rel === null || !isSourcePath(rel)) return null;
  const real = realOrNull(p);
  if (!real) return null;
  const realRel = relativeInside(real, realRoot);
  if (realRel === null || !isSourcePath(realRel) || isExcluded(real, exclude)) return null;
  return readBounded(real, max);
}

/** True when `real` lies in one of the excluded directories (given as is or resolved). */
function isExcluded(real: string, exclude: string[]): boolean {
  return exclude.some((d) => isInside(real, d) || isInside(real, realOrNull(d) ?? d));
}

export function createFsSourceReader(opts: FsSourceOptions): SourceReader & { read(file: string): ReadResult } {
  const max = opts.maxFileBytes ?? DEFAULT_MAX_FILE;
  const roots: string[] = [];
  for (const r of opts.roots) {
    const real = realOrNull(resolve(r));
    if (real && !roots.includes(real)) roots.push(real);
  }
  // GOROOT as configured (lexical checks) and its real locations: distributions often
  // make GOROOT/src a symlink into /usr/share (Debian), which still counts as GOROOT.
  const goroot = opts.goroot && realOrNull(resolve(opts.goroot)) ? resolve(opts.goroot) : null;
  const gorootReal = goroot ? [realOrNull(goroot), realOrNull(posix.join(goroot, 'src'))].filter((x): x is string => !!x) : [];
  const trims = opts.trimPaths ?? [];
  const exclude = opts.exclude ?? [];
  const step = opts.step ?? 'source-path';
  const cache = new Map<string, ReadResult>();

  /** The root (or GOROOT location) holding a real path when what lies below it is a source file. */
  const allowedRoot = (real: string): { root: string; goroot: boolean } | null => {
    if (isExcluded(real, exclude)) return null;
    for (const [list, isGoroot] of [
      [roots, false],
      [gorootReal, true],
    ] as const) {
      for (const r of list) {
        const rel = relativeInside(real, r);
        if (rel !== null && isSourcePath(rel)) return { root: r, goroot: isGoroot };
      }
    }
    return null;
  };
  const origin = (real: string, goroot: boolean): SourceOrigin =>
    goroot ? { step: 'goroot', label: 'GOROOT', path: real } : { step, label: STEP_LABELS[step] ?? step, path: real };

  function lookup(file: string): ReadResult {
    const tried: string[] = [];
    const seen = new Set<string>();
    /** Tries one absolute candidate path; returns its text when it is inside the allowed area. */
    let found: SourceOrigin | undefined;
    const attempt = (candidate: string, within: string): string | null => {
      const c = posix.normalize(candidate);
      if (seen.has(c)) return null;
      const rel = relativeInside(c, within);
      if (rel === null || !isSourcePath(rel)) return null;
      seen.add(c);
      if (tried.length < MAX_TRIED) tried.push(c);
      const real = realOrNull(c);
      const where = real ? allowedRoot(real) : null;
      if (!real || !where) return null;
      const text = readBounded(real, max);
      if (text !== null) found = origin(c, where.goroot);
      return text;
    };
    const hit = (text: string): ReadResult => ({ text, tried, origin: found });

    const f = toSlash(file);
    // 1. An absolute name that already lies inside a root (or GOROOT) is read as is.
    if (f.startsWith('/')) {
      for (const r of roots) {
        const t = attempt(f, r);
        if (t !== null) return hit(t);
      }
      if (goroot) {
        const t = attempt(f, goroot);
        if (t !== null) return hit(t);
      }
    }

    // 2. pprof's search: (trimmed) name joined to every root and each of its parents.
    for (const r of roots) {
      const forms: string[] = [];
      const trimmed = trimPrefixes(f, trims);
      if (trimmed !== null) forms.push(trimmed);
      if (trims.length === 0) {
        const h = stripAtRootBase(f, r);
        if (h !== null) forms.push(h);
      }
      forms.push(f);
      for (const form of forms) {
        const rel = safeRelative(form);
        if (rel === null) continue;
        for (let dir = r; ; dir = posix.dirname(dir)) {
          const t = attempt(posix.join(dir, rel), r);
          if (t !== null) return hit(t);
          if (dir === posix.dirname(dir)) break;
        }
      }
    }

    // 3. Module paths of -trimpath builds: "example.com/m/pkg/a.go" -> <dir of go.mod for example.com/m>/pkg/a.go.
    const rel = safeRelative(trimPrefixes(f, trims) ?? f);
    if (rel !== null) {
      for (const r of roots) {
        for (const m of rootIndex(r).modules) {
          const versioned = new RegExp(`^${quoteMeta(m.path)}(@[^/]+)?/`).exec(rel);
          if (!versioned) continue;
          const t = attempt(posix.join(m.dir, rel.slice(versioned[0].length)), r);
          if (t !== null) return hit(t);
        }
      }
    }

    // 4. Standard library: GOROOT/src/<pkg path>, from "runtime/proc.go" (-trimpath) or
    //    any ".../src/runtime/proc.go" written by another machine's GOROOT.
    if (goroot) {
      const forms: string[] = [];
      if (rel !== null && !f.startsWith('/')) forms.push(rel);
      for (let i = f.indexOf('/src/'); i !== -1; i = f.indexOf('/src/', i + 1)) forms.push(f.slice(i + 5));
      for (const form of forms) {
        const r2 = safeRelative(form);
        if (r2 === null) continue;
        const t = attempt(posix.join(goroot, 'src', r2), goroot);
        if (t !== null) return hit(t);
      }
    }

    // 5. Suffix match against the files under the roots: the longest trailing run of
    //    components wins; a match on the base name alone must be unique.
    if (rel !== null && opts.suffixMatch !== false) {
      const base = posix.basename(rel);
      const want = rel.split('/');
      let best: string | null = null;
      let bestLen = 0;
      let tie = false;
      for (const r of roots) {
        for (const cand of rootIndex(r).byBase.get(base) ?? []) {
          const have = cand.slice(r.length + 1).split('/');
          let n = 0;
          while (n < have.length && n < want.length && have[have.length - 1 - n] === want[want.length - 1 - n]) n++;
          if (n > bestLen) {
            best = cand;
            bestLen = n;
            tie = false;
          } else if (n === bestLen && cand !== best) tie = true;
        }
      }
      if (best && !(tie && bestLen <= 1)) {
        const owner = roots.find((r) => isInside(best!, r));
        if (owner) {
          const t = attempt(best, owner);
          if (t !== null) return hit(t);
        }
      }
    }
    return { text: null, tried };
  }

  return {
    read(file: string): ReadResult {
      let r = cache.get(file);
      if (!r) cache.set(file, (r = lookup(file)));
      return r;
    },
  };
}

const STEP_LABELS: Partial<Record<SourceStep, string>> = {
  'source-path': '--source-path',
  'working-dir': 'working directory',
};
