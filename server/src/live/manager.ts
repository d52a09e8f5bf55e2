// Keeps track of running and finished captures so the web page can follow them:
// single captures (CPU for N seconds, or a snapshot) and watches (a snapshot every
// N seconds, M times). At most one CPU capture per target runs at a time.
import { randomBytes } from 'node:crypto';
import type { CaptureState, CaptureStatus } from '../../../contract/capture.js';
import { captureOnce, sampleTotals, type CaptureLimits } from './capture.js';
import { CaptureError } from './errors.js';
import { resolveCapture, MAX_SECONDS, type CaptureSpec, type ResolvedCapture } from './target-url.js';
import type { OwnerFields } from '../service/service.js';

export interface CaptureRequest extends CaptureSpec {
  /** Overall time limit for one fetch (default: 1.5 x seconds + 5 s, or 60 s for snapshots). */
  timeoutSeconds?: number;
  /** Who asked (the HTTP client's address): one client may hold only a few capture slots. */
  client?: string;
  /** Owner and manage-token hash recorded on every profile it stores, as for an upload (service/ownership.ts). */
  owner?: OwnerFields;
}

export interface WatchRequest extends CaptureRequest {
  intervalSeconds: number;
  count: number;
}

export interface ManagerDeps extends CaptureLimits {
  /** Stores validated profile bytes; returns the content id. */
  store(bytes: Uint8Array, name: string, owner?: OwnerFields): Promise<{ id: string; name: string }>;
  maxRunning?: number;
  /** Captures one client may have running at once (default MAX_PER_CLIENT). */
  maxPerClient?: number;
  /** Finished captures kept for status queries. */
  keepFinished?: number;
}

interface Entry {
  status: CaptureStatus;
  started: number;
  abort: AbortController;
  done: Promise<CaptureStatus>;
  lockKey: string | null;
  client: string;
  owner?: OwnerFields;
}

export const MAX_WATCH_COUNT = 120;
/** One client cannot take every slot (e.g. with targets that never answer). */
export const MAX_PER_CLIENT = 2;

