// Local SourceReader for the CLI: pprof's openSourceFile search (-trim_path,
// then each -source_path dir and all its parents; absolute paths must exist), so that
// whatever pprof finds is listed the same; then the Go steps the server uses (current
// module, go.work, vendor/, module cache, GOROOT of the profile's release) for what it
// does not. Those steps only read source files inside their roots (source/go-resolver.ts).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Profile } from '../model/profile.js';
import type { SourceReader, SourceReadResult } from '../report/index.js';
import { splitList, trimPath } from '../analysis/paths.js';
import { chainReaders, goStepsReader } from '../source/index.js';

/** pprof's search, then the Go steps as seen from the working directory. */
export function cliSourceReader(profile: Profile, searchPath: string, trim: string): SourceReader {
  return chainReaders([localSourceReader(searchPath, trim), goStepsReader(process.cwd(), profile, splitList(trim))]);
}

export function localSourceReader(searchPath: string, trim: string): SourceReader {
  const sp = searchPath || process.cwd();
  const cache = new Map<string, SourceReadResult>();
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
      const r: SourceReadResult = { text, tried: p !== file && tried.length === 0 ? [p] : tried };
      if (text !== null) {
        const label = path.isAbsolute(p) ? 'the path in the profile' : searchPath ? '-source_path' : 'working directory';
        r.origin = { step: searchPath ? 'source-path' : 'working-dir', label, path: tried[tried.length - 1] };
      }
      cache.set(file, r);
      return r;
    },
  };
}
