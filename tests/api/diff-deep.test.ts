// Uploaded profiles with a stack of 100,000 frames: GET /api/profiles/:id/diff/flamegraph
// answers 200 with the whole stack (it answered 500 "Maximum call stack size exceeded"
// from 8,000 frames on). The profiles are made in memory and written with encode/pprof.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeProfileGzip } from '../../server/src/encode/pprof.js';
import { startServer, type RunningServer } from '../../server/src/http/server.js';
import type { DiffFlameNode } from '../../contract/diff.js';
import { deepProfile, DEPTH } from '../unit/deep-stack.js';
let server: RunningServer;
let dir: string;
let newer = '';
let base = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pprof-lens-diff-deep-'));
  server = await startServer({ port: 0, store: { backend: 'fs', dir }, workers: 0, samplesDir: null, log: () => {} });
  newer = (await server.service.storeProfile(encodeProfileGzip(deepProfile([{ depth: DEPTH, value: 3 }])), 'deep.new.pb.gz')).id;
  base = (await server.service.storeProfile(encodeProfileGzip(deepProfile([{ depth: DEPTH / 2, value: 5 }])), 'deep.base.pb.gz')).id;
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/profiles/:id/diff/flamegraph on a 100,000-frame stack', () => {
  it('answers 200 with every frame', { timeout: 120_000 }, async () => {
    const res = await fetch(`${server.url}/api/profiles/${newer}/diff/flamegraph?base=${base}&minFraction=0`);
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(200);
    let n = (JSON.parse(text) as { root: DiffFlameNode }).root;
    let depth = 0;
    while (n.children.length > 0) {
      n = n.children[0]!;
      depth++;
      if (depth === DEPTH / 2) expect([n.value, n.base]).toEqual([3, 5]);
    }
    expect([depth, n.name, n.value, n.base]).toEqual([DEPTH, `main.f${DEPTH - 1}`, 3, 0]);
  });
});
