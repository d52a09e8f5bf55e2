// Top from the HTTP API, rendered with the engine's formatter, equals `go tool pprof -top
// -nodefraction=0` on real profiles (references recorded by scripts/make-references.sh).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTopText } from '../../server/src/report/index.js';
import type { TopReport } from '../../contract/views.js';
import type { RunningServer } from '../../server/src/http/server.js';
import { getJson, ROOT, sample, startTestServer, tempDir, uploadOk } from './server-helpers.js';

const REFS = join(ROOT, 'tests/.references');
const CASES: [string, string][] = [
  ['cpu/cpu.pb.gz', 'samples-cpu-cpu'],
  ['largeheap/heap.pb.gz', 'samples-largeheap-heap'],
  ['goroutines/goroutine.pb.gz', 'samples-goroutines-goroutine'],
  ['node/heap.pb.gz', 'samples-node-heap'],
];

let t: ReturnType<typeof tempDir>;
let srv: RunningServer;
beforeAll(async () => {
  t = tempDir();
  srv = await startTestServer(t.dir);
});
afterAll(async () => {
  await srv?.close();
  t?.remove();
});

describe('API top equals go tool pprof -top -nodefraction=0', () => {
  it.each(CASES)('%s', async (file, slug) => {
    const ref = join(REFS, slug, 'nf0.txt');
    if (!existsSync(ref)) throw new Error(`missing ${ref}: run scripts/make-references.sh (npm run references) first`);
    expect(readFileSync(join(REFS, slug, 'nf0.rc'), 'utf8').trim()).toBe('0');
    const id = await uploadOk(srv.url, sample(file));
    const r = await getJson<TopReport>(`${srv.url}/api/profiles/${id}/top`);
    expect(r.status).toBe(200);
    // The Time: legend line is formatted by the engine alone (its layout differs between Go
    // releases) and is checked by tests/unit/top-references.test.ts; everything else, every
    // row and its order, must come through the API exactly.
    const noTime = (s: string) => s.split('\n').filter((l) => !l.startsWith('Time: '));
    const expected = readFileSync(ref, 'utf8');
    expect(noTime(formatTopText(r.body))).toEqual(noTime(expected));
    expect(r.body.rows.length).toBe(expected.split('\n').filter((l) => /^\s+-?[0-9.]+\S*\s+-?[0-9.]+%/.test(l)).length);
  });
});
