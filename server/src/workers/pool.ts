// Runs analysis off the HTTP thread so one large profile does not stall other requests.
// Each worker keeps its own LRU of decoded profiles; a profile id sticks to the worker that
// decoded it. A small profile whose worker is busy moves to an idle worker instead (it
// decodes again there, cheaply), or, when every worker is busy, to one extra worker kept
// for small profiles, so a second user's small request is not queued behind a long analysis.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HttpError } from '../service/errors.js';
import { fromWire, progressView, type AnalysisResult, type AnalysisTask, type FromWorker, type WorkerInit } from './protocol.js';
import { PROGRESS_MIN_BYTES, ProgressBoard } from './progress.js';
import type { ProfileProgress } from '../../../contract/progress.js';

/**
 * Profiles at most this big (stored bytes) may be re-decoded on an idle worker: cheap to
 * decode twice. Bigger ones (the 772 KB largeheap decodes to ~145 MB) wait for their worker.
 */
const MOVE_MAX_BYTES = 256 * 1024;
/** Decoded-profile budget of the small-request lane: it only ever holds small profiles. */
const LANE_CACHE_BYTES = 64 * 1024 * 1024;
const MAX_ASSIGNMENTS = 10_000;
/** Ring of cancellation flags shared with the workers (indexed by task seq). */
const CANCEL_SLOTS = 4096;
/**
 * A task whose client went away and that is still running this long afterwards has its
 * worker restarted (when it runs nothing else): quick tasks finish within it and keep the
 * worker's decoded-profile cache, a runaway analysis stops taking a worker.
 */
export const ABANDON_GRACE_MS = 1000;
export const DEFAULT_WORKER_HEAP_MB = 6144;

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: AnalysisResult) => void; reject: (e: Error) => void }>;
  /** Whether a task is running in the worker; others wait in `queue` on this thread. */
  busy: boolean;
  queue: { seq: number; task: AnalysisTask; rank: number; progress: boolean }[];
}

/**
 * Order of queued tasks on one worker (lower first, then arrival): what the page's first
 * screen needs (metadata, the header's total, the top table's first page) goes before a
 * flame graph, which goes before preparing one ahead of time. A running task is never
 * interrupted.
 */
export function taskRank(task: AnalysisTask): number {
  switch (task.op) {
    case 'ingest':
    case 'meta':
    case 'evict':
      return 0;
    case 'top':
      return task.page || (task.opts.nodeCount !== undefined && task.opts.nodeCount > 0 && task.opts.nodeCount <= 1000) ? 0 : 1;
    case 'flame':
      return 2;
    case 'warm':
      return 3;
    default:
      return 1;
  }
}

/**
 * The worker script: a build ships dist/analysis-worker.mjs (next to the bundle or its
 * chunks dir); from TypeScript sources the tsx boot file next to this module is used.
 */
export function workerEntry(): URL | null {
  const here = import.meta.url;
  if (!/\.[cm]?ts$/.test(here)) {
    for (const rel of ['./analysis-worker.mjs', '../analysis-worker.mjs']) {
      const built = new URL(rel, here);
      if (existsSync(fileURLToPath(built))) return built;
    }
  }
  const boot = new URL('./worker-boot.mjs', here);
  if (existsSync(fileURLToPath(boot))) return boot;
  return null;
}

/** An Analyzer (analyzer.ts) over worker threads. */
export class WorkerPool {
  private slots: Slot[] = [];
  private seq = 0;
  private assigned = new Map<string, number>();
  private closed = false;
  private cancelFlags = new Int32Array(new SharedArrayBuffer(4 * CANCEL_SLOTS));
  /** Stages of queued and running tasks (GET /api/profiles/:id/progress). */
  private board = new ProgressBoard();

  /**
   * Index of the small-request lane: one extra worker that only takes small profiles' tasks,
   * and only when their worker is busy. With every regular worker analysing a large profile
   * (a comparison on one, insights of another), a second user's small request would
   * otherwise queue behind seconds of work. Null when disabled.
   */
  private lane: number | null;

