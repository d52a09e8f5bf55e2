// Managing a stored profile, for its owner (service/ownership.ts says who that is):
//   PATCH  /api/profiles/:id   {name?: string, expiresAt?: ISO time | null, expiresIn?: "7d"}
//            -> 200 the public metadata
//   DELETE /api/profiles/:id   -> 204; bytes, metadata, attachments and cached copies are gone
//   GET    /api/profiles/:id/sanitised?modulePaths=1  -> what a sanitised copy leaves out
//   POST   /api/profiles/:id/sanitised {modulePaths?}  -> 201 a new profile, as an upload answers
// and `ownerOnly`, which refuses every other state-changing request on /api/profiles/:id/...
// (source archives, escape-analysis output) from anyone but the owner.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { isValidId, profileId } from '../../store/id.js';
import { cleanName, type ProfileService } from '../../service/service.js';
import { HttpError, NotFoundError } from '../../service/errors.js';
import type { StoredProfileInfo } from '../../store/types.js';
import { parseDuration } from '../../service/duration.js';
import { callerOf, profileLink } from '../sharing/guard.js';
import { assertOwner, isExpired, mayManage, ownershipForUpload, publicInfo } from '../../service/ownership.js';

async function ownedInfo(rt: ProfileService, req: Request<{ id: string }>): Promise<StoredProfileInfo> {
  const { id } = req.params;
  const info = isValidId(id) ? await rt.store.info(id) : null;
  if (!info || isExpired(info, rt.config.retentionMs ?? 0)) throw new NotFoundError(`no profile with id ${id}`);
  assertOwner(info, callerOf(req, rt.config), rt.config);
  return info;
}

/** The new expiry from a PATCH body, or undefined when the body does not change it. */
function expiryFrom(body: Record<string, unknown>, retentionMs: number, now: number): string | null | undefined {
  let at: number | null | undefined;
  if (body.expiresIn !== undefined) {
    const ms = typeof body.expiresIn === 'string' ? parseDuration(body.expiresIn) : null;
    if (ms === null || ms === 0) throw new HttpError(400, 'expiresIn must be a duration such as "7d", "12h" or "1d12h"');
    at = now + ms;
  } else if (body.expiresAt === null) {
    at = null;
  } else if (body.expiresAt !== undefined) {
    at = typeof body.expiresAt === 'string' ? Date.parse(body.expiresAt) : NaN;
    if (!Number.isFinite(at)) throw new HttpError(400, 'expiresAt must be an ISO 8601 time or null');
    if (at <= now) throw new HttpError(400, 'expiresAt must be in the future (DELETE removes a profile now)');
  } else {
    return undefined;
  }
  // The server's retention is the longest a profile may be kept.
  if (retentionMs > 0 && (at === null || at > now + retentionMs)) {
    throw new HttpError(400, `this server keeps profiles at most ${Math.round(retentionMs / 86_400_000)} day(s) (--retention)`);
  }
  return at === null ? null : new Date(at).toISOString();
}

export function manageRouter(rt: ProfileService): Router {
  const r = Router();
  const { config } = rt;
  const retention = config.retentionMs ?? 0;

  r.patch('/api/profiles/:id', express.json({ limit: '16kb' }), async (req: Request<{ id: string }>, res: Response) => {
    const info = await ownedInfo(rt, req);
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError(400, 'send a JSON object, e.g. {"name": "checkout cpu", "expiresIn": "7d"}');
    }
    const b = body as Record<string, unknown>;
    const next: StoredProfileInfo = { ...info };
    if (b.name !== undefined) {
      const name = typeof b.name === 'string' ? cleanName(b.name) : '';
      if (!name) throw new HttpError(400, 'name must be a non-empty string');
      next.name = name;
    }
    const exp = expiryFrom(b, retention, Date.now());
    if (exp !== undefined) next.expiresAt = exp;
    if (!(await rt.store.update(next))) throw new NotFoundError(`no profile with id ${info.id}`);
    res.json(publicInfo(next, retention));
  });

  r.get('/api/profiles/:id/sanitised', async (req: Request<{ id: string }>, res: Response) => {
    const { id } = req.params;
    const info = isValidId(id) ? await rt.store.info(id) : null;
    if (!info || isExpired(info, retention)) throw new NotFoundError(`no profile with id ${id}`);
    const modulePaths = req.query.modulePaths === '1' || req.query.modulePaths === 'true';
    const out = await rt.analyzer.run({ op: 'sanitise', id: info.id, modulePaths, preview: true }, info.size);
    if (!('json' in out)) throw new Error('analysis worker returned no report');
    res.type('application/json').send(out.json);
  });

  r.post('/api/profiles/:id/sanitised', express.json({ limit: '4kb' }), async (req: Request<{ id: string }>, res: Response) => {
    const info = await ownedInfo(rt, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const out = await rt.analyzer.run({ op: 'sanitise', id: info.id, modulePaths: body.modulePaths === true, preview: false }, info.size);
    if (!('file' in out)) throw new Error('analysis worker returned no profile');
    const caller = callerOf(req, config);
    const own = ownershipForUpload(caller, config);
    const bytes = out.file;
    const name = cleanName(`${info.name} (sanitised)`);
    const { info: copy, created } = await rt.storeWithId(
      profileId(bytes),
      bytes,
      name,
      { ...own.fields, sanitisedFrom: info.id },
      // As an upload: the same copy again comes back; anyone else's copy is a profile of their own.
      (prior) => prior.name === name && mayManage(prior, caller, config),
    );
    res.status(201).json({
      id: copy.id,
      url: profileLink(config, copy.id),
      owned: created || mayManage(copy, callerOf(req, config), config),
      ...(created ? { manageToken: own.token } : {}),
      expiresAt: publicInfo(copy, retention).expiresAt,
      sanitisedFrom: info.id,
    });
  });

  r.delete('/api/profiles/:id', async (req: Request<{ id: string }>, res: Response) => {
    const info = await ownedInfo(rt, req);
    await rt.deleteProfile(info.id);
    res.status(204).end();
  });

  return r;
}

/** Only the owner may change what is attached to a profile (any non-GET below /api/profiles/:id/). */
export function ownerOnly(rt: ProfileService) {
  return async (req: Request<{ id: string }>, _res: Response, next: NextFunction): Promise<void> => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || !isValidId(req.params.id)) {
      next();
      return;
    }
    const info = await rt.store.info(req.params.id);
    // Unknown ids fall through to the route, which answers 404 in its own words.
    if (info) assertOwner(info, callerOf(req, rt.config), rt.config);
    next();
  };
}
