// A target that accepts connections and never answers (a tarpit, started here on
// loopback) cannot hold capture slots: one client gets at most MAX_PER_CLIENT of them,
// others still get theirs, and a capture whose headers do not come within the first-byte
// limit ends with a timeout. Errors never repeat what a target sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePolicy } from '../../server/src/live/address-policy.js';
import { CaptureError } from '../../server/src/live/errors.js';
import { CaptureManager, MAX_PER_CLIENT } from '../../server/src/live/manager.js';

let tarpit: Server;
let secret: Server;
let tarpitUrl = '';
let secretUrl = '';

function listen(s: Server): Promise<string> {
  return new Promise((res) => s.listen(0, '127.0.0.1', () => res(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  tarpit = createServer(() => undefined); // accepts, never answers
  secret = createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('INTERNAL-SECRET token=abc123');
  });
  tarpitUrl = await listen(tarpit);
  secretUrl = await listen(secret);
});

afterAll(async () => {
  tarpit.closeAllConnections();
  secret.closeAllConnections();
  await Promise.all([tarpit, secret].map((s) => new Promise((r) => s.close(r))));
});

function manager(): CaptureManager {
  return new CaptureManager({
    policy: makePolicy(false, []),
    maxBytes: 1 << 20,
    maxInflatedBytes: 1 << 24,
    firstByteSlackMs: 500,
    store: async () => ({ id: 'x', name: 'x' }),
  });
}

describe('tarpit targets', () => {
  it('one client holds at most MAX_PER_CLIENT slots; another client still starts; slots free after the first-byte limit', async () => {
    const m = manager();
    try {
      const mine = Array.from({ length: MAX_PER_CLIENT }, () => m.start({ url: `${tarpitUrl}/debug/pprof/heap`, client: 'a' }));
      let refused: unknown = null;
      try {
        m.start({ url: `${tarpitUrl}/debug/pprof/heap`, client: 'a' });
      } catch (e) {
        refused = e;
      }
      expect(refused).toBeInstanceOf(CaptureError);
      expect((refused as CaptureError).status).toBe(429);
      expect((refused as CaptureError).message).toMatch(/per client/);
      const other = m.start({ url: `${tarpitUrl}/debug/pprof/heap`, client: 'b' });
      const ended = await Promise.all([...mine, other].map((s) => m.wait(s.cid)));
      for (const s of ended) {
        expect(s.state).toBe('failed');
        expect(s.errorCode).toBe('timeout');
        // The first-byte limit (firstByteSlackMs, shown rounded to 1 s) fired, not the 60 s snapshot limit.
        expect(s.error).toMatch(/did not answer within 1 s/);
      }
      // The slots are free again.
      const again = m.start({ url: `${tarpitUrl}/debug/pprof/heap`, client: 'a' });
      await m.cancel(again.cid);
    } finally {
      await m.close();
    }
  });

  it('an error answer is described, not repeated', async () => {
    const m = manager();
    try {
      const s = await m.run({ url: `${secretUrl}/debug/pprof/heap`, client: 'a' });
      expect(s.state).toBe('failed');
      expect(s.error).toMatch(/HTTP 500 .*it sent a 28-byte body of type text\/plain/);
      expect(s.error).not.toMatch(/SECRET|token/);
    } finally {
      await m.close();
    }
  });
});
