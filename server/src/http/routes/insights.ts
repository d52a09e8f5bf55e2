// Insights and concept library routes: findings for a stored profile, and the concept
// pages the findings link to.
import { Router, type Request, type Response } from 'express';
import { getConcept, listConcepts } from '../../insights/concepts/index.js';
import type { ProfileService } from '../../service/service.js';
import { HttpError } from '../errors.js';
import { str, type RawQuery } from '../query-params.js';

export function insightsRouter(service: ProfileService): Router {
  const r = Router();

  // Computed in the analysis pool where the profile is cached (the large heap takes ~0.5 s);
  // reports are cached there per decoded profile and sample type.
  // ?base=ID: an earlier goroutine profile of the same program (goroutine.growth), given
  // as the compare and goroutines routes take theirs.
  r.get('/api/profiles/:id/insights', async (req: Request<{ id: string }>, res: Response) => {
    const q = req.query as RawQuery;
    const si = str(q, 'si');
    const baseId = str(q, 'base') || undefined;
    const id = req.params.id;
    // The stored name goes into the findings' "Try next" commands (404 for an unknown id).
    const { name } = await service.info(id);
    if (baseId) await service.info(baseId);
    res.type('application/json').send(await service.view({ op: 'insights', id, si, name, baseId }));
  });

  r.get('/api/concepts', (_req: Request, res: Response) => {
    res.json({ concepts: listConcepts() });
  });

  r.get('/api/concepts/:slug', (req: Request<{ slug: string }>, res: Response) => {
    const c = getConcept(req.params.slug);
    if (!c) throw new HttpError(404, `no concept named "${req.params.slug}"; GET /api/concepts lists them`);
    res.json(c);
  });

  return r;
}
