// Go path/filepath helpers pprof relies on (Clean, Base) and report.trimPath.

/** Go path.Clean (Unix separators). */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const parts = p.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? (rooted ? '/' : '.') : s;
}

/** Go filepath.Base. */
export function baseName(p: string): string {
  if (p === '') return '.';
  let s = p;
  while (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  if (s === '/') return '/';
  const i = s.lastIndexOf('/');
  return i >= 0 ? s.slice(i + 1) : s;
}

/** Go filepath.SplitList (":"-separated; empty string -> no entries). */
export function splitList(s: string): string[] {
  if (s === '') return [];
  return s.split(':');
}

/** pprof report.trimPath: -trim_path prefixes (or the -source_path basename heuristic) and /proc/self/cwd. */
export function trimPath(path: string, trim: string, searchPath: string): string {
  if (trim === '') {
    for (const dir of splitList(searchPath)) {
      const want = '/' + baseName(dir) + '/';
      const found = path.indexOf(want);
      if (found !== -1) return path.slice(found + want.length);
    }
  }
  const prefixes = [...splitList(trim), '/proc/self/cwd/./', '/proc/self/cwd/'];
  for (let t of prefixes) {
    if (!t.endsWith('/')) t += '/';
    if (path.startsWith(t)) return path.slice(t.length);
  }
  return path;
}
