// Turns what the user typed (a base URL, a /debug/pprof/ root, or a full profile
// URL) into the exact URL to fetch. Pure.
import { CaptureError } from './errors.js';

export type ProfileKind = 'cpu' | 'snapshot';

export interface ResolvedCapture {
  /** URL fetched for the profile (debug= removed, seconds/gc set). */
  url: URL;
  /** Profile name as served under /debug/pprof/, e.g. "heap", "profile", "live.widgets". */
  profile: string;
  kind: ProfileKind;
  /** Capture duration in seconds (CPU, or a delta profile), else null. */
  seconds: number | null;
  /** "scheme://host:port": at most one CPU capture runs per key. */
  targetKey: string;
}

export interface CaptureSpec {
  url: string;
  /** Profile name; overrides the one in the URL path. */
  profile?: string;
  seconds?: number;
  gc?: boolean;
}

export const DEFAULT_CPU_SECONDS = 30;
export const MAX_SECONDS = 600;

/** Endpoints under /debug/pprof/ that do not return pprof protobufs. */
const NOT_PROFILES = new Set(['cmdline', 'symbol', 'symbolz', 'trace']);

/** Parses user input into an http(s) URL; "host:port" gets "http://" like go tool pprof. */
export function parseTargetUrl(input: unknown): URL {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new CaptureError('bad-request', 'url is required, e.g. "http://127.0.0.1:6060"');
  }
  let text = input.trim();
  if (text.length > 2048) throw new CaptureError('bad-request', 'url is too long');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CaptureError('bad-request', `not a valid URL: ${JSON.stringify(input)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CaptureError('bad-request', `only http and https targets are supported, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username || url.password) {
    throw new CaptureError('bad-request', 'credentials in the URL are not supported');
  }
  if (url.hostname === '') throw new CaptureError('bad-request', 'the URL has no host');
  url.hash = '';
  return url;
}

/** The /debug/pprof/ directory a URL points into (always ends with "/"). */
export function pprofRootPath(url: URL): string {
  const path = url.pathname;
  const at = path.indexOf('/debug/pprof/');
  if (at >= 0) return path.slice(0, at + '/debug/pprof/'.length);
  if (path === '' || path === '/') return '/debug/pprof/';
  if (path.endsWith('/debug/pprof')) return `${path}/`;
  if (path.endsWith('/')) return path; // pprof mounted somewhere custom
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/** URL of the /debug/pprof/ index page for a base or profile URL. */
export function indexUrl(input: unknown): URL {
  const url = parseTargetUrl(input);
  const out = new URL(url.origin);
  out.pathname = pprofRootPath(url);
  return out;
}

export function targetKey(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function parseSeconds(v: unknown, what: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_SECONDS) {
    throw new CaptureError('bad-request', `${what} must be a whole number of seconds from 1 to ${MAX_SECONDS}`);
  }
  return n;
}

export function resolveCapture(spec: CaptureSpec): ResolvedCapture {
  const given = parseTargetUrl(spec.url);
  const root = pprofRootPath(given);
  let profile: string;
  if (spec.profile !== undefined && spec.profile !== null && spec.profile !== '') {
    if (typeof spec.profile !== 'string') throw new CaptureError('bad-request', 'profile must be a string');
    profile = spec.profile;
  } else {
    const rest = given.pathname.startsWith(root) ? given.pathname.slice(root.length) : '';
    // Like `go tool pprof http://host:port`: an empty profile path means CPU.
    profile = rest === '' ? 'profile' : decodeURIComponent(rest);
  }
  if (!/^[A-Za-z0-9._-][A-Za-z0-9._/-]{0,127}$/.test(profile) || profile.includes('..')) {
    throw new CaptureError('bad-request', `not a profile name: ${JSON.stringify(profile)}`);
  }
  if (NOT_PROFILES.has(profile)) {
    throw new CaptureError(
      'bad-request',
      profile === 'trace'
        ? '/debug/pprof/trace is an execution trace (go tool trace), not a pprof profile'
        : `/debug/pprof/${profile} is not a profile`,
    );
  }
  const url = new URL(given.origin);
  url.pathname = root + profile.split('/').map(encodeURIComponent).join('/');
  // Keep the user's other query parameters, but always ask for the protobuf form.
  for (const [k, v] of given.searchParams) if (k !== 'debug') url.searchParams.append(k, v);
  // Except the goroutine dump (debug=2): its text carries states, wait times and creators,
  // and the decoder reads it (goroutines/parse.ts).
  if (profile === 'goroutine' && given.searchParams.get('debug') === '2') url.searchParams.set('debug', '2');

  const kind: ProfileKind = profile === 'profile' ? 'cpu' : 'snapshot';
  let seconds: number | null = null;
  if (spec.seconds !== undefined && spec.seconds !== null) {
    seconds = parseSeconds(spec.seconds, 'seconds');
  } else if (url.searchParams.has('seconds')) {
    seconds = parseSeconds(url.searchParams.get('seconds'), 'seconds in the URL');
  } else if (kind === 'cpu') {
    seconds = DEFAULT_CPU_SECONDS;
  }
  if (seconds !== null) url.searchParams.set('seconds', String(seconds));
  if (spec.gc) {
    if (profile !== 'heap') throw new CaptureError('bad-request', 'gc applies to the heap profile only');
    url.searchParams.set('gc', '1');
  }
  return { url, profile, kind, seconds, targetKey: targetKey(url) };
}
