// The one place that turns any failure into `{"error": "..."}` with the right status.
// Routes throw; they do not choose statuses for other layers' errors.
import type { NextFunction, Request, Response } from 'express';
import { IncompatibleProfilesError } from '../analysis/merge.js';
import { ProfileDecodeError } from '../decode/errors.js';
import { InsightsQueryError } from '../insights/engine.js';
import { CaptureError } from '../live/errors.js';
import { QueryError } from '../model/query.js';
import { HttpError, NotFoundError } from '../service/errors.js';
import { ArchiveError } from '../source/archive.js';
import { EscapeRunError } from '../source/escape-run.js';

export { HttpError, NotFoundError };

function decodeStatus(err: ProfileDecodeError): number {
  switch (err.kind) {
    case 'too-large':
      return 413;
    case 'not-a-profile':
    case 'unsupported':
      return 415;
    default:
      return 422;
  }
}

/** Status and user-facing message of an error; null status = an unexpected (internal) error. */
function describe(err: unknown): { status: number | null; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof HttpError || err instanceof CaptureError || err instanceof EscapeRunError) return { status: err.status, message };
  if (err instanceof NotFoundError) return { status: 404, message };
  if (err instanceof QueryError || err instanceof InsightsQueryError || err instanceof IncompatibleProfilesError)
    return { status: 400, message };
  // An invalid regexp from a filter surfaces as a SyntaxError from RegExp.
  if (err instanceof Error && err.name === 'SyntaxError') return { status: 400, message };
  if (err instanceof ProfileDecodeError) {
    // "this is a PNG image, not a profile; ..." says it all: the kind label is for the others.
    if (err.kind === 'not-a-profile') return { status: decodeStatus(err), message };
    return { status: decodeStatus(err), message: `not a valid profile (${err.kind}): ${message}` };
  }
  if (err instanceof ArchiveError) return { status: err.tooLarge ? 413 : 400, message: `sources archive rejected: ${message}` };
  // Express's own body-parser errors.
  const e = err as { type?: string; status?: number };
  if (e && e.type === 'entity.too.large') return { status: 413, message };
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) return { status: e.status, message };
  return { status: null, message };
}

/** The HTTP status an error answers with (500 for an unexpected one); the fuzzer checks it. */
export function statusOf(err: unknown): number {
  return describe(err).status ?? 500;
}

export function errorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  const { status, message } = describe(err);
  if (status === null) {
    console.error('pprof-lens: internal error:', err);
    res.status(500).json({ error: `internal error: ${message}` });
    return;
  }
  // A rejected oversized upload leaves unread body bytes: close instead of draining them.
  if (status === 413) res.set('Connection', 'close');
  res.status(status).json({ error: message });
}
