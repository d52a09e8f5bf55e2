// One place that turns any failure into `{"error": "..."}` with the right status.
import type { NextFunction, Request, Response } from 'express';
import { ProfileDecodeError } from '../decode/errors.js';
import { QueryError } from '../model/query.js';
import { NotFoundError } from './context.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof QueryError) return 400;
  // An invalid regexp from a filter surfaces as a SyntaxError from RegExp.
  if (err instanceof Error && err.name === 'SyntaxError') return 400;
  if (err instanceof ProfileDecodeError) {
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
  const e = err as { type?: string; status?: number };
  if (e && e.type === 'entity.too.large') return 413;
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) return e.status;
  return 500;
}

export function errorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  const status = statusOf(err);
  let message = err instanceof Error ? err.message : String(err);
  if (status >= 500) {
    console.error('pprof-lens: internal error:', err);
    message = `internal error: ${message}`;
  } else if (err instanceof ProfileDecodeError) {
    message = `not a valid profile (${err.kind}): ${message}`;
  }
  res.status(status).json({ error: message });
}
