// Typed calls to the live-capture API (server/src/http/routes/capture.ts).
import type { CaptureStatus } from '../../../../contract/capture.js';
import type { TargetListing } from '../../../../contract/capture.js';
import { getJson } from '../../api.js';
import { rememberUpload } from '../../owned.js';

export type { CaptureStatus, TargetListing };

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export interface StartBody {
  url: string;
  profile?: string;
  seconds?: number;
  gc?: boolean;
  watch?: { intervalSeconds: number; count: number };
}

const TOKEN_KEY = 'pprof-lens.capture-token.';

/**
 * The server shows a capture's manage token once, in the answer to its start; it is kept
 * for the tab (the watch page follows the capture after a navigation) and every profile
 * the capture stores is remembered with it like an upload (owned.ts).
 */
async function start(body: StartBody): Promise<CaptureStatus> {
  const s = await getJson<CaptureStatus & { manageToken?: string }>('/api/captures', json(body));
  if (s.manageToken) {
    try {
      sessionStorage.setItem(TOKEN_KEY + s.cid, s.manageToken);
    } catch {
      // storage disabled: the captured profiles stay viewable, just not manageable here
    }
  }
  return s;
}

function rememberCaptured(s: CaptureStatus): void {
  let token: string | null = null;
  try {
    token = sessionStorage.getItem(TOKEN_KEY + s.cid);
  } catch {
    token = null;
  }
  if (!token) return;
  for (const r of [...(s.result ? [s.result] : []), ...(s.watch?.snapshots ?? [])]) {
    rememberUpload({ id: r.id, name: r.name, token, storedAt: new Date().toISOString() });
  }
}

export const captureApi = {
  targets: (url: string) => getJson<TargetListing>(`/api/capture/targets?url=${encodeURIComponent(url)}`),
  start,
  status: (cid: string) => getJson<CaptureStatus>(`/api/captures/${encodeURIComponent(cid)}`),
  cancel: (cid: string) => getJson<CaptureStatus>(`/api/captures/${encodeURIComponent(cid)}`, { method: 'DELETE' }),
};

/** Compare view link: snapshot `newer` against `base` (the diff view's URL shape). */
export function compareLink(newer: string, base: string): string {
  return `/p/${encodeURIComponent(newer)}?v=compare&base=${encodeURIComponent(base)}`;
}

/** Polls a capture until it ends; `onUpdate` sees every status. Returns a stop function. */
export function follow(cid: string, onUpdate: (s: CaptureStatus) => void, onError: (e: Error) => void, everyMs = 400): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const tick = async (): Promise<void> => {
    if (stopped) return;
    try {
      const s = await captureApi.status(cid);
      if (stopped) return;
      rememberCaptured(s);
      onUpdate(s);
      if (s.state === 'running') timer = setTimeout(tick, everyMs);
    } catch (e) {
      if (!stopped) onError(e as Error);
    }
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
