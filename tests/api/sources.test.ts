// HTTP: uploading source archives (alone and with the profile), attaching -m=2 output,
// escape data in the source listing, running the compiler in local mode, and the 4xx
// answers for hostile or malformed input.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/http/server.js';
import { makeTar } from '../tar-archive.js';

const SAMPLES = resolve('samples');
const sprintfAllocs = readFileSync(join(SAMPLES, 'sprintf', 'allocs.pb.gz'));
const cpuProfile = readFileSync(join(SAMPLES, 'cpu', 'cpu.pb.gz'));
const sprintfMain = readFileSync(join(SAMPLES, 'sprintf', 'main.go'), 'utf8');

/** A fetch body from bytes (a copy, so its buffer is a plain ArrayBuffer). */
const asBody = (b: Uint8Array): Blob => new Blob([new Uint8Array(b)]);

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

interface Line {
  line: number;
  flat: number;
  text: string | null;
  escape?: { col: number; kind: string; message: string; chain?: string[] }[];
  escapeMarker?: boolean;
}
interface Routine {
  function: string;
  file: string;
  lines: Line[];
  missing?: { tried: string[]; hint: string };
}

let tmp: string;
let local: RunningServer;
let shared: RunningServer;
let modDir: string;

/** Manage tokens of first uploads: on a --shared server only the owner attaches files. */
const tokens = new Map<string, string>();
const owner = (id: string): Record<string, string> => {
  const t = tokens.get(`${shared.url} ${id}`);
  return t ? { 'x-manage-token': t } : {};
};

async function upload(base: string, bytes: Uint8Array, name = 'p.pb.gz'): Promise<string> {
  const res = await fetch(`${base}/api/profiles?name=${name}`, { method: 'POST', body: asBody(bytes) });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { id: string; manageToken?: string };
  if (body.manageToken) tokens.set(`${base} ${body.id}`, body.manageToken);
  return body.id;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'pprof-lens-sources-api-'));
  // A copy of the sprintf program as a standalone module under a source root, for escape/run.
  modDir = join(tmp, 'roots', 'app');
  mkdirSync(join(modDir, 'sprintf'), { recursive: true });
  mkdirSync(join(modDir, 'internal', 'prof'), { recursive: true });
  writeFileSync(join(modDir, 'go.mod'), readFileSync(join(SAMPLES, 'go.mod')));
  writeFileSync(join(modDir, 'sprintf', 'main.go'), sprintfMain);
  writeFileSync(join(modDir, 'internal', 'prof', 'prof.go'), readFileSync(join(SAMPLES, 'internal', 'prof', 'prof.go')));
  local = await startServer({
    port: 0,
    store: { backend: 'fs', dir: join(tmp, 'store-local') },
    workers: 0,
    samplesDir: null,
    config: { sourcePaths: [join(tmp, 'roots')] },
    log: () => undefined,
  });
  shared = await startServer({
    port: 0,
    store: { backend: 'fs', dir: join(tmp, 'store-shared') },
    workers: 0,
    samplesDir: null,
    config: { shared: true },
    log: () => undefined,
  });
}, 60_000);

