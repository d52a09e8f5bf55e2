// Guarded HTTP GET for live capture. Every connection -- the first one and each
// redirect hop -- goes through a connector that (1) refuses literal-IP hosts the
// policy forbids (Node skips `lookup` for those), (2) resolves names with a lookup
// that drops forbidden addresses, and (3) re-checks the socket's remote address
// after connecting. Redirects are followed by hand so each hop is re-validated.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { Socket } from 'node:net';
import { Agent, buildConnector, request } from 'undici';
import { checkAddress, isIpLiteral, portAllowed, type TargetPolicy } from './address-policy.js';
import { CaptureError } from './errors.js';

export interface GuardedFetchOptions {
  policy: TargetPolicy;
  /** Cap on the response body in bytes. */
  maxBytes: number;
  /** Whole request, including the capture duration. */
  totalTimeoutMs: number;
  /** Until the response headers arrive (default: totalTimeoutMs); a tarpit is dropped after it. */
  firstByteTimeoutMs?: number;
  connectTimeoutMs?: number;
  maxRedirects?: number;
  /** Aborting it cancels the fetch with a "cancelled" CaptureError. */
  signal?: AbortSignal;
  /** Called as body bytes arrive. */
  onBytes?: (received: number) => void;
}

export interface FetchResult {
  status: number;
  contentType: string;
  body: Uint8Array;
  /** The URL that produced the body (after redirects). */
  finalUrl: URL;
  /** Set by net/http/pprof on its own error answers. */
  goPprofHeader: boolean;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function refusedError(reason: string): CaptureError {
  return new CaptureError('refused', `target refused by address policy: ${reason}`);
}

/** dns.lookup wrapper that hands back only addresses the policy allows. */
export function guardedLookup(policy: TargetPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    dnsLookup(hostname, { family: options.family as 0 | 4 | 6 | undefined, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as LookupAddress[];
      const decisions = list.map((a) => ({ a, d: checkAddress(policy, hostname, a.address) }));
      const ok = decisions.filter((x) => x.d.allowed).map((x) => x.a);
      if (ok.length === 0) {
        const first = decisions[0];
        return callback(refusedError(first ? first.d.reason : `${hostname} has no addresses`), '');
      }
      if (options.all) callback(null, ok);
      else callback(null, ok[0]!.address, ok[0]!.family);
    });
  };
}

/** undici connector enforcing the policy on every new connection. */
export function guardedConnector(policy: TargetPolicy, connectTimeoutMs: number): buildConnector.connector {
  const base = buildConnector({ timeout: connectTimeoutMs, lookup: guardedLookup(policy) } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    if (isIpLiteral(opts.hostname)) {
      const d = checkAddress(policy, opts.hostname, opts.hostname, port);
      if (!d.allowed) return callback(refusedError(d.reason), null);
    } else if (!portAllowed(policy, opts.hostname, port)) {
      return callback(
        refusedError(
          `${opts.hostname} port ${port} is not an allowed target on this shared server; an admin can add it with --allow-target`,
        ),
        null,
      );
    }
    base(opts, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('connect failed'), null);
      const remote = (socket as Socket).remoteAddress;
      const d = remote ? checkAddress(policy, opts.hostname, remote, port) : null;
      if (!d || !d.allowed) {
        socket.destroy();
        return callback(refusedError(d ? d.reason : 'connected socket has no remote address'), null);
      }
      callback(null, socket);
    });
  };
}

function errorChain(e: unknown): Array<{ code?: string; message?: string }> {
  const out: Array<{ code?: string; message?: string }> = [];
  let cur: unknown = e;
  for (let i = 0; i < 6 && cur && typeof cur === 'object'; i++) {
    out.push(cur as { code?: string; message?: string });
    const c = cur as { cause?: unknown; errors?: unknown[] };
    cur = c.cause ?? (Array.isArray(c.errors) ? c.errors[0] : undefined);
  }
  return out;
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|EPROTO$|ERR_OSSL)/;