function checkInt(v: unknown, name: string, min: number, max: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new CaptureError('bad-request', `${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

function profileFileName(t: ResolvedCapture, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const host = t.url.host.replace(/[^A-Za-z0-9.-]+/g, '_');
  const name = t.profile.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${host}-${name === 'profile' ? 'cpu' : name}-${stamp}.pb.gz`;
}

export class CaptureManager {
  private readonly entries = new Map<string, Entry>();
  /** targetKey -> cid of the CPU capture running against it. */
  private readonly cpuLocks = new Map<string, string>();

  constructor(private readonly deps: ManagerDeps) {}

  /** Validates and starts a single capture; returns its first status at once. */
  start(req: CaptureRequest): CaptureStatus {
    const target = resolveCapture(req);
    const timeoutSeconds = this.timeoutFor(req, target);
    const entry = this.register('single', target, req.client ?? '', req.owner);
    entry.done = this.runSingle(entry, target, timeoutSeconds);
    return this.snapshot(entry);
  }

  /** Starts a capture and waits for it to finish. */
  async run(req: CaptureRequest): Promise<CaptureStatus> {
    const first = this.start(req);
    return this.entries.get(first.cid)!.done;
  }

  startWatch(req: WatchRequest): CaptureStatus {
    const target = resolveCapture(req);
    if (target.kind === 'cpu') {
      throw new CaptureError('bad-request', 'watch mode takes snapshot profiles (heap, allocs, goroutine, ...), not the CPU profile');
    }
    const intervalSeconds = checkInt(req.intervalSeconds, 'intervalSeconds', 1, 3600);
    const count = checkInt(req.count, 'count', 2, MAX_WATCH_COUNT);
    const timeoutSeconds = this.timeoutFor(req, target);
    const entry = this.register('watch', target, req.client ?? '', req.owner);
    entry.status.watch = { intervalSeconds, count, snapshots: [], failures: [], nextAt: null };
    entry.done = this.runWatch(entry, target, intervalSeconds, count, timeoutSeconds);
    return this.snapshot(entry);
  }

  get(cid: string): CaptureStatus {
    const e = this.entries.get(cid);
    if (!e) throw new CaptureError('not-found', `no capture with id ${cid}`);
    return this.snapshot(e);
  }

  /** Waits for a capture to end (tests, CLI). */
  async wait(cid: string): Promise<CaptureStatus> {
    const e = this.entries.get(cid);
    if (!e) throw new CaptureError('not-found', `no capture with id ${cid}`);
    return e.done;
  }

  /** Cancels a running capture; finished ones are returned unchanged. */
  async cancel(cid: string): Promise<CaptureStatus> {
    const e = this.entries.get(cid);
    if (!e) throw new CaptureError('not-found', `no capture with id ${cid}`);
    if (e.status.state === 'running') e.abort.abort();
    return e.done;
  }

  /** Cancels everything (server shutdown). */
  async close(): Promise<void> {
    const pending = [...this.entries.values()].filter((e) => e.status.state === 'running');
    for (const e of pending) e.abort.abort();
    await Promise.allSettled(pending.map((e) => e.done));
  }

  private timeoutFor(req: CaptureRequest, target: ResolvedCapture): number | undefined {
    if (req.timeoutSeconds === undefined || req.timeoutSeconds === null) return undefined;
    const t = checkInt(req.timeoutSeconds, 'timeoutSeconds', 1, MAX_SECONDS * 2);
    if (target.seconds !== null && t <= target.seconds) {
      throw new CaptureError('bad-request', `timeoutSeconds (${t}) must be longer than the capture duration (${target.seconds} s)`);
    }
    return t;
  }

  private register(mode: 'single' | 'watch', target: ResolvedCapture, client: string, owner?: OwnerFields): Entry {
    const live = [...this.entries.values()].filter((e) => e.status.state === 'running');
    const mine = live.filter((e) => e.client === client).length;
    const perClient = this.deps.maxPerClient ?? MAX_PER_CLIENT;
    if (mine >= perClient) {
      throw new CaptureError(
        'limit',
        `you already have ${mine} captures running (at most ${perClient} per client); wait for one to finish or cancel it`,
      );
    }
    const running = live.length;
    if (running >= (this.deps.maxRunning ?? 8)) {
      throw new CaptureError('limit', `too many captures running (${running}); wait for one to finish`);
    }
    let lockKey: string | null = null;
    if (target.kind === 'cpu') {
      const holder = this.cpuLocks.get(target.targetKey);
      if (holder) {
        const h = this.entries.get(holder);
        const left = h && h.status.seconds ? Math.max(0, Math.ceil(h.status.seconds - (Date.now() - h.started) / 1000)) : 0;
        throw new CaptureError(
          'busy',
          `capture already running: a CPU capture of ${target.targetKey} is in progress (capture ${holder}, about ${left} s left)`,
        );
      }
      lockKey = target.targetKey;
    }
    const cid = randomBytes(12).toString('hex');
    if (lockKey) this.cpuLocks.set(lockKey, cid);
    const now = Date.now();
    const entry: Entry = {
      started: now,
      abort: new AbortController(),
      done: Promise.resolve(null as unknown as CaptureStatus),
      lockKey,
      client,
      owner,
      status: {
        cid,
        mode,
        state: 'running',
        profile: target.profile,
        kind: target.kind,
        target: target.targetKey,
        path: target.url.pathname + target.url.search,
        seconds: target.seconds,
        startedAt: new Date(now).toISOString(),
        finishedAt: null,
        elapsedMs: 0,
        progress: 0,
        bytes: 0,
        result: null,
        error: null,
        errorCode: null,
        errorStatus: null,
      },
    };
    this.entries.set(cid, entry);
    this.prune();
    return entry;
  }

  private snapshot(e: Entry): CaptureStatus {
    const s = e.status;
    if (s.state === 'running') {
      s.elapsedMs = Date.now() - e.started;
      if (s.mode === 'single' && s.seconds) s.progress = Math.min(0.99, s.elapsedMs / (s.seconds * 1000));
    }
    return structuredClone(s);
  }

  private finish(e: Entry, state: CaptureState, err?: unknown): CaptureStatus {
    const s = e.status;
    s.state = state;
    s.finishedAt = new Date().toISOString();
    s.elapsedMs = Date.now() - e.started;
    if (state === 'done') s.progress = 1;
    if (err !== undefined) {
      const ce = err instanceof CaptureError ? err : new CaptureError('connect', (err as Error)?.message ?? String(err));
      s.error = ce.message;
      s.errorCode = ce.code;
      s.errorStatus = ce.status;
    }
    if (s.watch) s.watch.nextAt = null;
    if (e.lockKey && this.cpuLocks.get(e.lockKey) === s.cid) this.cpuLocks.delete(e.lockKey);
    return structuredClone(s);
  }

  private async captureAndStore(e: Entry, target: ResolvedCapture, timeoutSeconds: number | undefined) {
    const out = await captureOnce(target, this.deps, {
      signal: e.abort.signal,
      timeoutSeconds,
      onBytes: (n) => {
        e.status.bytes = n;
      },
    });
    if (e.abort.signal.aborted) throw new CaptureError('cancelled', 'capture cancelled');
    const stored = await this.deps.store(out.bytes, profileFileName(target, new Date()), e.owner);
    return { ...out, ref: { id: stored.id, url: `/p/${stored.id}`, name: stored.name } };
  }

  private async runSingle(e: Entry, target: ResolvedCapture, timeoutSeconds: number | undefined): Promise<CaptureStatus> {
    try {
      const out = await this.captureAndStore(e, target, timeoutSeconds);
      e.status.result = out.ref;
      return this.finish(e, 'done');
    } catch (err) {
      const cancelled = err instanceof CaptureError && err.code === 'cancelled';
      return this.finish(e, cancelled ? 'cancelled' : 'failed', err);
    }
  }

  private async runWatch(
    e: Entry,
    target: ResolvedCapture,
    intervalSeconds: number,
    count: number,
    timeoutSeconds: number | undefined,
  ): Promise<CaptureStatus> {
    const w = e.status.watch!;
    let consecutiveFailures = 0;
    for (let i = 0; i < count; i++) {
      const due = e.started + i * intervalSeconds * 1000;
      if (i > 0) {
        w.nextAt = new Date(due).toISOString();
        const cancelled = await sleepUntil(due, e.abort.signal);
        if (cancelled) return this.finish(e, 'cancelled');
      }
      w.nextAt = null;
      try {
        const out = await this.captureAndStore(e, target, timeoutSeconds);
        w.snapshots.push({ index: i, takenAt: new Date().toISOString(), ...out.ref, totals: sampleTotals(out.profile) });
        consecutiveFailures = 0;
      } catch (err) {
        if (e.abort.signal.aborted) return this.finish(e, 'cancelled');
        const msg = err instanceof CaptureError ? err.message : String(err);
        w.failures.push({ index: i, error: msg });
        // A target that is gone or refused will not come back by itself.
        if (++consecutiveFailures >= 3 || (err instanceof CaptureError && (err.code === 'refused' || err.code === 'bad-request'))) {
          return this.finish(e, 'failed', err);
        }
      }
      e.status.progress = (i + 1) / count;
    }
    return this.finish(e, 'done');
  }

  /** Drops the oldest finished captures beyond keepFinished. */
  private prune(): void {
    const keep = this.deps.keepFinished ?? 200;
    const finished = [...this.entries.values()].filter((x) => x.status.state !== 'running');
    for (let i = 0; i < finished.length - keep; i++) this.entries.delete(finished[i]!.status.cid);
  }
}

/** Resolves true when cancelled before `when`. */
function sleepUntil(when: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(true);
    const t = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve(false);
      },
      Math.max(0, when - Date.now()),
    );
    const onAbort = (): void => {
      clearTimeout(t);
      resolve(true);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export { resolveCapture };
