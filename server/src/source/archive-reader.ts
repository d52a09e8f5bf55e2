// A SourceReader over an uploaded archive held in memory. A profile's file names are
// matched to archive entries by: exact name (after trim prefixes), Go module paths
// from go.mod files in the archive, then the longest matching tail of path components
// (a match on the base name alone only when unique).
import { posix } from 'node:path';
import { quoteMeta } from '../../../contract/go-regexp.js';
import type { SourceReader } from '../report/index.js';
import type { SourceArchive } from './archive.js';
import type { ReadResult } from './fs-reader.js';
import { safeRelative, toSlash, trimPrefixes } from './paths.js';

const decoder = new TextDecoder('utf-8');

export function createArchiveSourceReader(
  archive: SourceArchive,
  trimPaths: string[] = [],
): SourceReader & { read(file: string): ReadResult } {
  const modules: { path: string; dir: string }[] = [];
  const byBase = new Map<string, string[]>();
  for (const [name, data] of archive.files) {
    const base = posix.basename(name);
    const l = byBase.get(base);
    if (l) l.push(name);
    else byBase.set(base, [name]);
    if (base === 'go.mod') {
      const m = /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(decoder.decode(data));
      if (m) modules.push({ path: m[2], dir: posix.dirname(name) === '.' ? '' : posix.dirname(name) });
    }
  }
  modules.sort((a, b) => b.path.length - a.path.length);

  /** An entry's text, labelled with its archive name (no server path: it is safe to show anywhere). */
  const found = (name: string, tried: string[]): ReadResult => ({
    text: decoder.decode(archive.files.get(name)!),
    tried,
    origin: { step: 'archive', label: 'uploaded archive', path: name },
  });

  function lookup(file: string): ReadResult {
    const tried: string[] = [];
    const f = toSlash(file);
    const forms = [trimPrefixes(f, trimPaths), f].filter((x): x is string => x !== null);
    for (const form of forms) {
      const rel = safeRelative(form);
      if (rel === null) continue;
      tried.push(`archive:${rel}`);
      if (archive.files.has(rel)) return found(rel, tried);
      for (const m of modules) {
        const hit = new RegExp(`^${quoteMeta(m.path)}(@[^/]+)?/`).exec(rel);
        if (!hit) continue;
        const name = posix.join(m.dir, rel.slice(hit[0].length));
        tried.push(`archive:${name}`);
        if (archive.files.has(name)) return found(name, tried);
      }
    }
    const rel = safeRelative(forms[0]);
    if (rel !== null) {
      const want = rel.split('/');
      let best: string | null = null;
      let bestLen = 0;
      let tie = false;
      for (const cand of byBase.get(want[want.length - 1]) ?? []) {
        const have = cand.split('/');
        let n = 0;
        while (n < have.length && n < want.length && have[have.length - 1 - n] === want[want.length - 1 - n]) n++;
        if (n > bestLen) {
          best = cand;
          bestLen = n;
          tie = false;
        } else if (n === bestLen) tie = true;
      }
      tried.push(`archive:*/${want[want.length - 1]}`);
      if (best && !(tie && bestLen <= 1)) return found(best, tried);
    }
    return { text: null, tried };
  }

  const cache = new Map<string, ReadResult>();
  return {
    read(file: string): ReadResult {
      let r = cache.get(file);
      if (!r) cache.set(file, (r = lookup(file)));
      return r;
    },
  };
}