afterAll(async () => {
  await local?.close();
  await shared?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('source archives over HTTP', () => {
  it('serves listing text from an archive uploaded later, only for that profile', async () => {
    const id = await upload(shared.url, cpuProfile);
    // Renamed module so the bundled samples cannot answer: the archive must.
    const archive = await makeTar([
      { name: 'src/go.mod', body: 'module example.com/samples\n' },
      { name: 'src/cpu/main.go', body: '// uploaded copy\n' + readFileSync(join(SAMPLES, 'cpu', 'main.go'), 'utf8') },
    ]);
    const post = await fetch(`${shared.url}/api/profiles/${id}/sources`, {
      method: 'POST',
      body: asBody(archive),
      headers: { 'content-type': 'application/gzip', ...owner(id) },
    });
    expect(post.status).toBe(201);
    expect(await post.json()).toMatchObject({ id, files: 2, format: 'tar.gz' });
    const list = (await (await fetch(`${shared.url}/api/profiles/${id}/sources`)).json()) as { files: string[] };
    expect(list.files).toEqual(['src/cpu/main.go', 'src/go.mod']);
    const src = (await (await fetch(`${shared.url}/api/profiles/${id}/source?fn=${encodeURIComponent('^main\\.walk$')}`)).json()) as {
      routines: Routine[];
    };
    const walk = src.routines.find((r) => r.function === 'main.walk')!;
    expect(walk.missing).toBeUndefined();
    // Line numbers shift by the added comment line: the archive's text is what is shown.
    expect(walk.lines.some((l) => l.text?.includes('func walk(n *node) int {'))).toBe(true);
    const other = await upload(shared.url, sprintfAllocs);
    expect((await fetch(`${shared.url}/api/profiles/${other}/sources`)).status).toBe(404);
  });

  it('accepts the archive as the multipart field "sources" of the profile upload', async () => {
    const form = new FormData();
    form.append('profile', asBody(sprintfAllocs), 'allocs.pb.gz');
    form.append('sources', asBody(await makeTar([{ name: 'sprintf/main.go', body: sprintfMain }])), 'src.tar.gz');
    // Stored earlier by this test file: attaching needs its owner's token.
    const res = await fetch(`${shared.url}/api/profiles`, {
      method: 'POST',
      body: form,
      headers: owner(await upload(shared.url, sprintfAllocs)),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const list = (await (await fetch(`${shared.url}/api/profiles/${id}/sources`)).json()) as { files: string[] };
    expect(list.files).toEqual(['sprintf/main.go']);
  });

  it('rejects hostile archives with 4xx JSON errors', async () => {
    const id = await upload(shared.url, readFileSync(join(SAMPLES, 'concat', 'heap.pb.gz')));
    const cases: [Uint8Array, number, RegExp][] = [
      [await makeTar([{ name: '../../etc/cron.d/x', body: 'x' }]), 400, /\.\. component/],
      [await makeTar([{ name: '/etc/passwd', body: 'x' }]), 400, /absolute path/],
      [await makeTar([{ name: 'passwd.go', type: 'symlink', linkname: '/etc/passwd' }]), 400, /link/],
      [Buffer.from('package main\n'), 400, /\.tar\.gz, \.tar or \.zip/],
      [gzipSync(Buffer.alloc(200 << 20)), 413, /inflates to more than/],
    ];
    for (const [body, status, msg] of cases) {
      const res = await fetch(`${shared.url}/api/profiles/${id}/sources`, { method: 'POST', body: asBody(body), headers: owner(id) });
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(msg);
    }
    expect((await fetch(`${shared.url}/api/profiles/${id}/sources`)).status).toBe(404);
    const unknown = await fetch(`${shared.url}/api/profiles/nosuchprofile/sources`, { method: 'POST', body: asBody(Buffer.from('x')) });
    expect(unknown.status).toBe(404);
  });
});

describe('escape analysis over HTTP', () => {
  it('annotates the preloadable sample listings from the bundled escape.txt', async () => {
    const id = await upload(shared.url, sprintfAllocs);
    const res = await fetch(`${shared.url}/api/profiles/${id}/source?fn=${encodeURIComponent('^main\\.keyFor$')}&si=alloc_space`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { routines: Routine[]; escapeSource?: string };
    expect(body.escapeSource).toBe('samples');
    const r = body.routines.find((x) => x.function === 'main.keyFor')!;
    const call = r.lines.find((l) => l.line === lineOf(sprintfMain, 'return fmt.Sprintf('))!;
    expect(call.text).toContain('fmt.Sprintf(');
    expect(call.escapeMarker).toBe(true);
    expect(call.escape!.some((d) => d.kind === 'escapes')).toBe(true);
    const esc = (await (await fetch(`${shared.url}/api/profiles/${id}/escape`)).json()) as {
      source: string;
      files: Record<string, unknown>;
    };
    expect(esc.source).toBe('samples');
    expect(Object.keys(esc.files)).toEqual(['example.com/samples/sprintf/main.go']);
  });

  it('stores posted -m=2 output and uses it for that profile', async () => {
    const id = await upload(shared.url, readFileSync(join(SAMPLES, 'before-after', 'cpu.before.pb.gz')));
    const text = readFileSync(join(SAMPLES, 'before-after', 'escape.txt'), 'utf8');
    const res = await fetch(`${shared.url}/api/profiles/${id}/escape`, {
      method: 'POST',
      body: text,
      headers: { 'content-type': 'text/plain', ...owner(id) },
    });
    expect(res.status).toBe(201);
    const out = (await res.json()) as { decisions: number; files: string[] };
    expect(out.files).toEqual(['example.com/samples/before-after/main.go']);
    expect(out.decisions).toBeGreaterThan(10);
    const src = (await (await fetch(`${shared.url}/api/profiles/${id}/source?fn=${encodeURIComponent('^main\\.reportSlow$')}`)).json()) as {
      routines: Routine[];
      escapeSource?: string;
    };
    expect(src.escapeSource).toBe('attachment');
    const main = readFileSync(join(SAMPLES, 'before-after', 'main.go'), 'utf8');
    const lines = src.routines.flatMap((r) => r.lines);
    const decl = lines.find((l) => l.line === lineOf(main, 'func reportSlow('))!;
    expect(decl.escape!.some((d) => d.kind === 'leaking-param' && d.message === 'leaking param: doc' && d.chain)).toBe(true);
    // A CPU profile: decisions are shown, allocation markers are not.
    expect(lines.some((l) => l.escapeMarker)).toBe(false);
    const bad = await fetch(`${shared.url}/api/profiles/${id}/escape`, { method: 'POST', body: 'hello world\n', headers: owner(id) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/no compiler diagnostics/);
  });

  it('runs go build -gcflags=-m=2 in the matching module in local mode only', async () => {
    const id = await upload(local.url, sprintfAllocs);
    const res = await fetch(`${local.url}/api/profiles/${id}/escape/run`, { method: 'POST' });
    const body = (await res.json()) as { decisions: number; module: string; dir: string; trimpath: boolean; error?: string };
    expect(res.status, body.error).toBe(201);
    expect(body.module).toBe('example.com/samples');
    expect(body.trimpath).toBe(true);
    expect(body.decisions).toBeGreaterThan(0);
    const src = (await (
      await fetch(`${local.url}/api/profiles/${id}/source?fn=${encodeURIComponent('^main\\.keyFor$')}&si=alloc_space`)
    ).json()) as {
      routines: Routine[];
      escapeSource?: string;
    };
    expect(src.escapeSource).toBe('attachment');
    const call = src.routines.flatMap((r) => r.lines).find((l) => l.line === lineOf(sprintfMain, 'return fmt.Sprintf('))!;
    expect(call.escapeMarker).toBe(true);
    const sharedId = await upload(shared.url, sprintfAllocs);
    const denied = await fetch(`${shared.url}/api/profiles/${sharedId}/escape/run`, { method: 'POST', headers: owner(sharedId) });
    expect(denied.status).toBe(403);
  }, 120_000);

  it('reads GOROOT for runtime frames and explains where it looked when a file is missing', async () => {
    const id = await upload(local.url, cpuProfile);
    const rt = (await (await fetch(`${local.url}/api/profiles/${id}/source?fn=${encodeURIComponent('^runtime\\.main$')}`)).json()) as {
      routines: Routine[];
    };
    const main = rt.routines.find((r) => r.function === 'runtime.main')!;
    expect(main.missing).toBeUndefined();
    expect(main.lines.some((l) => l.text?.includes('func main() {'))).toBe(true);
    // The Node profile names files by absolute paths of the machine that made it: not under any root.
    const node = readFileSync(join(SAMPLES, 'node', 'wall.pb.gz'));
    for (const [srv, hint] of [
      [local, /--source-path/],
      [shared, /^(?!.*--source-path).*\/sources/],
    ] as const) {
      const nid = await upload(srv.url, node);
      const src = (await (await fetch(`${srv.url}/api/profiles/${nid}/source?fn=${encodeURIComponent('^roundTrip$')}`)).json()) as {
        routines: Routine[];
      };
      const r = src.routines.find((x) => x.function === 'roundTrip')!;
      expect(r.missing, srv.url).toBeDefined();
      expect(r.missing!.hint).toMatch(hint);
      if (srv === local) expect(r.missing!.tried.length).toBeGreaterThan(0);
    }
  });
});
