// Local mode only: produce escape-analysis output for a profile by running
// `go build -gcflags=-m=2 ./...` in the Go module (under a source root) that the
// profile's file names point at. No network: GOTOOLCHAIN=local, GOPROXY=off.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { parseEscapeOutput } from './escape.js';
import { findModules } from './fs-reader.js';
import { findGoBinary } from './go-env.js';
import { isInside, toSlash } from './paths.js';

export class EscapeRunError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'EscapeRunError';
  }
}

export interface EscapeRunResult {
  /** Module directory the build ran in. */
  dir: string;
  module: string;
  /** Whether -trimpath was used (the profile's names are module paths). */
  trimpath: boolean;
  text: string;
  decisions: number;
}

/** Picks the module under the roots that most of the profile's files belong to. */
export function chooseModule(roots: string[], files: string[]): { dir: string; module: string; trimpath: boolean } | null {
  const votes = new Map<string, { dir: string; module: string; n: number; trim: number }>();
  for (const root of roots) {
    for (const m of findModules(resolve(root))) {
      for (const raw of files) {
        const f = toSlash(raw);
        const byModule = f.startsWith(m.path + '/');
        const byDir = f.startsWith('/') && isInside(f, m.dir);
        if (!byModule && !byDir) continue;
        const v = votes.get(m.dir) ?? { dir: m.dir, module: m.path, n: 0, trim: 0 };
        v.n++;
        if (byModule) v.trim++;
        votes.set(m.dir, v);
      }
    }
  }
  let best: { dir: string; module: string; n: number; trim: number } | null = null;
  for (const v of votes.values()) if (!best || v.n > best.n || (v.n === best.n && v.module.length > best.module.length)) best = v;
  return best ? { dir: best.dir, module: best.module, trimpath: best.trim * 2 >= best.n } : null;
}

export async function runEscapeAnalysis(roots: string[], files: string[], timeoutMs = 120_000): Promise<EscapeRunResult> {
  const go = findGoBinary();
  if (!go)
    throw new EscapeRunError(
      501,
      'Go is not installed on this server (no go binary found), so escape analysis cannot be run here; POST the output of `go build -gcflags=-m=2` to /api/profiles/:id/escape instead',
    );
  if (roots.length === 0) throw new EscapeRunError(400, 'no --source-path roots are configured, so there is no module to build');
  const mod = chooseModule(roots, files);
  if (!mod) throw new EscapeRunError(422, 'no go.mod under the source roots matches the file names in this profile');
  const out = mkdtempSync(join(tmpdir(), 'pprof-lens-escape-'));
  try {
    const args = ['build', ...(mod.trimpath ? ['-trimpath'] : []), '-gcflags=-m=2', '-o', out + posix.sep, './...'];
    const { stderr, code } = await new Promise<{ stderr: string; code: number | null }>((res, rej) => {
      execFile(
        go,
        args,
        {
          cwd: mod.dir,
          timeout: timeoutMs,
          maxBuffer: 64 << 20,
          env: { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: process.env.GOFLAGS ?? '' },
        },
        (err, _stdout, stderr) => {
          if (err && (err as { killed?: boolean }).killed) rej(new EscapeRunError(504, `go build did not finish within ${timeoutMs} ms`));
          else res({ stderr: String(stderr), code: err ? ((err as { code?: number }).code ?? 1) : 0 });
        },
      );
    });
    const report = parseEscapeOutput(stderr);
    if (report.count === 0) {
      const tail = stderr.trim().split('\n').slice(-8).join('\n');
      throw new EscapeRunError(422, `go build -gcflags=-m=2 produced no diagnostics (exit ${code}): ${tail}`);
    }
    return { dir: mod.dir, module: mod.module, trimpath: mod.trimpath, text: stderr, decisions: report.count };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
