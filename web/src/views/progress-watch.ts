// While a place of the page waits for a slow answer, asks the server what it is doing for
// the profile (GET /api/profiles/:id/progress) and describes what that answer waits for
// (describeWait). Nothing is asked for answers that come within WATCH_AFTER_MS (small
// profiles), and at most one progress request is in flight.
import { describeWait, type TaskProgress } from '../../../contract/progress.js';
import { api } from '../api.js';

/** Answers quicker than this never show progress. */
export const WATCH_AFTER_MS = 300;
export const POLL_EVERY_MS = 250;

export interface ProgressUpdate {
  /** The task described (null: the server lists no task of the awaited views). */
  task: TaskProgress | null;
  /** Words for it, e.g. "Step 4 of 7: decoding the samples". */
  text: string;
  /** Since the watch began. */
  waitedMs: number;
}

/**
 * Calls `onUpdate` with the progress of the answer of one of `views` (the task views of
 * contract/progress.ts) until `signal` aborts; returns a stop function.
 */
export function watchProgress(
  id: string,
  views: readonly string[],
  signal: AbortSignal,
  onUpdate: (u: ProgressUpdate) => void,
): () => void {
  const t0 = performance.now();
  const ac = new AbortController();
  let timer = 0;
  let stopped = false;
  const stop = () => {
    stopped = true;
    window.clearTimeout(timer);
    ac.abort();
  };
  signal.addEventListener('abort', stop, { once: true });
  const poll = async () => {
    if (stopped) return;
    try {
      const p = await api.progress(id, ac.signal);
      if (stopped) return;
      const d = describeWait(p, views);
      onUpdate({ task: d?.task ?? null, text: d?.text ?? 'finishing', waitedMs: performance.now() - t0 });
    } catch {
      // A failed progress request changes nothing: the view's own request reports errors.
      if (stopped) return;
    }
    timer = window.setTimeout(() => void poll(), POLL_EVERY_MS);
  };
  timer = window.setTimeout(() => void poll(), WATCH_AFTER_MS);
  return stop;
}
