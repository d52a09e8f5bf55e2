// Messages between the HTTP thread and analysis workers, and how errors cross over.
import type { Query, TopOptions } from '../../model/query.js';
import { QueryError } from '../../model/query.js';
import type { ProfileMeta } from '../../model/views.js';
import { ProfileDecodeError, type DecodeErrorKind } from '../../decode/errors.js';
import { NotFoundError, type ServerConfig } from '../context.js';
import type { StoreConfig } from '../../store/types.js';

export type AnalysisTask =
  | { op: 'ingest'; id: string; bytes: Uint8Array }
  | { op: 'meta'; id: string }
  | { op: 'top'; id: string; query: Query; opts: TopOptions }
  | { op: 'flame'; id: string; query: Query; minFraction?: number; path?: string[] }
  | { op: 'source'; id: string; query: Query; fn: string };

/** ingest: the profile's metadata (and the bytes handed back); others: the view as JSON text. */
export type AnalysisResult = { meta: ProfileMeta; bytes?: Uint8Array } | { json: string };

export interface WireError {
  name: string;
  message: string;
  kind?: DecodeErrorKind;
}

export interface WorkerInit {
  store: StoreConfig;
  config: ServerConfig;
  cacheBytes: number;
}

export type ToWorker = { seq: number; task: AnalysisTask };
export type FromWorker = { seq: number; ok: true; result: AnalysisResult } | { seq: number; ok: false; error: WireError };

export function toWire(err: unknown): WireError {
  if (err instanceof ProfileDecodeError) return { name: 'ProfileDecodeError', message: err.message, kind: err.kind };
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
    default: {
      const e = new Error(w.message);
      e.name = w.name;
      return e;
    }
  }
}

/** JSON text of a view model; 64-bit values that are bigint travel as decimal strings. */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}
