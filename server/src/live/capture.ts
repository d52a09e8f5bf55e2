// One capture: fetch a profile from a resolved target URL, check the answer really
// is a pprof profile, and hand the bytes back with the decoded Profile.
import { decodeProfile, ProfileDecodeError } from '../decode/index.js';
import type { Profile } from '../model/profile.js';
import type { TargetPolicy } from './address-policy.js';
import { CaptureError } from './errors.js';
import { guardedGet, type FetchResult } from './fetcher.js';
import type { ResolvedCapture } from './target-url.js';

export interface CaptureLimits {
  policy: TargetPolicy;
  maxBytes: number;
  maxInflatedBytes: number;
  connectTimeoutMs?: number;
  /** Headers must arrive within this after the capture duration (default FIRST_BYTE_SLACK_MS). */
  firstByteSlackMs?: number;
}

export interface CaptureOutcome {
  bytes: Uint8Array;
  profile: Profile;
  finalUrl: URL;
}

export const SNAPSHOT_TIMEOUT_SECONDS = 60;
/**
 * Go writes a profile's headers once it is ready: right away for a snapshot, after the
 * duration for CPU and delta profiles. A target silent for this long past that point is
 * a tarpit (or stuck), and its capture slot is released.
 */
export const FIRST_BYTE_SLACK_MS = 15_000;

/** go tool pprof waits 1.5x the duration; we add 5 s for slow networks on top. */
export function totalTimeoutMs(seconds: number | null, timeoutSeconds?: number): number {
  if (timeoutSeconds !== undefined) return timeoutSeconds * 1000;
  if (seconds === null) return SNAPSHOT_TIMEOUT_SECONDS * 1000;
  return Math.ceil(seconds * 1.5 + 5) * 1000;
}

/**
 * What kind of answer came back, never its content: a target may answer with secrets
 * (an internal error page, a token) and the error is shown to whoever asked.
 */
function describeBody(r: FetchResult): string {
  const type = r.contentType.split(';')[0].trim().toLowerCase();
  const n = r.body.length;
  return `${n === 0 ? 'an empty body' : `a ${n}-byte body`}${type ? ` of type ${type}` : ' with no content type'}`;
}

function looksLikeHtml(r: FetchResult): boolean {
  if (/text\/html|application\/xhtml/i.test(r.contentType)) return true;
  const head = Buffer.from(r.body.subarray(0, 64)).toString('latin1').trimStart().toLowerCase();
  return head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body');
}

/** Turns a fetched answer into profile bytes, or a CaptureError explaining what came back. */
export function interpretAnswer(r: FetchResult, maxInflatedBytes: number): Profile {
  const where = `${r.finalUrl.host}${r.finalUrl.pathname}`;
  if (r.status !== 200) {
    // net/http/pprof explains its own errors in a text body marked with X-Go-Pprof; the
    // one that matters (another CPU profile running) is recognised, not repeated.
    const said = r.goPprofHeader || /^text\/plain/i.test(r.contentType) ? Buffer.from(r.body.subarray(0, 300)).toString('utf8') : '';
    if (r.goPprofHeader && /profiling already in use/i.test(said)) {
      throw new CaptureError(
        'busy',
        `capture already running: ${r.finalUrl.host} says its CPU profiler is already in use (someone else is profiling it)`,
      );
    }
    if (r.status === 404) {
      throw new CaptureError(
        'http-status',
        `target answered 404 Not Found for ${where}: it does not serve this profile (it sent ${describeBody(r)})`,
        422,
      );
    }
    throw new CaptureError('http-status', `target answered HTTP ${r.status} for ${where} (it sent ${describeBody(r)})`);
  }
  if (looksLikeHtml(r)) {
    throw new CaptureError(
      'not-profile',
      `${where} answered with an HTML page, not a profile: is this a Go /debug/pprof endpoint? (add the profile name, e.g. /debug/pprof/heap)`,
    );
  }
  if (r.body.length === 0) throw new CaptureError('not-profile', `${where} answered with an empty body, not a profile`);
  try {
    return decodeProfile(r.body, { maxInflatedBytes });
  } catch (e) {
    // The decoder's message may quote the input: name the failure kind only.
    const kind = e instanceof ProfileDecodeError ? ` (${e.kind})` : '';
    throw new CaptureError(
      'not-profile',
      `${where} did not answer with a pprof profile: it sent ${describeBody(r)} that is not a profile${kind}`,
    );
  }
}

export async function captureOnce(
  target: ResolvedCapture,
  limits: CaptureLimits,
  opts: { signal?: AbortSignal; timeoutSeconds?: number; onBytes?: (n: number) => void } = {},
): Promise<CaptureOutcome> {
  const r = await guardedGet(target.url, {
    policy: limits.policy,
    maxBytes: limits.maxBytes,
    totalTimeoutMs: totalTimeoutMs(target.seconds, opts.timeoutSeconds),
    firstByteTimeoutMs: (target.seconds ?? 0) * 1000 + (limits.firstByteSlackMs ?? FIRST_BYTE_SLACK_MS),
    connectTimeoutMs: limits.connectTimeoutMs,
    signal: opts.signal,
    onBytes: opts.onBytes,
  });
  const profile = interpretAnswer(r, limits.maxInflatedBytes);
  return { bytes: r.body, profile, finalUrl: r.finalUrl };
}

/** Sum of every sample type, for the watch chart (inuse_space, goroutine count, ...). */
export function sampleTotals(p: Profile): Array<{ type: string; unit: string; value: number }> {
  return p.sampleType.map((st, i) => {
    let v = 0;
    for (const s of p.sample) v += s.value[i] ?? 0;
    return { type: st.type, unit: st.unit, value: v };
  });
}
