// Core profile routes: upload, list, metadata, top, flame graph, source listing, raw bytes.
import { Router, type Request, type Response } from 'express';
import { isValidId } from '../../store/id.js';
import type { AnalysisTask } from '../analysis/protocol.js';
import type { Runtime } from '../app-context.js';
import { NotFoundError, type StoredProfileInfo } from '../context.js';
import { HttpError } from '../errors.js';
import { parseFlameOptions, parseGraphOptions, parsePeekOptions, parseQuery, parseTopOptions } from '../query-params.js';
import { readUpload } from '../upload.js';
import { uploadHook } from '../upload-hooks.js';

async function infoOr404(rt: Runtime, id: string): Promise<StoredProfileInfo> {
  const info = isValidId(id) ? await rt.store.info(id) : null;
  if (!info) throw new NotFoundError(`no profile with id ${id}`);
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

  r.post('/api/profiles', async (req: Request, res: Response) => {
    const up = await readUpload(req, config.maxUploadBytes);
    const { info } = await rt.storeWithId(up.id, up.bytes, up.name ?? '');
    for (const extra of up.extras) {
      const hook = uploadHook(extra.field);
      if (hook) await hook.handle(rt.ctx, info, extra);
    }
    res.status(201).json({ id: info.id, url: `/p/${info.id}` });
  });

  r.get('/api/profiles', async (req: Request, res: Response) => {
    const page = positiveInt(req.query.page, 'page', 1, 1_000_000);
    const limit = positiveInt(req.query.limit, 'limit', 50, 1000);
    const all = await rt.store.list();
    res.json({ profiles: all.slice((page - 1) * limit, page * limit), total: all.length, page });
  });

  r.get('/api/profiles/:id', async (req: Request<{ id: string }>, res: Response) => {
    const info = await infoOr404(rt, req.params.id);
    const meta = await rt.meta(info);
    res.json({ ...meta, id: info.id, name: info.name, size: info.size, storedAt: info.storedAt });
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

  r.get(
    '/api/profiles/:id/peek',
    view((id, q) => {
      const re = q.re;
      if (typeof re !== 'string' || re === '') throw new HttpError(400, 'query parameter "re" (a function regexp) is required');
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
    view((id, q) => {
      const fn = q.fn;
      if (typeof fn !== 'string' || fn === '') throw new HttpError(400, 'query parameter "fn" (a function name) is required');
      return { op: 'sandwich', id, query: parseQuery(q), fn, minFraction: parseFlameOptions(q).minFraction };
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
