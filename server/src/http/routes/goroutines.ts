// Goroutine groups of a stored goroutine dump (or goroutine profile), filtered, and
// compared with a base dump: GET /api/profiles/:id/goroutines?state=&minWait=&creator=&label=&base=.
import { Router, type Request, type Response } from 'express';
import type { ProfileService } from '../../service/service.js';
import { parseGoroutineFilter, str, type RawQuery } from '../query-params.js';

export function goroutinesRouter(service: ProfileService): Router {
  const r = Router();
  // Computed in the analysis pool where the dumps are cached (their parsed goroutines too).
  r.get('/api/profiles/:id/goroutines', async (req: Request<{ id: string }>, res: Response) => {
    const q = req.query as RawQuery;
    const filter = parseGoroutineFilter(q);
    const baseId = str(q, 'base') || undefined;
    res.type('application/json').send(await service.view({ op: 'goroutines', id: req.params.id, filter, baseId }));
  });
  return r;
}
