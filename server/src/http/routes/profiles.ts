// Core profile routes: upload, list, metadata, top, flame graph, source listing, raw bytes.
import { Router, type Request, type Response } from 'express';
import { isValidId } from '../../store/id.js';
import type { AnalysisTask } from '../analysis/protocol.js';
import type { Runtime } from '../app-context.js';
import { NotFoundError, type StoredProfileInfo } from '../context.js';
import { HttpError } from '../errors.js';
import { parseFlameOptions, parseQuery, parseTopOptions } from '../query-params.js';
import { readUpload } from '../upload.js';
import { uploadHook } from '../upload-hooks.js';
import { callerOf, profileLink } from '../sharing/guard.js';
import { isExpired, mayManage, ownershipForUpload, publicInfo, visibleInList } from '../sharing/ownership.js';

async function infoOr404(rt: Runtime, id: string): Promise<StoredProfileInfo> {
  const info = isValidId(id) ? await rt.store.info(id) : null;
  if (!info) throw new NotFoundError(`no profile with id ${id}`);
  // Expired but not yet swept: gone already.
  if (isExpired(info, rt.ctx.config.retentionMs ?? 0)) throw new HttpError(410, `profile ${id} has expired`);
  return info;
}

function positiveInt(v: unknown, name: string, dflt: number, max: number): number {
  if (v === undefined || v === '') return dflt;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1) {
    throw new HttpError(400, `query parameter "${name}" must be a positive integer`);
  }
  return Math.min(Number(v), max);
}

export function profilesRouter(rt: Runtime): Router {
  const r = Router();
  const { config } = rt.ctx;

  const retention = config.retentionMs ?? 0;

  r.post('/api/profiles', async (req: Request, res: Response) => {
    const caller = callerOf(req, config);
    const up = await readUpload(req, config.maxUploadBytes);
    const own = ownershipForUpload(caller, config);
    const { info, created } = await rt.storeWithId(up.id, up.bytes, up.name ?? '', own.fields);
    // The same bytes stored earlier by someone else keep their owner: this caller gets the
    // link (they hold the bytes anyway) but may not replace that profile's attachments.
    const owned = created || mayManage(info, caller, config);
    if (!owned && up.extras.length > 0) {
      throw new HttpError(403, `profile ${info.id} is already stored by another user; only its owner may attach files to it`);
    }
    for (const extra of up.extras) {
      const hook = uploadHook(extra.field);
      if (hook) await hook.handle(rt.ctx, info, extra);
    }
    res.status(201).json({
      id: info.id,
      url: profileLink(config, info.id),
      owned,
      // Shown once: only its hash is stored.
      ...(created ? { manageToken: own.token } : {}),
      expiresAt: publicInfo(info, retention).expiresAt,
    });
  });

  r.get('/api/profiles', async (req: Request, res: Response) => {
    const page = positiveInt(req.query.page, 'page', 1, 1_000_000);
    const limit = positiveInt(req.query.limit, 'limit', 50, 1000);
    const caller = callerOf(req, config);
    const all = (await rt.store.list()).filter((info) => visibleInList(info, caller, config));
    res.json({
      profiles: all.slice((page - 1) * limit, page * limit).map((info) => publicInfo(info, retention)),
      total: all.length,
      page,
      // "all": every stored profile; "owner": the caller's own; "none": no identity, so nothing.
      scope: !config.shared && !config.authHeader ? 'all' : caller.user ? 'owner' : 'none',
    });
  });

  r.get('/api/profiles/:id', async (req: Request<{ id: string }>, res: Response) => {
    const info = await infoOr404(rt, req.params.id);
    const meta = await rt.meta(info);
    res.json({ ...meta, ...publicInfo(info, retention), canManage: mayManage(info, callerOf(req, config), config) });
  });

  const view = (build: (id: string, q: Record<string, unknown>) => AnalysisTask) =>
    async (req: Request<{ id: string }>, res: Response) => {
      const info = await infoOr404(rt, req.params.id);
      const task = build(info.id, req.query as Record<string, unknown>);
      const out = await rt.analyzer.run(task, info.size);
      if (!('json' in out)) throw new Error('analysis worker returned no view');
      res.type('application/json').send(out.json);
    };

  r.get(
    '/api/profiles/:id/top',
    view((id, q) => ({ op: 'top', id, query: parseQuery(q), opts: parseTopOptions(q) })),
  );
  r.get(
    '/api/profiles/:id/flamegraph',
    view((id, q) => ({ op: 'flame', id, query: parseQuery(q), ...parseFlameOptions(q) })),
  );
  r.get(
    '/api/profiles/:id/source',
    view((id, q) => {
      const fn = q.fn;
      if (typeof fn !== 'string' || fn === '') throw new HttpError(400, 'query parameter "fn" (a function regexp) is required');
      return { op: 'source', id, query: parseQuery(q), fn };
    }),
  );

  r.get('/api/profiles/:id/raw', async (req: Request<{ id: string }>, res: Response) => {
    const info = await infoOr404(rt, req.params.id);
    const bytes = await rt.store.get(info.id);
    if (!bytes) throw new NotFoundError(`no profile with id ${info.id}`);
    res.set('Content-Type', 'application/octet-stream');
    res.set('Content-Disposition', `attachment; filename=${info.id}.pb.gz`);
    res.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  return r;
}
