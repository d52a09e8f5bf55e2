// Local SourceReader for the CLI: pprof's openSourceFile search (-trim_path,
// then each -source_path dir and all its parents; absolute paths must exist).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SourceReader } from '../report/index.js';
import { splitList, trimPath } from '../analysis/paths.js';

export function localSourceReader(searchPath: string, trim: string): SourceReader {
  const sp = searchPath || process.cwd();
  const cache = new Map<string, { text: string | null; tried: string[] }>();
  return {
    read(file: string) {
      const hit = cache.get(file);
      if (hit) return hit;
      const p = trimPath(file, trim, sp);
      const tried: string[] = [];
      let text: string | null = null;
      const attempt = (f: string): boolean => {
        tried.push(f);
        try {
          text = readFileSync(f, 'utf8');
          return true;
        } catch {
          return false;
        }
      };
      if (path.isAbsolute(p)) attempt(p);
      else {
        outer: for (let dir of splitList(sp)) {
          for (;;) {
            if (attempt(path.join(dir, p))) break outer;
            const parent = path.dirname(dir);
            if (parent === dir) break;
            dir = parent;
          }
        }
      }
      const r = { text, tried: p !== file && tried.length === 0 ? [p] : tried };
      cache.set(file, r);
      return r;
    },
  };
}