/** Maps network-level failures to a CaptureError with a message a user can act on. */
export function describeNetworkError(e: unknown, url: URL, timeoutMs: number): CaptureError {
  const chain = errorChain(e);
  for (const c of chain) if (c instanceof CaptureError) return c;
  const where = url.host;
  for (const c of chain) {
    const code = c.code ?? '';
    if (code === 'ECONNREFUSED')
      return new CaptureError('connect', `connection refused by ${where}: is the service running and listening there?`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new CaptureError('connect', `cannot resolve host ${url.hostname}`);
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new CaptureError('connect', `${where} is unreachable`);
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
      return new CaptureError('connect', `${where} closed the connection before answering`);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return new CaptureError('timeout', `could not connect to ${where}: connect timed out`);
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new CaptureError('timeout', `${where} did not answer within ${Math.round(timeoutMs / 1000)} s`);
    }
    if (TLS_CODES.test(code)) {
      return new CaptureError('tls', `TLS with ${where} failed (${code}): ${c.message ?? ''}`.trim());
    }
  }
  const msg = chain[0]?.message ?? String(e);
  return new CaptureError('connect', `fetching ${url.origin}${url.pathname} failed: ${msg}`);
}

/** A target that does not accept a connection within this is given up on. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

/** GET with the policy applied to every hop; resolves for any status code. */
export async function guardedGet(target: URL, opts: GuardedFetchOptions): Promise<FetchResult> {
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const maxRedirects = opts.maxRedirects ?? 5;
  const firstByteMs = Math.min(opts.firstByteTimeoutMs ?? opts.totalTimeoutMs, opts.totalTimeoutMs);
  const agent = new Agent({
    connect: guardedConnector(opts.policy, connectTimeoutMs),
    headersTimeout: firstByteMs,
    bodyTimeout: opts.totalTimeoutMs,
    connections: 1,
    pipelining: 0,
  });
  const ac = new AbortController();
  let why: CaptureError | null = null;
  const abort = (e: CaptureError): void => {
    if (!why) why = e;
    ac.abort(e);
  };
  const timer = setTimeout(
    () => abort(new CaptureError('timeout', `${target.host} did not finish answering within ${Math.round(opts.totalTimeoutMs / 1000)} s`)),
    opts.totalTimeoutMs,
  );
  const onCancel = (): void => abort(new CaptureError('cancelled', 'capture cancelled'));
  if (opts.signal?.aborted) onCancel();
  opts.signal?.addEventListener('abort', onCancel, { once: true });

  let url = new URL(target);
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new CaptureError('bad-request', `redirect to a ${url.protocol} URL refused: only http and https`);
      }
      if (isIpLiteral(url.hostname)) {
        const d = checkAddress(opts.policy, url.hostname, url.hostname, Number(url.port) || (url.protocol === 'https:' ? 443 : 80));
        if (!d.allowed) throw refusedError(hop > 0 ? `redirect to ${d.reason}` : d.reason);
      }
      let res;
      try {
        res = await request(url, {
          method: 'GET',
          dispatcher: agent,
          signal: ac.signal,
          headers: { 'user-agent': 'pprof-lens', accept: 'application/octet-stream, */*;q=0.5' },
        });
      } catch (e) {
        if (why) throw why;
        const err = describeNetworkError(e, url, firstByteMs);
        if (err.code === 'refused' && hop > 0)
          throw new CaptureError('refused', err.message.replace('address policy: ', 'address policy: redirect to '));
        throw err;
      }
      const location = res.headers['location'];
      if (res.statusCode >= 300 && res.statusCode < 400 && location) {
        await res.body.dump().catch(() => undefined);
        if (hop >= maxRedirects) throw new CaptureError('http-status', `too many redirects (more than ${maxRedirects})`);
        url = new URL(Array.isArray(location) ? location[0]! : location, url);
        continue;
      }
      const ct = res.headers['content-type'];
      const contentType = (Array.isArray(ct) ? ct[0] : ct) ?? '';
      const chunks: Uint8Array[] = [];
      let received = 0;
      try {
        for await (const chunk of res.body) {
          const buf = chunk as Uint8Array;
          received += buf.length;
          if (received > opts.maxBytes) {
            abort(new CaptureError('too-large', `the response from ${url.host} is larger than the ${opts.maxBytes} byte limit`));
            throw why;
          }
          chunks.push(buf);
          opts.onBytes?.(received);
        }
      } catch (e) {
        if (why) throw why;
        throw describeNetworkError(e, url, firstByteMs);
      }
      const body = Buffer.concat(chunks);
      return {
        status: res.statusCode,
        contentType,
        body: new Uint8Array(body.buffer, body.byteOffset, body.length),
        finalUrl: url,
        goPprofHeader: res.headers['x-go-pprof'] !== undefined,
      };
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCancel);
    agent.destroy().catch(() => undefined);
  }
}
