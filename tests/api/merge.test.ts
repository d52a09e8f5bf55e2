// POST /api/profiles/merge stores the sum of stored profiles; `go tool pprof -top` reads the
// stored bytes with the same numbers as `go tool pprof -top A B C` (references from
// scripts/make-merge-references.sh). GET .../merge/inputs splits a frame's value by input.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/http/server.js';
import { ensureReferences, ROOT } from '../unit/diff-references.js';

const DIR = join(ROOT, 'tests/.references/merge');
ensureReferences(DIR, join(ROOT, 'scripts/make-merge-references.sh'), '.inputs.txt');
const inputsOf = (name: string): string[] =>
  readFileSync(join(DIR, `${name}.inputs.txt`), 'utf8')
    .trim()
    .split(' ')
    .map((f) => resolve(ROOT, f));

let server: RunningServer;
let dir: string;
const ids = new Map<string, string>();

async function call(path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(server.url + path, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const post = (ids: unknown) =>
  call('/api/profiles/merge', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids }) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pprof-lens-merge-api-'));
  server = await startServer({ port: 0, store: { backend: 'fs', dir }, workers: 0, samplesDir: null, log: () => {} });
  for (const f of new Set([...inputsOf('samples.cpu.three'), ...inputsOf('refused.heap-cpu')])) {
    ids.set(f, (await server.service.storeProfile(new Uint8Array(readFileSync(f)), f.split('/').pop()!)).id);
  }
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /api/profiles/merge', () => {
  let merged = '';
  const three = () => inputsOf('samples.cpu.three').map((f) => ids.get(f)!);

  it('stores the sum, which go tool pprof reads as it reads the three files', async () => {
    const { status, body } = await post(three());
    expect(status, JSON.stringify(body)).toBe(201);
    merged = body.id as string;
    expect(body.url).toBe(`/p/${merged}`);
    expect((body.inputs as { id: string }[]).map((i) => i.id)).toEqual(three());
    const raw = new Uint8Array(await (await fetch(`${server.url}/api/profiles/${merged}/raw`)).arrayBuffer());
    const file = join(dir, 'merged.pb.gz');
    writeFileSync(file, raw);
    const go = execFileSync('bash', [join(ROOT, 'scripts/ensure-go.sh')], { encoding: 'utf8' }).trim();
    const home = mkdtempSync(join(dir, 'home-'));
    const got = execFileSync(go, ['tool', 'pprof', '-symbolize=none', '-top', file], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC', HOME: home },
    });
    expect(got.split('\n')).toEqual(readFileSync(join(DIR, 'samples.cpu.three.top.txt'), 'utf8').split('\n'));
  });

  it('tells each input share of a frame; the shares add up to the merged value', async () => {
    const flame = await call(`/api/profiles/${merged}/flamegraph?minFraction=0`);
    const root = flame.body.root as {
      value: number;
      children: { name: string; value: number; children: { name: string; value: number }[] }[];
    };
    for (const path of [[] as string[], [root.children[0]!.name], [root.children[0]!.name, root.children[0]!.children[0]!.name]]) {
      const want = path.length === 0 ? root.value : path.length === 1 ? root.children[0]!.value : root.children[0]!.children[0]!.value;
      const { status, body } = await call(`/api/profiles/${merged}/merge/inputs?path=${encodeURIComponent(JSON.stringify(path))}`);
      expect(status, JSON.stringify(body)).toBe(200);
      const inputs = body.inputs as { id: string; name: string; value: number; total: number }[];
      expect(inputs.map((i) => i.id)).toEqual(three());
      expect(
        inputs.reduce((a, i) => a + i.value, 0),
        JSON.stringify(path),
      ).toBe(want);
      expect(inputs.reduce((a, i) => a + i.total, 0)).toBe(root.value);
    }
    const missing = await call(`/api/profiles/${merged}/merge/inputs?path=${encodeURIComponent('["no.such.frame"]')}`);
    expect((missing.body.inputs as { value: number }[]).map((i) => i.value)).toEqual([0, 0, 0]);
  });

  it('refuses profiles with no sample type in common, naming them', async () => {
    const { status, body } = await post(inputsOf('refused.heap-cpu').map((f) => ids.get(f)!));
    expect(status).toBe(400);
    expect(body.error).toMatch(/^cannot merge heap\.2\.pb\.gz \(.*\), cpu\.pb\.gz \(.*\): .*no sample type in common/);
  });

  it('answers 4xx for bad requests', async () => {
    expect((await post([three()[0]])).status).toBe(400);
    expect((await post('x')).status).toBe(400);
    expect((await post([three()[0], 'f'.repeat(64)])).status).toBe(404);
    const plain = await call(`/api/profiles/${three()[0]}/merge/inputs`);
    expect(plain.status).toBe(404);
    expect(plain.body.error).toMatch(/not made by merging/);
  });
});
