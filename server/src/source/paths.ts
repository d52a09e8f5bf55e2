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

// Only source files are ever served: a profile's file names are attacker-chosen, and a
// name like ".env.test", ".git/config" or "node_modules/x/secret.js" must not turn the
// source view into a file reader (issue 12).
const SOURCE_EXTENSIONS = new Set(
  (
    'go s S asm c h cc cpp cxx c++ hh hpp hxx inc m mm rs zig java kt scala swift cs fs ' +
    'py pyx pxd rb php pl lua dart erl ex exs hs ml nim d v js mjs cjs jsx ts mts cts tsx proto'
  ).split(' '),
);

/**
 * True for a relative path (below a root) naming a source file: a known source extension,
 * no component starting with "." (dot-files and dot-directories) and no node_modules.
 */
export function isSourcePath(rel: string): boolean {
  const parts = toSlash(rel)
    .split('/')
    .filter((p) => p !== '');
  if (parts.length === 0) return false;
  if (parts.some((p) => p.startsWith('.') || p === 'node_modules')) return false;
  const base = parts[parts.length - 1];
  const dot = base.lastIndexOf('.');
  return dot > 0 && SOURCE_EXTENSIONS.has(base.slice(dot + 1));
}

/** `child` relative to `parent` when inside it (both absolute, normalised), else null. */
export function relativeInside(child: string, parent: string): string | null {
  if (!isInside(child, parent)) return null;
  const p = posix.normalize(toSlash(parent)).replace(/\/+$/, '');
  return posix.normalize(toSlash(child)).slice(p.length + 1);
}

/** Module path as the module cache spells it on disk: capitals become "!" + lower case. */
export function escapeModulePath(p: string): string {
  return p.includes('!') ? p : p.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}

/** The module path from its module-cache spelling ("github.com/!burnt!sushi" -> "github.com/BurntSushi"). */
export function unescapeModulePath(p: string): string {
  return p.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase());
}
