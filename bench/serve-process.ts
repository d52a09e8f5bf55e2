// What the huge-profile benchmarks share: a `pprof-lens serve` process of the built
// CLI on an empty data folder, its peak RSS, and a timer. Not a benchmark itself
// (scripts/run-bench.mjs runs only *.bench.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  data: string;
}

/**
 * Starts `pprof-lens serve` on port 0 with `extraArgs`, storing in `data` (emptied first
 * unless `fresh` is false: a server started again on the profiles stored before).
 */
export async function startServe(
  data: string,
  extraArgs: string[] = [],
  stderr: 'inherit' | 'ignore' = 'inherit',
  fresh = true,
): Promise<ServeProcess> {
  if (fresh) rmSync(data, { recursive: true, force: true });
  const args = ['serve', '--port', '0', '--no-samples', '--data', data, ...extraArgs];
  const child = spawn(process.execPath, [path.join(root, 'bin/pprof-lens.mjs'), ...args], { stdio: ['ignore', 'pipe', stderr] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`serve exited: ${out}`)));
  });
  return { url, child, data };
}

/** A process's peak resident memory (VmHWM) in MB; NaN once it has gone. */
export function peakRssMB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await f();
  return [performance.now() - t0, v];
}
