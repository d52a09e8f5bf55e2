// Pure path helpers shared by the filesystem and archive readers. Profile file names
// are untrusted strings: they are only ever used as *relative* lookups under a root,
// and every result is checked to stay inside that root.
import { posix } from 'node:path';

/** Forward slashes, Windows drive letter and duplicate slashes removed. */
export function toSlash(file: string): string {
  let f = file.replace(/\\/g, '/');
  if (/^[A-Za-z]:\//.test(f)) f = f.slice(2);
  return f.replace(/\/{2,}/g, '/');
}

/**
 * A relative path safe to join under a root: normalised, no leading '/', no '..'
 * component left. Returns null when the name would climb out (e.g. "../../secret").
 */
export function safeRelative(p: string): string | null {
  if (p.includes('\u0000')) return null;
  const n = posix.normalize('/' + toSlash(p)).slice(1); // resolving against '/' drops leading '..'
  // posix.normalize('/'+p) already swallows leading '..'; refuse them instead of silently
  // rewriting, so "../../etc/passwd" never turns into "etc/passwd" under a root.
  const raw = toSlash(p).split('/');
  let depth = 0;
  for (const seg of raw) {
    if (seg === '..') {
      if (--depth < 0) return null;
    } else if (seg !== '' && seg !== '.') depth++;
  }
  return n === '' ? null : n;
}

/** pprof's trimPath: strip the first configured prefix that matches (then the /proc/self/cwd forms). */
export function trimPrefixes(file: string, trims: string[]): string | null {
  const f = toSlash(file);
  for (let t of [...trims.map(toSlash), '/proc/self/cwd/./', '/proc/self/cwd/']) {
    if (t === '') continue;
    if (!t.endsWith('/')) t += '/';
    if (f.startsWith(t)) return f.slice(t.length);
  }
  return null;
}

/**
 * pprof's heuristic when no trim path is set: if "/<basename of root>/" occurs in the
 * file name, keep what follows it ("/ci/build/myproj/pkg/a.go" with root ".../myproj"
 * gives "pkg/a.go").
 */
export function stripAtRootBase(file: string, root: string): string | null {
  const base = posix.basename(toSlash(root).replace(/\/+$/, ''));
  if (!base) return null;
  const f = toSlash(file);
  const want = '/' + base + '/';
  const i = f.indexOf(want);
  return i === -1 ? null : f.slice(i + want.length);
}

/** Every trailing part of a path with at least `min` components, longest first. */
export function suffixes(rel: string, min = 1): string[] {
  const parts = rel.split('/').filter(Boolean);
  const out: string[] = [];
  for (let i = 1; i <= parts.length - min; i++) out.push(parts.slice(i).join('/'));
  return out;
}

/** True when `child` (resolved, absolute) is `parent` or inside it. */
export function isInside(child: string, parent: string): boolean {
  const c = posix.normalize(toSlash(child));
  const p = posix.normalize(toSlash(parent)).replace(/\/+$/, '');
  return c === p || c.startsWith(p + '/') || p === '';
}
