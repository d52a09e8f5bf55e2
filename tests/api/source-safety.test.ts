// Issue 12 item 6: the source view reads only source files. A profile whose file names
// point at ".env.test", ".git/config", node_modules, the data directory or a symlink to
// any of them gets no contents through GET /api/profiles/:id/source, in local mode (the
// working directory as root) and with --source-path; a shared server names no server
// path in `missing.tried` or `origin`.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/http/server.js';
import { encodeProfile } from '../browser/web-harness.js';

interface Routine {
  function: string;
  file: string;
  lines: { line: number; text: string | null }[];
  missing?: { tried: string[]; hint: string };
  origin?: { step: string; label: string; path?: string };
}

const SECRET = 'TOP-SECRET-VALUE';
/** 120 lines, so that any line number the profile names exists. */
const body = (first: string, filler = SECRET): string =>
  [first, ...Array.from({ length: 119 }, (_, i) => `${filler} ${i}`)].join('\n') + '\n';

// function -> file name in the profile
const FILES: Record<string, string> = {
  'main.env': '.env.test',
  'main.git': '.git/config',
  'main.nodemod': 'node_modules/pkg/index.js',
  'main.data': 'data/evil.go',
  'main.link': 'pkg/link.go',
  'main.dotdir': '.hidden/x.go',
  'main.noext': 'pkg/README',
  'main.good': 'pkg/a.go',
};

let tmp: string;
let proj: string;
let cwd: string;
let local: RunningServer;
let rooted: RunningServer;
let shared: RunningServer;
const ids = new Map<RunningServer, string>();

function profileBytes(): Uint8Array {
  return encodeProfile({
    sampleTypes: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    samples: Object.keys(FILES).map((fn) => ({ stack: [fn, 'runtime.main'], values: [1, 10_000_000] })),
    fileOf: (fn) => FILES[fn] ?? 'runtime/proc.go',
  });
}

async function upload(s: RunningServer): Promise<string> {
  const res = await fetch(`${s.url}/api/profiles?name=hostile.pb.gz`, { method: 'POST', body: new Blob([new Uint8Array(profileBytes())]) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function listing(s: RunningServer): Promise<Routine[]> {
  const res = await fetch(`${s.url}/api/profiles/${ids.get(s)}/source?fn=${encodeURIComponent('^main\\.')}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { routines: Routine[] }).routines;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'pprof-lens-src-safety-'));
  proj = join(tmp, 'proj');
  for (const d of ['.git', 'node_modules/pkg', 'data', 'pkg', '.hidden']) mkdirSync(join(proj, d), { recursive: true });
  writeFileSync(join(proj, '.env.test'), body('API_KEY=' + SECRET));
  writeFileSync(join(proj, '.git/config'), body('[core]'));
  writeFileSync(join(proj, 'node_modules/pkg/index.js'), body('module.exports = 1;'));
  writeFileSync(join(proj, 'data/evil.go'), body('package evil'));
  writeFileSync(join(proj, '.hidden/x.go'), body('package hidden'));
  writeFileSync(join(proj, 'pkg/README'), body('readme'));
  writeFileSync(join(proj, 'pkg/a.go'), body('package pkg', '// ordinary code'));
  // A source-looking name inside the root whose target is a dot-file.
  symlinkSync(join(proj, '.env.test'), join(proj, 'pkg/link.go'));
  cwd = process.cwd();
  // Local mode without --source-path reads the working directory; workers: 0 keeps reads in this process.
  process.chdir(proj);
  const common = { port: 0, workers: 0, samplesDir: null, log: () => undefined } as const;
  local = await startServer({ ...common, store: { backend: 'fs', dir: join(proj, 'data') } });
  rooted = await startServer({ ...common, store: { backend: 'fs', dir: join(proj, 'data') }, config: { sourcePaths: [proj] } });
  shared = await startServer({
    ...common,
    store: { backend: 'fs', dir: join(proj, 'data') },
    config: { shared: true, sourcePaths: [proj] },
  });
  for (const s of [local, rooted, shared]) ids.set(s, await upload(s));
}, 60_000);

afterAll(async () => {
  process.chdir(cwd);
  for (const s of [local, rooted, shared]) await s?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('GET /source reads only source files', () => {
  for (const [mode, server] of [
    ['local mode (working directory)', () => local],
    ['--source-path', () => rooted],
    ['shared with --source-path', () => shared],
  ] as const) {
    it(`${mode}: no dot-files, dot-directories, node_modules, data directory, symlinks to them, or non-source files`, async () => {
      const routines = await listing(server());
      expect(JSON.stringify(routines)).not.toContain(SECRET);
      for (const [fn, file] of Object.entries(FILES)) {
        const r = routines.find((x) => x.function === fn);
        expect(r, fn).toBeDefined();
        if (fn === 'main.good') {
          // The control: an ordinary source file under the root is served.
          expect(r!.missing, file).toBeUndefined();
          expect(r!.lines.length).toBeGreaterThan(0);
          continue;
        }
        expect(r!.missing, file).toBeDefined();
        expect(r!.lines, file).toEqual([]);
      }
    });
  }

  it('local mode says where the file came from', async () => {
    const good = (await listing(local)).find((r) => r.function === 'main.good')!;
    expect(good.origin).toMatchObject({ step: 'working-dir', path: join(proj, 'pkg/a.go') });
  });

  it('shared mode: tried paths and origins name no server directory', async () => {
    const routines = await listing(shared);
    const text = JSON.stringify(routines);
    expect(text).not.toContain(tmp);
    expect(text).not.toContain(proj);
    const good = routines.find((r) => r.function === 'main.good')!;
    expect(good.origin).toEqual({ step: 'source-path', label: '--source-path' });
    const missing = routines.find((r) => r.function === 'main.noext')!;
    expect(missing.missing!.tried.length).toBeGreaterThan(0);
    for (const t of missing.missing!.tried) expect(t).toMatch(/^(<source-path 1>|<GOROOT [^>]+>|archive:)/);
  });
});
