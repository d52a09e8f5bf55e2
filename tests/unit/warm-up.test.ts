// The upload's warm-up (server/src/service/service.ts, workers/core.ts `warm`): the
// header total's answer, then the flame graph's input, prepared ahead of the page.
// What the page then asks for must be what a cold worker answers, from the same decode,
// and the header's answer must be ready (the flame graph is queued behind it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProfileGz } from '../../scripts/gen-profile.js';
import { serverConfig } from '../../server/src/service/config.js';
import { FsProfileStore } from '../../server/src/store/fs-store.js';
import { profileId } from '../../server/src/store/id.js';
import { AnalysisCore } from '../../server/src/workers/core.js';
import type { AnalysisTask } from '../../server/src/workers/protocol.js';
import { parseQuery, parseTopOptions } from '../../server/src/http/query-params.js';
import type { ProgressStage } from '../../contract/progress.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function coreWith(bytes: Uint8Array): Promise<{ core: AnalysisCore; id: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-lens-warm-'));
  dirs.push(dir);
  const store = new FsProfileStore(dir);
  await store.init();
  const id = profileId(bytes);
  await store.put(bytes, { id, name: 'gen.pb.gz', type: 'cpu', size: bytes.byteLength, storedAt: new Date(0).toISOString() });
  return { core: new AnalysisCore(store, serverConfig({}), 256 << 20), id };
}

const json = async (core: AnalysisCore, task: AnalysisTask): Promise<string> => {
  const r = await core.run(task);
  if (!('json' in r)) throw new Error('no json');
  return r.json;
};

describe('upload warm-up', () => {
  for (const shape of ['realistic', 'worst'] as const) {
    it(`${shape}: the header, top pages and flame graph after a warm-up equal a cold worker's`, async () => {
      const bytes = generateProfileGz({ samples: 2500, shape, seed: 11, functions: 400 });
      const warm = await coreWith(bytes);
      const cold = await coreWith(bytes);
      // As the service sends them after an upload.
      await warm.core.run({ op: 'warm', id: warm.id, query: {}, view: 'top' });
      await warm.core.run({ op: 'warm', id: warm.id, query: { granularity: 'filefunctions' } });
      const asked = (id: string): AnalysisTask[] => [
        { op: 'top', id, query: {}, opts: { nodeFraction: 0, nodeCount: 1, sort: 'flat' } },
        { op: 'flame', id, query: { granularity: 'filefunctions' }, minFraction: 0.00026 },
        { op: 'top', id, query: {}, opts: { nodeFraction: 0, nodeCount: 0, sort: 'flat' }, page: { offset: 0, limit: 50 } },
        { op: 'top', id, query: {}, opts: { nodeFraction: 0, nodeCount: 0, sort: 'flat' }, page: { offset: 50, limit: 50 } },
        { op: 'top', id, query: {}, opts: { nodeFraction: 0, nodeCount: 0, sort: 'flat' } },
      ];
      const got = [];
      for (const t of asked(warm.id)) got.push(await json(warm.core, t));
      const want = [];
      for (const t of asked(cold.id)) want.push(await json(cold.core, t));
      expect(got).toEqual(want);
      expect(JSON.parse(got[0]).rows).toHaveLength(1);
      expect(JSON.parse(got[4]).rows.some((r: { inline: string }) => r.inline !== '')).toBe(true);
      // One decode each: the warm-up and every view share it.
      expect(warm.core.decodes).toBe(1);
    });
  }

  it("has the header's answer ready: the page's top?n=1, as the route reads it, is not computed again", async () => {
    const bytes = generateProfileGz({ samples: 2500, shape: 'realistic', seed: 12, functions: 400 });
    const warm = await coreWith(bytes);
    const cold = await coreWith(bytes);
    await warm.core.run({ op: 'warm', id: warm.id, query: {}, view: 'top' });
    const header = (id: string): AnalysisTask => ({ op: 'top', id, query: parseQuery({ n: '1' }), opts: parseTopOptions({ n: '1' }) });
    // A computed view reports its stages ('building' at least); a kept answer none.
    const stages = async (core: AnalysisCore, task: AnalysisTask): Promise<{ seen: ProgressStage[]; json: string }> => {
      const seen: ProgressStage[] = [];
      const r = await core.run(task, (st) => seen.push(st));
      if (!('json' in r)) throw new Error('no json');
      return { seen, json: r.json };
    };
    const fromWarm = await stages(warm.core, header(warm.id));
    const fromCold = await stages(cold.core, header(cold.id));
    expect(fromCold.seen).toContain('building');
    expect(fromWarm.seen).toEqual([]);
    expect(fromWarm.json).toBe(fromCold.json);
    expect(JSON.parse(fromWarm.json).rows).toHaveLength(1);
  });
});
