// The built web UI (vite -> dist/web): static files without directory listings, and the
// app shell for /p/:id links. Request paths never reach the filesystem unchecked: ids are
// matched against the id pattern and static files are served by express.static from one root.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { isValidId } from '../store/id.js';

export function defaultWebRoot(): string {
  return resolve(process.env.PPROF_LENS_WEB ?? 'dist/web');
}

const NOT_BUILT =
  '<!doctype html><html><head><meta charset="utf-8"><title>pprof-lens</title></head>' +
  '<body><h1>pprof-lens</h1><p>The web UI is not built. Run <code>npm run build:web</code>; the API is at /api/profiles.</p></body></html>';

export function uiRouter(webRoot: string): Router {
  const r = Router();
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
