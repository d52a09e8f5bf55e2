// Peek and call graph from the HTTP API equal `go tool pprof -peek` / `-dot` on real
// profiles (references recorded by scripts/make-references.sh), and bad input is a 400.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPeekText } from '../../server/src/report/index.js';
import type { CallGraph, PeekReport } from '../../contract/views.js';
import type { RunningServer } from '../../server/src/http/server.js';
import { parseDot } from '../unit/dot-parse.js';
import { dotView } from '../unit/graph-compare.js';
import { getJson, ROOT, sample, startTestServer, tempDir, uploadOk } from './server-helpers.js';

const REFS = join(ROOT, 'tests/.references');

function reference(slug: string, name: string): string {
  const ref = join(REFS, slug, name + '.txt');
  if (!existsSync(ref)) throw new Error(`missing ${ref}: run scripts/make-references.sh (npm run references) first`);
  expect(readFileSync(join(REFS, slug, name + '.rc'), 'utf8').trim()).toBe('0');
  return readFileSync(ref, 'utf8');
}

// The Time: line is the engine's alone (checked by the unit references).
const noTime = (s: string): string[] => s.split('\n').filter((l) => !l.startsWith('Time: '));

let t: ReturnType<typeof tempDir>;
let srv: RunningServer;
let cpu = '';
let heap = '';
beforeAll(async () => {
  t = tempDir();
  srv = await startTestServer(t.dir);
  cpu = await uploadOk(srv.url, sample('cpu/cpu.pb.gz'));
  heap = await uploadOk(srv.url, sample('largeheap/heap.pb.gz'));
});
afterAll(async () => {
  await srv?.close();
  t?.remove();
});

describe('GET /api/profiles/:id/peek', () => {
  it('equals go tool pprof -peek on the large heap profile', async () => {
    // peek_hot_main is recorded with -peek=^main\.main$ (scripts/reference-cases.ts)
    const r = await getJson<PeekReport>(`${srv.url}/api/profiles/${heap}/peek?re=${encodeURIComponent('^main\\.main$')}`);
    expect(r.status).toBe(200);
    expect(r.body.entries.map((e) => e.name)).toEqual(['main.main']);
    expect(noTime(formatPeekText(r.body, '^main\\.main$'))).toEqual(noTime(reference('samples-largeheap-heap', 'peek_hot_main')));
  });

  it('takes the top route filters and granularity', async () => {
    const q = new URLSearchParams({ re: '.', granularity: 'lines', hide: '^runtime\\.' });
    const r = await getJson<PeekReport>(`${srv.url}/api/profiles/${cpu}/peek?${q}`);
    expect(r.status).toBe(200);
    expect(r.body.entries.length).toBeGreaterThan(0);
    expect(r.body.entries.every((e) => !e.name.startsWith('runtime.') && /:\d+$/.test(e.name))).toBe(true);
  });

  it('answers an empty report when nothing matches, and 400 for bad input', async () => {
    const none = await getJson<PeekReport>(`${srv.url}/api/profiles/${cpu}/peek?re=zzz_none`);
    expect(none.status).toBe(200);
    expect(none.body.entries).toEqual([]);
    const missing = await getJson<{ error: string }>(`${srv.url}/api/profiles/${cpu}/peek`);
    expect(missing.status).toBe(400);
    expect(missing.body.error).toContain('"re"');
    const bad = await getJson<{ error: string }>(`${srv.url}/api/profiles/${cpu}/peek?re=${encodeURIComponent('(')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('regexp');
  });
});

describe('GET /api/profiles/:id/graph', () => {
  it.each([
    ['cpu', 'samples-cpu-cpu', 'dot', ''],
    ['heap', 'samples-largeheap-heap', 'dot', ''],
    ['heap', 'samples-largeheap-heap', 'dot_lines', 'granularity=lines'],
    ['heap', 'samples-largeheap-heap', 'dot_nf0', 'nodeFraction=0'],
  ])('%s %s %s equals go tool pprof -dot', async (which, slug, name, query) => {
    const id = which === 'cpu' ? cpu : heap;
    const r = await getJson<CallGraph>(`${srv.url}/api/profiles/${id}/graph?${query}`);
    expect(r.status).toBe(200);
    const theirs = parseDot(reference(slug, name));
    const ours = dotView(r.body);
    expect(ours.nodes).toEqual(theirs.nodes);
    expect(ours.edges).toEqual(theirs.edges);
    expect(ours.legend.filter((l) => !l.startsWith('Time: '))).toEqual(theirs.legend.filter((l) => !l.startsWith('Time: ')));
  });

  it('refuses bad trimming parameters', async () => {
    for (const q of ['n=-1', 'n=x', 'nodeFraction=2', 'edgeFraction=abc', 'trim=maybe', 'granularity=bogus']) {
      const r = await getJson(`${srv.url}/api/profiles/${cpu}/graph?${q}`);
      expect(r.status, q).toBe(400);
    }
  });
});
