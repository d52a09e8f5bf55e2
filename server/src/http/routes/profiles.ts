// Core profile routes: upload, list, metadata, top, flame graph, source listing, raw bytes.
import { Router, type Request, type Response } from 'express';
import { cleanName, type ProfileService, type ViewTask } from '../../service/service.js';
import {
  parseFlameOptions,
  parseGraphOptions,
  parsePeekOptions,
  parseQuery,
  parseTopOptions,
  parseTopPage,
  parseUnit,
  positiveInt,
  required,
  type RawQuery,
} from '../query-params.js';
import { clientGone } from '../client-gone.js';
import { downloadName } from '../../../../contract/file-name.js';
import { readUpload } from '../upload.js';
import { uploadHook } from '../upload-hooks.js';
import { HttpError } from '../../service/errors.js';
import { callerOf, profileLink } from '../sharing/guard.js';
import { mayManage, ownershipForUpload, publicInfo, visibleInList } from '../../service/ownership.js';

export function profilesRouter(service: ProfileService): Router {
  const r = Router();
  const { config } = service;
  const retention = config.retentionMs ?? 0;

  r.post('/api/profiles', async (req: Request, res: Response) => {
    const caller = callerOf(req, config);
    const up = await readUpload(req, config.maxUploadBytes);
    const own = ownershipForUpload(caller, config);
    // Bytes stored before: the same upload again (same name, by someone who may manage it)
    // gets that profile back; any other upload a profile of its own, with its own name, time,
    // owner and token, sharing the stored bytes.
    const name = cleanName(up.name ?? '');
    const { info, created } = await service.storeWithId(
      up.id,
      up.bytes,
      name,
      own.fields,
      (prior) => (!name || prior.name === name) && mayManage(prior, caller, config),
    );
    const owned = created || mayManage(info, caller, config);
    // The rule above hands back only profiles the caller may manage; kept as the guard that
    // attachments never land on anyone else's.
    if (!owned && up.extras.length > 0) {
      throw new HttpError(403, `profile ${info.id} is already stored by another user; only its owner may attach files to it`);
    }
    for (const extra of up.extras) {
      const hook = uploadHook(extra.field);
      if (hook) await hook.handle(service, info, extra);
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
    const q = req.query as RawQuery;
    const page = positiveInt(q, 'page', 1, 1_000_000);
    const limit = positiveInt(q, 'limit', 50, 1000);
    const caller = callerOf(req, config);
    const all = (await service.store.list()).filter((info) => visibleInList(info, caller, config));
    res.json({
      profiles: all.slice((page - 1) * limit, page * limit).map((info) => publicInfo(info, retention)),
      total: all.length,
      page,
      // "all": every stored profile; "owner": the caller's own; "none": no identity, so nothing.
      scope: !config.shared && !config.authHeader ? 'all' : caller.user ? 'owner' : 'none',
    });
  });

  r.get('/api/profiles/:id', async (req: Request<{ id: string }>, res: Response) => {
    const info = await service.info(req.params.id);
    const meta = await service.meta(info);
    res.json({ ...meta, ...publicInfo(info, retention), canManage: mayManage(info, callerOf(req, config), config) });
  });

  // Unknown ids are 404 before their query is looked at.
  const view = (build: (id: string, q: RawQuery) => ViewTask) => async (req: Request<{ id: string }>, res: Response) => {
    const info = await service.info(req.params.id);
    res.type('application/json').send(await service.view(build(info.id, req.query as RawQuery), clientGone(res)));
  };

  r.get(
    '/api/profiles/:id/top',
    view((id, q) => {
      const page = parseTopPage(q);
      return { op: 'top', id, query: parseQuery(q), opts: parseTopOptions(q), ...(page ? { page } : {}) };
    }),
  );
  r.get(
    '/api/profiles/:id/flamegraph',
    view((id, q) => ({ op: 'flame', id, query: parseQuery(q), ...parseFlameOptions(q) })),
  );
  r.get(
    '/api/profiles/:id/tags',
    // n: at most that many values per key (heaviest first), so a label with a million
    // distinct values costs what is shown; default: all, as pprof -tags prints them.
    view((id, q) => ({ op: 'tags', id, query: parseQuery(q), unit: parseUnit(q), maxValues: positiveInt(q, 'n', 0, 100_000) })),
  );
  r.get(
    '/api/profiles/:id/source',
    view((id, q) => ({ op: 'source', id, query: parseQuery(q), fn: required(q, 'fn', '(a function regexp) is required') })),
  );

  r.get(
    '/api/profiles/:id/peek',
    view((id, q) => {
      const re = required(q, 're', '(a function regexp) is required');
      if (re.length > 4096) throw new HttpError(400, 'query parameter "re" is longer than 4096 characters');
      return { op: 'peek', id, query: parseQuery(q), re, opts: parsePeekOptions(q) };
    }),
  );
  r.get(
    '/api/profiles/:id/graph',
    view((id, q) => ({ op: 'graph', id, query: parseQuery(q), opts: parseGraphOptions(q) })),
  );

  r.get(
    '/api/profiles/:id/sandwich',
    view((id, q) => ({
      op: 'sandwich',
      id,
      query: parseQuery(q),
      fn: required(q, 'fn', '(a function name) is required'),
      minFraction: parseFlameOptions(q).minFraction,
    })),
  );

  // Stages of the profile's analysis tasks, for pages waiting on a large profile: answered
  // from the HTTP thread, so it never waits behind the work it describes.
  r.get('/api/profiles/:id/progress', async (req: Request<{ id: string }>, res: Response) => {
    const info = await service.info(req.params.id);
    res.set('Cache-Control', 'no-store');
    res.json(service.progress(info));
  });

  r.get('/api/profiles/:id/raw', async (req: Request<{ id: string }>, res: Response) => {
    const info = await service.info(req.params.id);
    const bytes = await service.raw(info);
    res.set('Content-Type', 'application/octet-stream');
    // The upload's own name (mem.prof), as the page's Download link asks for it.
    res.set('Content-Disposition', `attachment; filename="${downloadName(info.name, info.id)}"`);
    res.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  return r;
}
