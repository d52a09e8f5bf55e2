// Downloads of the current view for other tools (export/index.ts):
//   GET /api/profiles/:id/export/folded      folded stacks (flamegraph.pl, inferno, speedscope)
//   GET /api/profiles/:id/export/speedscope  speedscope JSON
//   GET /api/profiles/:id/export/pprof       the profile with the filters applied, gzip pprof
// Query parameters are those of /top and /flamegraph (si, focus, ignore, hide, show, ...);
// the file is named after the profile.
import { Router, type Request, type Response } from 'express';
import { EXPORT_FORMATS, EXPORT_TYPES, exportFileName, type ExportFormat } from '../../export/index.js';
import { isValidId } from '../../store/id.js';
import type { Runtime } from '../app-context.js';
import { NotFoundError } from '../context.js';
import { HttpError } from '../errors.js';
import { parseQuery } from '../query-params.js';
import { isExpired } from '../sharing/ownership.js';

export function exportRouter(rt: Runtime): Router {
  const r = Router();
  r.get('/api/profiles/:id/export/:format', async (req: Request<{ id: string; format: string }>, res: Response) => {
    const format = req.params.format as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) {
      throw new HttpError(400, `unknown export format "${req.params.format}" (use ${EXPORT_FORMATS.join(', ')})`);
    }
    const info = isValidId(req.params.id) ? await rt.store.info(req.params.id) : null;
    if (!info) throw new NotFoundError(`no profile with id ${req.params.id}`);
    if (isExpired(info, rt.ctx.config.retentionMs ?? 0)) throw new HttpError(410, `profile ${info.id} has expired`);
    const query = parseQuery(req.query as Record<string, unknown>);
    const out = await rt.analyzer.run({ op: 'export', id: info.id, query, format, name: info.name }, info.size);
    if (!('file' in out)) throw new Error('analysis worker returned no file');
    const type = EXPORT_TYPES[format];
    res.set('Content-Type', type.contentType);
    res.set('Content-Disposition', `attachment; filename="${exportFileName(info.name, type.suffix)}"`);
    res.send(Buffer.from(out.file.buffer, out.file.byteOffset, out.file.byteLength));
  });
  return r;
}
