// Live capture API: pprof-lens fetches profiles from a running Go service's
// /debug/pprof endpoint (server-side, so no CORS) and stores them like uploads.
//
//   GET    /api/capture/targets?url=BASE
//            -> 200 {target, index, profiles: [{name, count, description, kind, note?}]}
//               kind: "cpu" (profile), "snapshot" (heap, goroutine, custom...), "unsupported" (trace, cmdline)
//   POST   /api/capture   {url, profile?, seconds?, gc?, timeoutSeconds?}
//            -> waits for the capture, then 201 {id, url: "/p/<id>", name, cid, profile, seconds, target,
//               owned, manageToken?, expiresAt}
//   POST   /api/captures  {url, profile?, seconds?, gc?, timeoutSeconds?, watch?: {intervalSeconds, count}}
//            -> 202 CaptureStatus + manageToken at once (Location: /api/captures/<cid>); follow it with GET
//   GET    /api/captures/:cid -> 200 CaptureStatus {state: running|done|failed|cancelled, progress 0..1,
//            elapsedMs, seconds, bytes, result {id, url, name}, error, watch {snapshots [{id, url, totals}], ...}}
//   DELETE /api/captures/:cid -> cancels; 200 with the final CaptureStatus
//
// Captured profiles are owned like uploads (routes/profiles.ts, service/ownership.ts): the
// caller's proxy-vouched user is recorded, and a manage token (shown once, in the answer to
// the POST; a watch's snapshots share one) lets its holder rename or delete them.
//
// `url` is a base ("http://127.0.0.1:6060", empty path means the CPU profile like
// `go tool pprof`), a /debug/pprof/ root plus `profile`, or a full profile URL.
// `seconds` is the CPU duration (default 30; on other profiles it asks for a delta
// profile). `gc: true` runs a GC before a heap snapshot. Errors: 400 bad request,
// 403 address policy, 404 unknown capture, 409 a CPU capture of that target is
// already running, 413 too large, 422 not a profile / no such profile, 429 too many
// captures, 502 connection/TLS/HTTP failure, 504 timeout.
import express, { Router, type Request, type Response } from 'express';
import { CaptureError } from '../../live/errors.js';
import { makePolicy } from '../../live/address-policy.js';
import { CaptureManager, type CaptureRequest } from '../../live/manager.js';
import type { CaptureStatus } from '../../../../contract/capture.js';
import { listTargetProfiles } from '../../live/targets.js';
import type { ProfileService } from '../../service/service.js';
import { str, type RawQuery } from '../query-params.js';
import { callerOf, profileLink } from '../sharing/guard.js';
import { hashToken, mayManage, ownershipForUpload, publicInfo } from '../../service/ownership.js';
import type { OwnerFields } from '../../service/service.js';

type Body = Record<string, unknown>;

function bodyOf(req: Request): Body {
  const b: unknown = req.body;
  if (!b || typeof b !== 'object' || Array.isArray(b)) {
    throw new CaptureError('bad-request', 'send a JSON object body, e.g. {"url": "http://127.0.0.1:6060", "seconds": 10}');
  }
  return b as Body;
}

function captureRequest(b: Body, req: Request, owner: OwnerFields): CaptureRequest {
  if (b.gc !== undefined && typeof b.gc !== 'boolean') throw new CaptureError('bad-request', 'gc must be true or false');
  if (b.profile !== undefined && typeof b.profile !== 'string') throw new CaptureError('bad-request', 'profile must be a string');
  return {
    url: b.url as string,
    profile: b.profile as string | undefined,
    seconds: b.seconds as number | undefined,
    gc: b.gc as boolean | undefined,
    timeoutSeconds: b.timeoutSeconds as number | undefined,
    client: req.socket.remoteAddress ?? '',
    owner,
  };
}

function sendFailed(res: Response, s: CaptureStatus): void {
  res.status(s.errorStatus ?? 502).json({ error: s.error ?? `capture ${s.state}`, cid: s.cid, state: s.state });
}

export function captureRouter(service: ProfileService): Router {
  const { config } = service;
  const policy = makePolicy(config.shared, config.allowTargets);
  const manager = new CaptureManager({
    policy,
    maxBytes: config.maxUploadBytes,
    maxInflatedBytes: config.maxInflatedBytes,
    store: (bytes, name, owner) => service.storeProfile(bytes, name, owner),
  });
  const router = Router();
  const json = express.json({ limit: '16kb' });

  router.get('/api/capture/targets', async (req: Request, res: Response) => {
    const url = str(req.query as RawQuery, 'url');
    if (url === undefined) throw new CaptureError('bad-request', 'query parameter "url" is required, e.g. ?url=http://127.0.0.1:6060');
    res.json(await listTargetProfiles(url, { policy }));
  });

  router.post('/api/capture', json, async (req: Request, res: Response) => {
    const caller = callerOf(req, config);
    const own = ownershipForUpload(caller, config);
    const first = manager.start(captureRequest(bodyOf(req), req, own.fields));
    // A client that goes away should not leave a CPU capture holding the target.
    res.on('close', () => {
      if (!res.writableFinished) manager.cancel(first.cid).catch(() => undefined);
    });
    const s = await manager.wait(first.cid);
    if (res.destroyed) return;
    if (s.state !== 'done' || !s.result) return sendFailed(res, s);
    const info = await service.info(s.result.id);
    // Identical bytes stored before by someone else keep their owner (as for uploads).
    const created = info.tokenHash === hashToken(own.token);
    res.status(201).json({
      ...s.result,
      url: profileLink(config, info.id),
      cid: s.cid,
      profile: s.profile,
      seconds: s.seconds,
      target: s.target,
      owned: created || mayManage(info, caller, config),
      ...(created ? { manageToken: own.token } : {}),
      expiresAt: publicInfo(info, config.retentionMs ?? 0).expiresAt,
    });
  });

  router.post('/api/captures', json, (req: Request, res: Response) => {
    const b = bodyOf(req);
    const own = ownershipForUpload(callerOf(req, config), config);
    const base = captureRequest(b, req, own.fields);
    let s: CaptureStatus;
    if (b.watch !== undefined) {
      const w = b.watch as Body;
      if (!w || typeof w !== 'object') throw new CaptureError('bad-request', 'watch must be {"intervalSeconds": N, "count": M}');
      s = manager.startWatch({ ...base, intervalSeconds: w.intervalSeconds as number, count: w.count as number });
    } else {
      s = manager.start(base);
    }
    // The token is shown here only: status queries (GET) do not repeat it.
    res
      .status(202)
      .location(`/api/captures/${s.cid}`)
      .json({ ...s, manageToken: own.token });
  });

  router.get('/api/captures/:cid', (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store').json(manager.get(String(req.params.cid)));
  });

  router.delete('/api/captures/:cid', async (req: Request, res: Response) => {
    res.json(await manager.cancel(String(req.params.cid)));
  });

  return router;
}
