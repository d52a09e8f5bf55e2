// Messages between the HTTP thread and analysis workers, and how errors cross over.
import type { GraphOptions, PeekOptions, Query, TopOptions, TopPageRequest } from '../../../contract/query.js';
import { QueryError } from '../model/query.js';
import type { ProfileMeta } from '../../../contract/views.js';
import { ProfileDecodeError, type DecodeErrorKind } from '../decode/errors.js';
import { IncompatibleProfilesError } from '../analysis/merge.js';
import { InsightsQueryError } from '../insights/engine.js';
import type { DiffOptions } from '../../../contract/diff.js';
import type { ServerConfig } from '../service/config.js';
import { HttpError, NotFoundError } from '../service/errors.js';
import type { StoreConfig } from '../store/types.js';
import type { ExportFormat, ExportView } from '../export/index.js';
import type { StageReport } from './progress.js';

export type AnalysisTask =
  | { op: 'ingest'; id: string; bytes: Uint8Array }
  | { op: 'meta'; id: string }
  /** `page`: rows offset..offset+limit only, in its order and search (report/top-page.ts). */
  | { op: 'top'; id: string; query: Query; opts: TopOptions; page?: TopPageRequest }
  | { op: 'flame'; id: string; query: Query; minFraction?: number; path?: string[] }
  | { op: 'source'; id: string; query: Query; fn: string }
  | { op: 'peek'; id: string; query: Query; re: string; opts: PeekOptions }
  | { op: 'graph'; id: string; query: Query; opts: GraphOptions }
  | { op: 'sandwich'; id: string; query: Query; fn: string; minFraction?: number }
  /** Forget a deleted profile: its decoded copy and everything derived from it. */
  | { op: 'evict'; id: string }
  /** A file of the current view (export/index.ts): folded stacks, speedscope JSON, filtered pprof. */
  | { op: 'export'; id: string; query: Query; format: ExportFormat; name: string; view?: ExportView }
  /** A sanitised copy (export/sanitise.ts): its report as JSON (preview), or its gzip bytes. */
  | { op: 'sanitise'; id: string; modulePaths: boolean; preview: boolean }
  /**
   * Prepares a view's input for a query ahead of the first request (answers null): the
   * header total's node values (`top`), or the flame graph's frame keys (default).
   */
  | { op: 'warm'; id: string; query: Query; view?: 'top' | 'flame' }
  | { op: 'tags'; id: string; query: Query; unit?: string; maxValues?: number }
  /** The sum of `ids` as pprof merges them (routed by `id`, the first), as gzipped pprof bytes. */
  | { op: 'merge'; id: string; ids: string[] }
  | FeatureTask;

/**
 * Work of the feature routes (ProfileService.view), run where the profiles are cached. Results are
 * `{ json }` like the core views. Two-profile tasks are routed by `id` (the new profile);
 * the worker loads `baseId` through the same store and keeps both in its LRU, so the
 * merged pair stays memoised there for the next request on that pair.
 */
export type FeatureTask =
  /**
   * InsightsReport of a profile and sample type; `name` (the stored name) goes into the
   * findings' commands, `baseId` is an earlier goroutine profile to compare with.
   */
  | { op: 'insights'; id: string; si?: string; name?: string; baseId?: string }
  /** DiffTopReport of `id` against `baseId`. */
  | { op: 'diffTop'; id: string; baseId: string; query: Query; opts: DiffOptions & TopOptions }
  /** DiffFlameGraph of `id` against `baseId`. */
  | { op: 'diffFlame'; id: string; baseId: string; query: Query; opts: DiffOptions & { minFraction?: number; path?: string[] } }
  /** The distinct, non-empty source file names of the profile's functions (first appearance order). */
  | { op: 'files'; id: string }
  /** GoroutinesView of a goroutine dump or profile, grouped and filtered; against baseId when given. */
  | { op: 'goroutines'; id: string; filter: GoroutineFilterWire; baseId?: string }
  /** Each input's value at a flame graph path (MergeShares), for the merged profile `id`. */
  | { op: 'mergeShares'; id: string; inputs: string[]; query: Query; path: string[] };

/** GoroutineFilter as it crosses to a worker (the creator regexp as its source). */
export interface GoroutineFilterWire {
  state?: string;
  minWait?: number;
  creator?: string;
  label?: string;
}

/** ingest and merge: the profile's metadata and bytes; export: a file; others: the view as JSON text. */
export type AnalysisResult = { meta: ProfileMeta; bytes?: Uint8Array } | { json: string } | { file: Uint8Array };

export interface WireError {
  name: string;
  message: string;
  kind?: DecodeErrorKind;
  /** HttpError's status. */
  status?: number;
}

export interface WorkerInit {
  store: StoreConfig;
  config: ServerConfig;
  cacheBytes: number;
  /**
   * Int32 slots shared with the pool: slot `seq % length` holds `seq` once that task's
   * client has gone away, so a worker skips the task instead of running it.
   */
  cancelled?: SharedArrayBuffer;
}

/** The worker skips a task whose client has gone away (see WorkerInit.cancelled). */
export function isCancelled(flags: Int32Array | null, seq: number): boolean {
  return flags !== null && Atomics.load(flags, seq % flags.length) === seq;
}

/** `progress`: report the task's stages (workers/progress.ts) while it runs. */
export type ToWorker = { seq: number; task: AnalysisTask; progress?: boolean };
export type FromWorker =
  | { seq: number; ok: true; result: AnalysisResult }
  | { seq: number; ok: false; error: WireError }
  /** A stage of a running task; its answer follows later. */
  | { seq: number; ok?: undefined; progress: StageReport };

export function toWire(err: unknown): WireError {
  if (err instanceof ProfileDecodeError) return { name: 'ProfileDecodeError', message: err.message, kind: err.kind };
  if (err instanceof HttpError) return { name: 'HttpError', message: err.message, status: err.status };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

export function fromWire(w: WireError): Error {
  switch (w.name) {
    case 'ProfileDecodeError':
      return new ProfileDecodeError(w.kind ?? 'malformed', w.message);
    case 'QueryError':
      return new QueryError(w.message);
    case 'NotFoundError':
      return new NotFoundError(w.message);
    case 'HttpError':
      return new HttpError(w.status ?? 500, w.message);
    // Feature errors the routes turn into their own 400 messages.
    case 'IncompatibleProfilesError':
      return new IncompatibleProfilesError(w.message);
    case 'InsightsQueryError':
      return new InsightsQueryError(w.message);
    default: {
      const e = new Error(w.message);
      e.name = w.name;
      return e;
    }
  }
}

/**
 * The view a task's progress is reported as (contract/progress.ts): the header's total
 * (the page asks for the top table's one row, `top?n=1`) and the upload's warm-up of its
 * values are the header's; every other task is its op's.
 */
export function progressView(task: AnalysisTask): string {
  if (task.op === 'warm' && task.view === 'top') return 'header';
  if (task.op === 'top' && !task.page && task.opts.nodeCount === 1) return 'header';
  return task.op;
}
