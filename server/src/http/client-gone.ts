// An AbortSignal that fires when the HTTP client goes away before its answer is sent,
// so the analysis it asked for is dropped instead of holding a worker.
import type { Response } from 'express';

export function clientGone(res: Response): AbortSignal {
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  return ac.signal;
}
