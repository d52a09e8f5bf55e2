// Express application: security headers, core routes, feature routes, UI, errors.
import express, { type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { ProfileService } from '../service/service.js';
import { errorHandler } from './errors.js';
import { featureRouters } from './features.js';
import { exportRouter } from './routes/export.js';
import { manageRouter, ownerOnly } from './routes/manage.js';
import { healthRouter } from './routes/health.js';
import { profilesRouter } from './routes/profiles.js';
import { requestGuard } from './sharing/guard.js';
import { uiRouter } from './ui.js';

/**
 * `listenHost`: the address the server binds (a loopback server answers only to loopback Host names).
 * `identityKey`: lets /api/health prove which server this is (routes/health.ts).
 */
export function createApp(service: ProfileService, webRoot: string, listenHost = '', identityKey?: string): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // helmet's defaults (script-src 'self', no inline script) plus workers and data: images.
          'worker-src': ["'self'", 'blob:'],
          // The call graph compiles Graphviz's WebAssembly (no JavaScript eval is allowed).
          'script-src': ["'self'", "'wasm-unsafe-eval'"],
          'img-src': ["'self'", 'data:'],
          // Served over plain http on loopback by default: do not rewrite requests to https.
          'upgrade-insecure-requests': null,
        },
      },
      strictTransportSecurity: false,
    }),
  );
  app.use(requestGuard(service.config, listenHost));
  app.use(healthRouter(identityKey));
  app.use('/api/profiles/:id', ownerOnly(service));
  app.use(manageRouter(service));
  app.use(profilesRouter(service));
  app.use(exportRouter(service));
  for (const router of featureRouters(service)) app.use(router);
  app.use('/api', (req: Request, res: Response) => {
    res.status(404).json({ error: `no such API route: ${req.method} ${req.originalUrl}` });
  });
  app.use(uiRouter(webRoot));
  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: `not found: ${req.path}` });
  });
  app.use(errorHandler);
  return app;
}
