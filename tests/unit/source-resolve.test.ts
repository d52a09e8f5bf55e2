// Source with no set-up: profiles of a program built against a module cache and one with
// its dependency vendored, with and without -trimpath, opened "on another machine" (the
// build tree moved). With no flags, `pprof-lens list` must print what `go tool pprof -list`
// prints given the right -source_path/-trim_path, say where each file came from, and flag
// a file edited after the build or a different module version. The API resolves the same.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listText } from '../../server/src/cli/list.js';
import { readProfileFile } from '../../server/src/cli/load.js';
import { computeSourceListing } from '../../server/src/report/index.js';
import { chooseGoroot, releaseInFileNames } from '../../server/src/source/go-layout.js';
import { createSourceReader } from '../../server/src/source/index.js';
import { buildGoFixtures, pprofList, type GoFixtures } from './go-source-fixtures.js';

process.env.TZ = 'UTC';
const REGEX = 'dep\\.Fill|main\\.work|runtime\\.main';
let fx: GoFixtures;
const saved = { cwd: process.cwd(), modcache: process.env.GOMODCACHE, gowork: process.env.GOWORK };

beforeAll(() => {
  fx = buildGoFixtures();
  process.env.GOWORK = 'off';
}, 300_000);

afterAll(() => {
  process.chdir(saved.cwd);
  for (const [k, v] of [
    ['GOMODCACHE', saved.modcache],
    ['GOWORK', saved.gowork],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** Runs `fn` from `cwd` with GOMODCACHE set, as a developer's shell would. */
function inShell<T>(cwd: string, modCache: string, fn: () => T): T {
  const before = process.cwd();
  process.env.GOMODCACHE = modCache;
  process.chdir(cwd);
  try {
    return fn();
  } finally {
    process.chdir(before);
  }
}

/** inShell for async work: the working directory must stay set across its awaits. */
async function inShellAsync<T>(cwd: string, modCache: string, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.env.GOMODCACHE = modCache;
  process.chdir(cwd);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

/** Our `list` with no flags: stdout text and the stderr notes. */
function ourList(profile: string, cwd: string, modCache: string): { out: string; err: string[] } {
  const err: string[] = [];
  const out = inShell(cwd, modCache, () => listText([REGEX, profile], { out: () => undefined, err: (s) => void err.push(s.trim()) }));
  return { out, err };
}

/** The listing with the ROUTINE lines' file names left out (pprof shows them trimmed by its flags). */
const body = (text: string): string => text.replace(/^(ROUTINE =+ \S+) in .*$/gm, '$1');

interface Case {
  name: string;
  profile: () => string;
  cwd: () => string;
  modCache: () => string;
  /** The -source_path/-trim_path go tool pprof needs to find the same files. */
  pprofArgs: () => string[];
  /** Expected "from" step per file base name. */
  from: Record<string, RegExp>;
  stale?: { file: RegExp; note: RegExp[] };
}

const cases: Case[] = [
  {
    name: 'module cache, -trimpath',
    profile: () => fx.profiles.modTrim,
    cwd: () => path.join(fx.laptop, 'app/docs'),
    modCache: () => fx.modCache,
    pprofArgs: () => [`-source_path=${[path.join(fx.laptop, 'app'), fx.modCache, path.join(fx.goroot, 'src')].join(':')}`],
    from: {
      'dep.go': /from module cache example\.com\/dep@v1\.0\.0 \(/,
      'main.go': /from current module example\.com\/app \(/,
      'proc.go': /from GOROOT go1\.\d+/,
    },
  },
  {
    name: 'module cache, full paths of another machine',
    profile: () => fx.profiles.mod,
    cwd: () => path.join(fx.laptop, 'app/docs'),
    modCache: () => fx.modCache,
    pprofArgs: () => [
      `-trim_path=${path.join(fx.buildDir, 'app')}:${fx.buildModCache}`,
      `-source_path=${path.join(fx.laptop, 'app')}:${fx.modCache}`,
    ],
    from: {
      'dep.go': /from module cache example\.com\/dep@v1\.0\.0 \(/,
      'main.go': /from current module example\.com\/app \(/,
      'proc.go': /from the path in the profile/,
    },
  },
  {
    name: 'vendored, -trimpath',
    profile: () => fx.profiles.venTrim,
    cwd: () => path.join(fx.laptop, 'vapp/docs'),
    modCache: () => fx.emptyModCache,
    pprofArgs: () => [
      '-trim_path=example.com/dep@v1.0.0:example.com/vapp',
      `-source_path=${[path.join(fx.laptop, 'vapp/vendor/example.com/dep'), path.join(fx.laptop, 'vapp'), path.join(fx.goroot, 'src')].join(':')}`,
    ],
    from: {
      'dep.go': /from vendor\/ example\.com\/dep v1\.0\.0 \(/,
      'main.go': /from current module example\.com\/vapp \(/,
      'proc.go': /from GOROOT/,
    },
  },
  {
    name: 'vendored, full paths of another machine',
    profile: () => fx.profiles.ven,
    cwd: () => path.join(fx.laptop, 'vapp/docs'),
    modCache: () => fx.emptyModCache,
    pprofArgs: () => [`-trim_path=${path.join(fx.buildDir, 'vapp')}`, `-source_path=${path.join(fx.laptop, 'vapp')}`],
    from: { 'dep.go': /from vendor\/ example\.com\/dep v1\.0\.0 \(/, 'main.go': /from current module example\.com\/vapp \(/ },
  },
  {
    name: 'stale: vendored file edited after the build',
    profile: () => fx.profiles.venTrim,
    cwd: () => path.join(fx.stale, 'vapp/docs'),
    modCache: () => fx.emptyModCache,
    pprofArgs: () => [
      '-trim_path=example.com/dep@v1.0.0:example.com/vapp',
      `-source_path=${[path.join(fx.stale, 'vapp/vendor/example.com/dep'), path.join(fx.stale, 'vapp'), path.join(fx.goroot, 'src')].join(':')}`,
    ],
    from: { 'dep.go': /from vendor\//, 'main.go': /from current module/ },
    stale: { file: /^\S*dep\.go: warning/, note: [/samples on blank or comment line 6\b/] },
  },
  {
    name: 'stale: another version of the module in the cache',
    profile: () => fx.profiles.modTrim,
    cwd: () => path.join(fx.laptop, 'app/docs'),
    modCache: () => fx.modCacheV110,
    pprofArgs: () => [
      '-trim_path=example.com/dep@v1.0.0:example.com/app',
      `-source_path=${[path.join(fx.modCacheV110, 'example.com/dep@v1.1.0'), path.join(fx.laptop, 'app'), path.join(fx.goroot, 'src')].join(':')}`,
    ],
    from: { 'dep.go': /from module cache example\.com\/dep@v1\.1\.0 \(/ },
    stale: {
      file: /^\S*dep\.go: warning/,
      note: [
        /module version differs: the binary was built with example\.com\/dep v1\.0\.0, the module cache has only v1\.1\.0/,
        /blank or comment lines 6, 8/,
      ],
    },
  },
];

describe('list finds sources with no flags, as go tool pprof -list with the right -source_path', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ours = ourList(c.profile(), c.cwd(), c.modCache());
      const theirs = pprofList(fx, REGEX, c.pprofArgs(), c.profile(), c.cwd());
      expect(theirs).not.toMatch(/Error: could not find/);
      expect(body(ours.out)).toBe(body(theirs));
      // One "from" line per file, naming the step that found it.
      for (const [base, re] of Object.entries(c.from)) {
        const line = ours.err.find((l) => l.includes(`${base}: from `));
        expect(line, `${base} in ${JSON.stringify(ours.err)}`).toMatch(re);
      }
      const warnings = ours.err.filter((l) => l.includes('warning: source may be stale'));
      if (!c.stale) {
        expect(warnings).toEqual([]);
        return;
      }
      expect(warnings.length).toBeGreaterThan(0);
      for (const w of warnings) expect(w).toMatch(c.stale.file);
      for (const re of c.stale.note)
        expect(
          warnings.some((w) => re.test(w)),
          `${re} in ${JSON.stringify(warnings)}`,
        ).toBe(true);
    });
  }
});

describe('the API resolves as the CLI does', () => {
  const noAttachments = { getAttachment: async () => null };

  it('local mode: same lines, origins with paths', async () => {
    const profile = readProfileFile(fx.profiles.modTrim);
    const cwd = path.join(fx.laptop, 'app/docs');
    const reader = await inShellAsync(cwd, fx.modCache, () =>
      createSourceReader('p', { sourcePaths: [], trimPaths: [], shared: false }, noAttachments, profile),
    );
    const api = inShell(cwd, fx.modCache, () => computeSourceListing(profile, {}, REGEX, reader));
    const cli = ourList(fx.profiles.modTrim, cwd, fx.modCache).out;
    // Same source lines and weights as the CLI's listing.
    const apiLines = api.routines.flatMap((r) => r.lines.map((l) => `${l.line}:${l.text}`));
    const cliLines = cli
      .split('\n')
      .filter((l) => /^\s+\S+\s+\S+\s+\d+:/.test(l))
      .map((l) => l.replace(/^\s+\S+\s+\S+\s+(\d+):/, '$1:'));
    expect(apiLines).toEqual(cliLines);
    const dep = api.routines.find((r) => r.function === 'example.com/dep.Fill')!;
    expect(dep.origin).toEqual({
      step: 'module-cache',
      label: 'module cache example.com/dep@v1.0.0',
      path: path.join(fx.modCache, 'example.com/dep@v1.0.0/dep.go'),
    });
    expect(api.routines.find((r) => r.function === 'main.work')!.origin?.step).toBe('module');
    expect(api.routines.find((r) => r.function === 'runtime.main')!.origin?.step).toBe('goroot');
    expect(api.routines.every((r) => !r.stale)).toBe(true);
  });

  it('vendor/ before the module cache, and stale files flagged', async () => {
    const profile = readProfileFile(fx.profiles.venTrim);
    const cwd = path.join(fx.stale, 'vapp/docs');
    // The module cache has the clean v1.0.0, but vendor/ (edited) comes first.
    const reader = await inShellAsync(cwd, fx.modCache, () =>
      createSourceReader('p', { sourcePaths: [], trimPaths: [], shared: false }, noAttachments, profile),
    );
    const l = inShell(cwd, fx.modCache, () => computeSourceListing(profile, {}, 'dep\\.Fill', reader));
    expect(l.routines[0].origin?.step).toBe('vendor');
    expect(l.routines[0].stale?.join('\n')).toMatch(/blank or comment line 6/);
  });

  it('--source-path still wins', async () => {
    const profile = readProfileFile(fx.profiles.modTrim);
    const cwd = path.join(fx.laptop, 'app/docs');
    const roots = [path.join(fx.modCacheV110, 'example.com/dep@v1.1.0')];
    const reader = await inShellAsync(cwd, fx.modCache, () =>
      createSourceReader('p', { sourcePaths: roots, trimPaths: ['example.com/dep@v1.0.0'], shared: false }, noAttachments, profile),
    );
    const got = inShell(cwd, fx.modCache, () => reader.read('example.com/dep@v1.0.0/dep.go'));
    expect(got.origin).toMatchObject({ step: 'source-path', path: path.join(roots[0], 'dep.go') });
  });

  it('shared mode: no module lookups and no server paths in tried or origin', async () => {
    const profile = readProfileFile(fx.profiles.modTrim);
    const cwd = path.join(fx.laptop, 'app/docs');
    const reader = await inShellAsync(cwd, fx.modCache, () =>
      createSourceReader('p', { sourcePaths: [], trimPaths: [], shared: true }, noAttachments, profile),
    );
    const l = inShell(cwd, fx.modCache, () => computeSourceListing(profile, {}, REGEX, reader));
    const dep = l.routines.find((r) => r.function === 'example.com/dep.Fill')!;
    expect(dep.missing).toBeDefined();
    const proc = l.routines.find((r) => r.function === 'runtime.main')!;
    expect(proc.origin).toEqual({ step: 'goroot', label: expect.stringMatching(/^GOROOT go1\./) });
    const text = JSON.stringify(l);
    for (const secret of [fx.dir, fx.goroot, '/usr/', '/root', '/work']) expect(text).not.toContain(secret);
  });
});

describe('GOROOT of the profile Go release', () => {
  it('reads the release from GOROOT file names', () => {
    const p = readProfileFile(fx.profiles.mod);
    expect(releaseInFileNames(p.function.map((f) => f.filename))).toMatch(/^1\.\d+$/);
    expect(releaseInFileNames(['/usr/local/go1.22.3/src/runtime/proc.go'])).toBe('1.22');
    expect(releaseInFileNames(['/root/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.21.5.linux-amd64/src/fmt/print.go'])).toBe('1.21');
    expect(releaseInFileNames(['runtime/proc.go', 'example.com/app/main.go'])).toBeNull();
  });

  it('prefers the installed release, else warns with the default', () => {
    const installed = [
      { dir: '/usr/lib/go-1.23', release: '1.23', version: 'go1.23.5' },
      { dir: '/usr/lib/go-1.21', release: '1.21', version: 'go1.21.9' },
    ];
    expect(chooseGoroot(installed, '1.21', '')).toEqual({ dir: '/usr/lib/go-1.21', version: 'go1.21.9' });
    expect(chooseGoroot(installed, null, '<=1.21')).toEqual({ dir: '/usr/lib/go-1.21', version: 'go1.21.9' });
    const other = chooseGoroot(installed, '1.19', '');
    expect(other?.dir).toBe('/usr/lib/go-1.23');
    expect(other?.warning).toMatch(/built with Go 1\.19 .*showing go1\.23\.5/);
    expect(chooseGoroot(installed, null, '>=1.26')?.warning).toMatch(/suggest Go >=1\.26/);
    expect(chooseGoroot([], '1.23', '')).toBeNull();
  });
});
