// HTTP contract of the insights router, mounted on a bare Express app with a
// context that serves real profiles from the Go corpus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { uiRouter } from '../../server/src/http/ui.js';
import { insightsRouter } from '../../server/src/http/routes/insights.js';
import { errorHandler } from '../../server/src/http/errors.js';
import { serviceWith, type TestService } from '../service-harness.js';
import { GO_VERSIONS_DIR, ROOT } from './insights-helpers.js';

const FILES: Record<string, string> = {
  goroutine: join(GO_VERSIONS_DIR, '1.26/goroutine.pb.gz'),
  allocs: join(GO_VERSIONS_DIR, '1.26/allocs.pb.gz'),
  'growth.1.pb.gz': join(ROOT, 'tests/fixtures/insights/parked/profiles/growth.1.goroutine.pb.gz'),
  'growth.2.pb.gz': join(ROOT, 'tests/fixtures/insights/parked/profiles/growth.2.goroutine.pb.gz'),
};

let svc: TestService;
let ids: Record<string, string>;
beforeAll(async () => {
  svc = await serviceWith(FILES);
  ids = svc.ids;
});
afterAll(() => svc.close());

function app() {
  const a = express();
  a.set('query parser', 'simple');
  a.use(insightsRouter(svc.service));
  a.use(errorHandler);
  return a;
}

describe('UI shell for concept pages', () => {
  it('GET /concepts and /concepts/:slug serve index.html (client-rendered pages)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'insights-ui-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>shell</title>');
    const a = express();
    a.use(uiRouter(root));
    for (const path of ['/concepts', '/concepts/escape-analysis']) {
      const res = await request(a).get(path).expect(200);
      expect(res.text).toContain('<title>shell</title>');
    }
  });
});

describe('insights routes', () => {
  it('GET /api/profiles/:id/insights returns findings', async () => {
    const res = await request(app()).get(`/api/profiles/${ids.goroutine}/insights`).expect(200);
    expect(res.body.id).toBe(ids.goroutine);
    expect(res.body.kind).toBe('goroutine');
    expect(res.body.findings[0].rule).toBe('goroutine.leak');
    expect(res.body.findings[0].functions[0].name).toBe('main.leakSend');
  });

  it('honours ?si= and rejects an unknown sample type with 400 JSON', async () => {
    const ok = await request(app()).get(`/api/profiles/${ids.allocs}/insights?si=alloc_objects`).expect(200);
    expect(ok.body.sampleType.type).toBe('alloc_objects');
    const bad = await request(app()).get(`/api/profiles/${ids.allocs}/insights?si=nope`).expect(400);
    expect(bad.body.error).toMatch(/unknown sample type "nope"/);
    const twice = await request(app()).get(`/api/profiles/${ids.allocs}/insights?si=a&si=b`).expect(400);
    expect(twice.body.error).toMatch(/given once/);
  });

  it('?base= compares two goroutine profiles (goroutine.growth); commands name the stored file', async () => {
    const res = await request(app()).get(`/api/profiles/${ids['growth.2.pb.gz']}/insights?base=${ids['growth.1.pb.gz']}`).expect(200);
    expect(res.body.base).toBe(ids['growth.1.pb.gz']);
    const growth = res.body.findings.filter((f: { rule: string }) => f.rule === 'goroutine.growth');
    expect(growth.map((f: { title: string }) => f.title)).toEqual([
      'Goroutines blocked on chan send in main.firstOf.func1 grew from 8 to 32',
    ]);
    expect(growth[0].commands.join('\n')).toContain('growth.2.pb.gz');
    // Without a base there is nothing to compare.
    const alone = await request(app()).get(`/api/profiles/${ids['growth.2.pb.gz']}/insights`).expect(200);
    expect(alone.body.findings.some((f: { rule: string }) => f.rule === 'goroutine.growth')).toBe(false);
    // A base of another kind, or an unknown one, is refused with a clear 4xx.
    const bad = await request(app()).get(`/api/profiles/${ids['growth.2.pb.gz']}/insights?base=${ids.allocs}`).expect(400);
    expect(bad.body.error).toMatch(/goroutine growth only.*base is a heap profile/);
    const missing = await request(app()).get(`/api/profiles/${ids['growth.2.pb.gz']}/insights?base=nope`).expect(404);
    expect(missing.body.error).toMatch(/no profile/);
  });

  it('404 for an unknown profile', async () => {
    const res = await request(app()).get('/api/profiles/missing/insights').expect(404);
    expect(res.body.error).toMatch(/no profile/);
  });

  it('GET /api/concepts lists the library and /api/concepts/:slug returns one page', async () => {
    const list = await request(app()).get('/api/concepts').expect(200);
    expect(list.body.concepts.map((c: { slug: string }) => c.slug)).toContain('escape-analysis');
    const one = await request(app()).get('/api/concepts/escape-analysis').expect(200);
    expect(one.body.title).toMatch(/Escape analysis/);
    expect(one.body.sections.length).toBeGreaterThan(0);
    const missing = await request(app()).get('/api/concepts/nope').expect(404);
    expect(missing.body.error).toMatch(/no concept named "nope"/);
  });
});
