// Downloads of the current view for other tools (export/index.ts):
//   GET /api/profiles/:id/export/folded      folded stacks (flamegraph.pl, inferno, speedscope)
//   GET /api/profiles/:id/export/speedscope  speedscope JSON
//   GET /api/profiles/:id/export/pprof       the profile with the filters applied, gzip pprof
//   GET /api/profiles/:id/export/html        offline single-file snapshot (&zoom=["a","b"]&search=re&theme=dark)
//   GET /api/profiles/:id/export/svg         flame graph image (&zoom, &search, &theme, &icicle=1, &width=1200)
//   GET /api/profiles/:id/export/png         the same image as PNG (same parameters)
// Query parameters are those of /top and /flamegraph (si, focus, ignore, hide, show, ...);
// the file is named after the profile.
import { Router, type Request, type Response } from 'express';
import { EXPORT_FORMATS, EXPORT_TYPES, exportFileName, type ExportFormat, type ExportView } from '../../export/index.js';
import { isValidId } from '../../store/id.js';
import type { ProfileService } from '../../service/service.js';
import { HttpError, NotFoundError } from '../../service/errors.js';
import { parseQuery } from '../query-params.js';
import { isExpired } from '../../service/ownership.js';

/** The html, svg and png exports' view: zoom (JSON array of frame names), search, theme, icicle, width. */
function exportView(q: Record<string, unknown>): ExportView {
  const view: ExportView = {};
  if (typeof q.zoom === 'string' && q.zoom !== '') {
    let zoom: unknown;
    try {
      zoom = JSON.parse(q.zoom);
    } catch {
      zoom = null;
    }
    if (!Array.isArray(zoom) || !zoom.every((z) => typeof z === 'string') || zoom.length > 512) {
      throw new HttpError(400, 'query parameter "zoom" must be a JSON array of frame names');
    }
    view.zoom = zoom as string[];
  }
  if (typeof q.search === 'string') view.search = q.search.slice(0, 1000);
  if (q.theme === 'dark' || q.theme === 'light') view.theme = q.theme;
  if (q.icicle === '1' || q.icicle === 'true') view.icicle = true;
  if (typeof q.width === 'string' && q.width !== '') {
    if (!/^\d{1,5}$/.test(q.width)) throw new HttpError(400, 'query parameter "width" must be a number of pixels');
    view.width = Number(q.width);
  }
  return view;
}

export function exportRouter(rt: ProfileService): Router {
  const r = Router();
  r.get('/api/profiles/:id/export/:format', async (req: Request<{ id: string; format: string }>, res: Response) => {
    const format = req.params.format as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) {
      throw new HttpError(400, `unknown export format "${req.params.format}" (use ${EXPORT_FORMATS.join(', ')})`);
    }
    const info = isValidId(req.params.id) ? await rt.store.info(req.params.id) : null;
    if (!info) throw new NotFoundError(`no profile with id ${req.params.id}`);
    if (isExpired(info, rt.config.retentionMs ?? 0)) throw new HttpError(410, `profile ${info.id} has expired`);
    const query = parseQuery(req.query as Record<string, unknown>);
    const out = await rt.analyzer.run(
      { op: 'export', id: info.id, query, format, name: info.name, view: exportView(req.query as Record<string, unknown>) },
      info.size,
    );
    if (!('file' in out)) throw new Error('analysis worker returned no file');
    const type = EXPORT_TYPES[format];
    res.set('Content-Type', type.contentType);
    res.set('Content-Disposition', `attachment; filename="${exportFileName(info.name, type.suffix)}"`);
    res.send(Buffer.from(out.file.buffer, out.file.byteOffset, out.file.byteLength));
  });
  return r;
}
