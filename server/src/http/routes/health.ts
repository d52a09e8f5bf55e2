// GET /api/health: the server is up. With `?challenge=HEX` and an identity key (the CLI's
// local servers have one, see server/src/cli/running-server.ts) it also answers
// HMAC-SHA256(key, challenge), so `pprof-lens FILE` can tell that the server named in a
// data directory's server file is really that one, not whatever now holds its port.
import { createHmac } from 'node:crypto';
import { Router, type Request, type Response } from 'express';

export function healthRouter(identityKey: string | undefined): Router {
  const r = Router();
  r.get('/api/health', (req: Request, res: Response) => {
    const challenge = typeof req.query.challenge === 'string' ? req.query.challenge : '';
    const proof =
      identityKey && /^[0-9a-f]{32,128}$/.test(challenge) ? createHmac('sha256', identityKey).update(challenge).digest('hex') : undefined;
    res.set('Cache-Control', 'no-store').json({ ok: true, ...(proof ? { proof } : {}) });
  });
  return r;
}
