// GET the /debug/pprof/ index of a target (through the guarded fetcher) and list
// the profiles it offers.
import type { TargetPolicy } from './address-policy.js';
import { CaptureError } from './errors.js';
import { guardedGet } from './fetcher.js';
import { parsePprofIndex } from './pprof-index.js';
import type { TargetListing } from '../../../contract/capture.js';
import { indexUrl } from './target-url.js';

const INDEX_MAX_BYTES = 1 << 20;

export async function listTargetProfiles(
  input: unknown,
  opts: { policy: TargetPolicy; timeoutMs?: number; connectTimeoutMs?: number; signal?: AbortSignal },
): Promise<TargetListing> {
  const url = indexUrl(input);
  const r = await guardedGet(url, {
    policy: opts.policy,
    maxBytes: INDEX_MAX_BYTES,
    totalTimeoutMs: opts.timeoutMs ?? 10_000,
    connectTimeoutMs: opts.connectTimeoutMs,
    signal: opts.signal,
  });
  const where = `${r.finalUrl.host}${r.finalUrl.pathname}`;
  if (r.status !== 200) {
    const hint = r.status === 404 ? ' (is net/http/pprof imported and served on this port?)' : '';
    throw new CaptureError(
      'http-status',
      `no pprof index at ${where}: the target answered HTTP ${r.status}${hint}`,
      r.status === 404 ? 422 : 502,
    );
  }
  const profiles = parsePprofIndex(Buffer.from(r.body).toString('utf8'));
  if (profiles.length === 0) {
    throw new CaptureError('not-profile', `${where} answered, but not with a Go /debug/pprof/ index page`);
  }
  return { target: `${url.protocol}//${url.host}`, index: `${r.finalUrl.origin}${r.finalUrl.pathname}`, profiles };
}
