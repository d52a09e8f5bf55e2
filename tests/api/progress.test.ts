// GET /api/profiles/:id/progress: the stages of a profile's analysis tasks, answered while a
// worker decodes a large profile and builds its flame graph (a second server on the same
// store starts with nothing decoded), empty once done, 404 for unknown profiles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRESS_STAGES, type ProfileProgress, type ProgressStage } from '../../contract/progress.js';
import type { RunningServer } from '../../server/src/http/server.js';
import { generateProfileGz } from '../../scripts/gen-profile.js';
import { getJson, sample, startTestServer, tempDir, uploadOk } from './server-helpers.js';

describe('progress route', () => {
  const t = tempDir();
  let srv: RunningServer;
  let big = '';
  let small = '';
  beforeAll(async () => {
    const first = await startTestServer(t.dir, { workers: 1 });
    try {
      // 3 MB stored (over PROGRESS_MIN_BYTES): decoding and building take a visible while.
      big = await uploadOk(first.url, generateProfileGz({ samples: 100_000, shape: 'realistic', seed: 3 }));
      small = await uploadOk(first.url, sample('cpu/cpu.pb.gz'));
    } finally {
      await first.close();
    }
    srv = await startTestServer(t.dir, { workers: 1 });
  });
  afterAll(async () => {
    await srv.close();
    t.remove();
  });

  it('reports the flame graph task of a large profile stage by stage, in order, while it runs', async () => {
    let done = false;
    const flame = fetch(`${srv.url}/api/profiles/${big}/flamegraph?granularity=filefunctions`).then(async (r) => {
      const text = await r.text();
      done = true;
      return { status: r.status, text };
    });
    const seen: ProgressStage[] = [];
    while (!done) {
      const r = await getJson<ProfileProgress>(`${srv.url}/api/profiles/${big}/progress`);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.body.id).toBe(big);
      for (const task of r.body.tasks) {
        expect(task.view).toBe('flame');
        expect(PROGRESS_STAGES).toContain(task.stage);
        expect(task.elapsedMs).toBeGreaterThanOrEqual(task.stageMs);
        if (seen[seen.length - 1] !== task.stage) seen.push(task.stage);
      }
    }
    expect((await flame).status).toBe(200);
    // The worker's own stages were reported (not only the pool's queued/reading), never backwards.
    expect(seen.some((s) => s === 'decoding' || s === 'building')).toBe(true);
    const order = seen.map((s) => PROGRESS_STAGES.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect((await getJson<ProfileProgress>(`${srv.url}/api/profiles/${big}/progress`)).body.tasks).toEqual([]);
  });

  it('is empty for an idle profile and 404 for an unknown one', async () => {
    const idle = await getJson<ProfileProgress>(`${srv.url}/api/profiles/${small}/progress`);
    expect(idle.status).toBe(200);
    expect(idle.body).toEqual({ id: small, tasks: [] });
    const missing = await getJson<{ error: string }>(`${srv.url}/api/profiles/${'0'.repeat(64)}/progress`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/no profile/);
  });
});
