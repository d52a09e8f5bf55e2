// Goroutine groups of a stored goroutine dump (or goroutine profile), filtered, and
// compared with a base dump: GET /api/profiles/:id/goroutines?state=&minWait=&creator=&label=&base=.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { goroutinesBody } from '../analysis/feature-ops.js';
import { HttpError } from '../errors.js';
import { parseGoroutineFilter } from '../query-params.js';

export function goroutinesRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/profiles/:id/goroutines', async (req: Request<{ id: string }>, res: Response) => {
    const q = req.query as Record<string, unknown>;
    const filter = parseGoroutineFilter(q);
    const base = q.base;
    if (base !== undefined && typeof base !== 'string') throw new HttpError(400, 'query parameter "base" must be given once');
    const baseId = base || undefined;
    if (ctx.analyze) {
      res.type('application/json').send(await ctx.analyze({ op: 'goroutines', id: req.params.id, filter, baseId }));
      return;
    }
    const p = await ctx.loadProfile(req.params.id);
    const b = baseId ? await ctx.loadProfile(baseId) : undefined;
    res.json(goroutinesBody(req.params.id, p, filter, b, baseId));
  });
  return r;
}