  constructor(
    private init: WorkerInit,
    readonly workers: number,
    private entry: URL,
    private heapMb = DEFAULT_WORKER_HEAP_MB,
    smallLane = true,
  ) {
    this.lane = smallLane ? workers : null;
    const threads = workers + (smallLane ? 1 : 0);
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn(i));
  }

  private spawn(index: number): Slot {
    // A heap limit per worker: a profile too big to decode kills that worker (and is
    // answered 413), not the whole server.
    const base = { ...this.init, cancelled: this.cancelFlags.buffer as SharedArrayBuffer };
    const init = index === this.lane ? { ...base, cacheBytes: Math.min(this.init.cacheBytes, LANE_CACHE_BYTES) } : base;
    const worker = new Worker(this.entry, {
      workerData: init,
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    const slot: Slot = { worker, pending: new Map(), busy: false, queue: [] };
    worker.on('message', (msg: FromWorker) => {
      if (msg.ok === undefined) return this.board.report(msg.seq, msg.progress);
      slot.busy = false;
      this.next(slot);
      const p = slot.pending.get(msg.seq);
      if (!p) return;
      slot.pending.delete(msg.seq);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(fromWire(msg.error));
    });
    const fail = (err: Error) => {
      slot.queue = [];
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      for (const [id, w] of this.assigned) if (w === index) this.assigned.delete(id);
      if (!this.closed) this.slots[index] = this.spawn(index);
    };
    worker.on('error', (err: Error & { code?: string }) => {
      fail(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new HttpError(413, 'profile too large to analyse: the analysis worker ran out of memory')
          : new Error(`analysis worker failed: ${err.message}`),
      );
    });
    worker.on('exit', (code) => {
      if (!this.closed && this.slots[index] === slot) fail(new Error(`analysis worker exited (code ${code})`));
    });
    return slot;
  }

  /**
   * `partner`: the other profile of a two-profile task (a comparison's base). A pair whose
   * new profile has no worker yet goes to the worker already holding the base, so only the
   * new one is decoded there; afterwards the pair sticks to the new profile's worker.
   */
  private pick(id: string, sizeHint: number, partner?: string): number {
    const load = (i: number) => this.slots[i].pending.size;
    // Least busy regular worker; ties go to the one holding fewer profiles, spreading them out.
    const held = new Array<number>(this.workers).fill(0);
    for (const w of this.assigned.values()) held[w]++;
    let best = 0;
    for (let i = 1; i < this.workers; i++) {
      if (load(i) < load(best) || (load(i) === load(best) && held[i] < held[best])) best = i;
    }
    const small = sizeHint <= MOVE_MAX_BYTES;
    const own = this.assigned.get(id);
    const holder = own ?? (partner === undefined ? undefined : this.assigned.get(partner));
    const target = holder !== undefined && (load(holder) === 0 || !small || load(best) > 0) ? holder : best;
    // Every regular worker that could take it is busy: a small task goes to the lane (it
    // decodes there, cheaply; the lane is never a profile's assigned worker).
    if (small && this.lane !== null && load(target) > 0 && load(this.lane) < load(target)) return this.lane;
    if (own !== target) this.assign(id, target);
    return target;
  }

  private assign(id: string, worker: number): void {
    if (this.assigned.size >= MAX_ASSIGNMENTS) this.assigned.clear();
    this.assigned.set(id, worker);
  }

  run(task: AnalysisTask, sizeHint = 0, signal?: AbortSignal): Promise<AnalysisResult> {
    if (this.closed) return Promise.reject(new Error('analysis pool is closed'));
    if (signal?.aborted) return Promise.reject(abandoned());
    const partner = task.op === 'diffTop' || task.op === 'diffFlame' ? task.baseId : undefined;
    return this.send(this.pick(task.id, sizeHint, partner), task, signal, sizeHint >= PROGRESS_MIN_BYTES);
  }

  progress(id: string): ProfileProgress {
    return this.board.of(id);
  }

  async evict(id: string): Promise<void> {
    if (this.closed) return;
    this.assigned.delete(id);
    // Any worker may hold a copy (small profiles move between workers, the lane decodes too).
    await Promise.all(this.slots.map((_, i) => this.send(i, { op: 'evict', id })));
  }

  private send(index: number, task: AnalysisTask, signal?: AbortSignal, progress = false): Promise<AnalysisResult> {
    const slot = this.slots[index];
    const seq = ++this.seq;
    if (task.op !== 'evict') this.board.queued(seq, task.id, progressView(task));
    return new Promise<AnalysisResult>((resolve, reject) => {
      let onAbort: (() => void) | null = null;
      const done = () => {
        this.board.done(seq);
        if (onAbort) signal?.removeEventListener('abort', onAbort);
      };
      slot.pending.set(seq, {
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
      });
      if (signal && task.op !== 'ingest') {
        onAbort = () => this.abandon(index, slot, seq);
        signal.addEventListener('abort', onAbort, { once: true });
      }
      slot.queue.push({ seq, task, rank: taskRank(task), progress });
      if (!slot.busy) this.next(slot);
    });
  }

  /** Sends the first queued task of the lowest rank to an idle worker. */
  private next(slot: Slot): void {
    if (slot.busy || slot.queue.length === 0) return;
    let at = 0;
    for (let i = 1; i < slot.queue.length; i++) if (slot.queue[i].rank < slot.queue[at].rank) at = i;
    const [{ seq, task, progress }] = slot.queue.splice(at, 1);
    slot.busy = true;
    this.board.started(seq);
    if (task.op === 'ingest') {
      // Move the upload's buffer to the worker; it comes back with the reply.
      slot.worker.postMessage({ seq, task, progress }, [task.bytes.buffer as ArrayBuffer]);
    } else {
      slot.worker.postMessage({ seq, task, progress });
    }
  }

  /**
   * The client of task `seq` has gone away: a queued task is skipped by the worker; one
   * still running after ABANDON_GRACE_MS, alone on its worker, ends with that worker.
   */
  private abandon(index: number, slot: Slot, seq: number): void {
    Atomics.store(this.cancelFlags, seq % CANCEL_SLOTS, seq);
    const timer = setTimeout(() => {
      if (this.closed || this.slots[index] !== slot || !slot.pending.has(seq) || slot.pending.size !== 1) return;
      // The exit handler rejects the task and starts a fresh worker.
      void slot.worker.terminate();
    }, ABANDON_GRACE_MS);
    timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

function abandoned(): Error {
  return new HttpError(499, 'cancelled: the client has gone away');
}
