// Insights and concept library routes: findings for a stored profile, and the concept
// pages the findings link to.
import { Router, type Request, type Response } from 'express';
import { getConcept, listConcepts } from '../../insights/concepts/index.js';
import { InsightsQueryError } from '../../insights/engine.js';
import type { AppContext } from '../context.js';
import { insightsBody } from '../analysis/feature-ops.js';
import { HttpError } from '../errors.js';

function oneParam(q: Record<string, unknown>, key: string): string | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, `query parameter "${key}" must be given once`);
  return v;
}

/**
 * The findings' JSON body, computed in the analysis pool where the profile is cached (the
 * large heap takes ~0.5 s); reports are cached per decoded profile and sample type there.
 * A context without an analyzer (hand-built in tests) computes here from loadProfile.
 */
async function insightsJson(ctx: AppContext, id: string, si: string | undefined): Promise<string> {
  if (ctx.analyze) return ctx.analyze({ op: 'insights', id, si });
  return JSON.stringify(insightsBody(id, await ctx.loadProfile(id), si));
}

export function insightsRouter(ctx: AppContext): Router {
  const r = Router();

  r.get('/api/profiles/:id/insights', async (req: Request<{ id: string }>, res: Response) => {
    const si = oneParam(req.query as Record<string, unknown>, 'si');
    try {
      res.type('application/json').send(await insightsJson(ctx, req.params.id, si));
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
