// Finding the local Go toolchain: its binary and GOROOT (for standard-library frames).
// Looked up once per process; absence of Go is a normal state, never an error.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const KNOWN_GO = ['/usr/lib/go-1.23/bin/go', '/usr/local/go/bin/go'];

let goBinaryCache: string | null | undefined;
let gorootCache: string | null | undefined;

function isExecutableFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The go binary: $PPROF_LENS_GO, `go` on PATH, or a known install location; null if none. */
export function findGoBinary(): string | null {
  if (goBinaryCache !== undefined) return goBinaryCache;
  const fromEnv = process.env.PPROF_LENS_GO;
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((d) => join(d, 'go'));
  const found = [fromEnv, ...onPath, ...KNOWN_GO].find((p): p is string => !!p && isExecutableFile(p));
  goBinaryCache = found ?? null;
  return goBinaryCache;
}

/** GOROOT from $GOROOT or `go env GOROOT`; null when Go is not installed. */
export function findGoroot(): string | null {
  if (gorootCache !== undefined) return gorootCache;
  gorootCache = null;
  const env = process.env.GOROOT;
  if (env && existsSync(join(env, 'src'))) {
    gorootCache = env;
    return gorootCache;
  }
  const go = findGoBinary();
  if (go) {
    try {
      const out = execFileSync(go, ['env', 'GOROOT'], { timeout: 5000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (out && existsSync(join(out, 'src'))) gorootCache = out;
    } catch {
      // No usable toolchain: standard-library frames simply stay unresolved.
    }
  }
  return gorootCache;
}
