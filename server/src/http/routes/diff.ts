// Comparison routes: the differential top table and flame tree of a profile against a
// base profile (`go tool pprof -diff_base=BASE NEW` / `-base=BASE NEW`).
import { Router, type Request, type Response } from 'express';
import { IncompatibleProfilesError } from '../../analysis/merge.js';
import type { DiffMode } from '../../../../contract/diff.js';
import type { DiffOptions } from '../../../../contract/diff.js';
import type { ProfileService } from '../../service/service.js';
import { clientGone } from '../client-gone.js';
import { HttpError } from '../errors.js';
import { parseFlameOptions, parseQuery, parseTopOptions, required, str, type RawQuery } from '../query-params.js';

type Raw = RawQuery;

function diffOptions(q: Raw): DiffOptions {
  const mode = str(q, 'mode') || 'diff_base';
  if (mode !== 'diff_base' && mode !== 'base') {
    throw new HttpError(
      400,
      `query parameter "mode" must be "diff_base" (percentages of the base) or "base" (subtract the base), got ${JSON.stringify(mode)}`,
    );
  }
  const norm = str(q, 'normalize');
  if (norm !== undefined && !['', '0', '1', 'true', 'false'].includes(norm)) {
    throw new HttpError(400, `query parameter "normalize" must be 1 or 0, got ${JSON.stringify(norm)}`);
  }
  return { mode: mode as DiffMode, normalize: norm === '1' || norm === 'true' || norm === '' };
}

function baseOf(q: Raw): string {
  return required(q, 'base', 'is required: the id of the profile to compare against');
}

/** pprof's refusal, said so a person knows which two profiles did not fit and why. */
async function explain<T>(id: string, baseId: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof IncompatibleProfilesError) {
      throw new IncompatibleProfilesError(
        `cannot compare profile ${id} with base ${baseId}: they are not the same kind of profile (${e.message})`,
      );
    }
    throw e;
  }
}

// Merging a large pair takes seconds: the service runs it in the analysis pool, which keeps
// both profiles and the memoised merge cached.
export function diffRouter(service: ProfileService): Router {
  const r = Router();

  r.get('/api/profiles/:id/diff', async (req: Request<{ id: string }>, res: Response) => {
    const q = req.query as Raw;
    const opts = diffOptions(q);
    const query = parseQuery(q);
    // The contract: rows as `go tool pprof -top -diff_base`, i.e. pprof's default
    // node fraction unless the caller asks (nodeFraction=0 lists every function).
    const top = { ...parseTopOptions(q), nodeFraction: q.nodeFraction === undefined ? 0.005 : parseTopOptions(q).nodeFraction };
    const baseId = baseOf(q);
    const id = req.params.id;
    const json = await explain(id, baseId, () =>
      service.view({ op: 'diffTop', id, baseId, query, opts: { ...top, ...opts } }, clientGone(res)),
    );
    res.type('application/json').send(json);
  });

  r.get('/api/profiles/:id/diff/flamegraph', async (req: Request<{ id: string }>, res: Response) => {
    const q = req.query as Raw;
    const opts = diffOptions(q);
    const query = parseQuery(q);
    const flame = parseFlameOptions(q);
    const baseId = baseOf(q);
    const id = req.params.id;
    const json = await explain(id, baseId, () =>
      service.view({ op: 'diffFlame', id, baseId, query, opts: { ...flame, ...opts } }, clientGone(res)),
    );
    res.type('application/json').send(json);
  });

  return r;
}
