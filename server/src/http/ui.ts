// The built web UI (vite -> dist/web): static files without directory listings, and the
// app shell for /p/:id links. Request paths never reach the filesystem unchecked: ids are
// matched against the id pattern and static files are served by express.static from one root.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type Response } from 'express';
import { isValidId } from '../store/id.js';

/**
 * dist/web: PPROF_LENS_WEB if set, else under the working directory, else next to this
 * module (bundle: dist/cli.mjs or dist/chunks/*.mjs; sources: server/src/http/ui.ts).
 */
export function defaultWebRoot(): string {
  if (process.env.PPROF_LENS_WEB) return resolve(process.env.PPROF_LENS_WEB);
  const candidates = [
    resolve('dist/web'),
    ...['./web', '../web', '../../../dist/web'].map((rel) => fileURLToPath(new URL(rel, import.meta.url))),
  ];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? candidates[0];
}

const NOT_BUILT =
  '<!doctype html><html><head><meta charset="utf-8"><title>pprof-lens</title></head>' +
  '<body><h1>pprof-lens</h1><p>The web UI is not built. Run <code>npm run build:web</code>; the API is at /api/profiles.</p></body></html>';

export function uiRouter(webRootArg: string): Router {
  const r = Router();
  // sendFile needs an absolute path; `serve --web dist/web` gives a relative one.
  const webRoot = resolve(webRootArg);
  const index = join(webRoot, 'index.html');
  const sendShell = (res: Response, status: number) => {
    if (existsSync(index)) res.status(status).sendFile(index, { dotfiles: 'deny' });
    else res.status(status).type('html').send(NOT_BUILT);
  };
  r.get('/p/:id', (req: Request<{ id: string }>, res: Response) => {
    sendShell(res, isValidId(req.params.id) ? 200 : 404);
  });
  r.get('/', (_req, res) => sendShell(res, 200));
  // Concept library pages (/concepts, /concepts/:slug) are rendered by the web UI.
  r.get(['/concepts', '/concepts/:slug'], (_req, res) => sendShell(res, 200));
  // Live-capture watch pages (/watch/<capture id>), rendered by the web UI.
  r.get('/watch/:cid', (req: Request<{ cid: string }>, res: Response) => sendShell(res, /^[0-9a-f]{24}$/.test(req.params.cid) ? 200 : 404));
  r.use(express.static(webRoot, { index: false, redirect: false, dotfiles: 'ignore', fallthrough: true }));
  return r;
}
