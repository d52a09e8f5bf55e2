// Insights and concept library routes: findings for a stored profile, and the concept
// pages the findings link to.
import { Router, type Request, type Response } from 'express';
import { getConcept, listConcepts } from '../../insights/concepts/index.js';
import { computeInsights, InsightsQueryError } from '../../insights/engine.js';
import type { AppContext } from '../context.js';
import type { Profile } from '../../model/profile.js';
import type { InsightsReport } from '../../insights/types.js';
import { HttpError } from '../errors.js';

function oneParam(q: Record<string, unknown>, key: string): string | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, `query parameter "${key}" must be given once`);
  return v;
}

/**
 * Reports per decoded profile and sample type. The context caches decoded profiles, so a
 * WeakMap keyed by the Profile object lives exactly as long as that cache entry.
 */
const reports = new WeakMap<Profile, Map<string, InsightsReport>>();

function cachedInsights(p: Profile, si: string | undefined): InsightsReport {
  let m = reports.get(p);
  if (!m) reports.set(p, (m = new Map()));
  const key = si ?? '';
  let r = m.get(key);
  if (!r) m.set(key, (r = computeInsights(p, si)));
  return r;
}

export function insightsRouter(ctx: AppContext): Router {
  const r = Router();

  r.get('/api/profiles/:id/insights', async (req: Request<{ id: string }>, res: Response) => {
    const si = oneParam(req.query as Record<string, unknown>, 'si');
    const profile = await ctx.loadProfile(req.params.id);
    try {
      res.json({ id: req.params.id, ...cachedInsights(profile, si) });
    } catch (e) {
      if (e instanceof InsightsQueryError) throw new HttpError(400, e.message);
      throw e;
    }
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
