// Profile files read and inflated on libuv's threads while the main thread loads the
// command's modules: for `top` on the 280k-sample heap profile, loading them takes about
// 40 ms and inflating 30 ms, which used to run one after the other. load.ts takes the
// results; anything that failed here is left to its synchronous path, which reports it.
import { readFile, stat } from 'node:fs/promises';
import { gunzipCappedAsync, isGzip } from '../decode/gunzip.js';

export interface Inflated {
  raw: Uint8Array;
  gzipped: boolean;
}

const ready = new Map<string, Inflated>();

async function prefetch(file: string): Promise<void> {
  try {
    if (!(await stat(file)).isFile()) return;
    const bytes = await readFile(file);
    const gzipped = isGzip(bytes);
    const raw = gzipped ? await gunzipCappedAsync(bytes) : bytes;
    if (raw.length > 0) ready.set(file, { raw, gzipped });
  } catch {
    // not a file, unreadable or not gzip: the command's own read says so
  }
}

/** Reads and inflates the arguments that name regular files (flags are skipped); never rejects. */
export async function prefetchFiles(args: string[]): Promise<void> {
  await Promise.all(args.filter((a) => !a.startsWith('-')).map(prefetch));
  // zlib's engine lets go of its input when it closes, a turn of the event loop after its
  // callback. Until then the decode's first collections could not free the compressed
  // bytes: +145 MB of peak memory on the 1M-sample profile.
  await new Promise((resolve) => setImmediate(resolve));
}

/** What prefetchFiles got for this file, handed over once (the map lets it go). */
export function takePrefetched(file: string): Inflated | undefined {
  const got = ready.get(file);
  ready.delete(file);
  return got;
}
