// Source lookup on the local filesystem: roots and their parents, trim paths, module
// paths of -trimpath builds, GOROOT, and the paths that must never be read.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsSourceReader } from '../../server/src/source/fs-reader.js';
import { findGoroot } from '../../server/src/source/go-env.js';
import { safeRelative } from '../../server/src/source/paths.js';
import { chainReaders, createSourceReader } from '../../server/src/source/index.js';

const SAMPLES = resolve('samples');
let tmp: string;
let proj: string;
let secret: string;
const A_GO = 'package pkg\n\nfunc A() int { return 1 }\n';

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pprof-lens-src-'));
  proj = join(tmp, 'work', 'proj');
  mkdirSync(join(proj, 'pkg'), { recursive: true });
  writeFileSync(join(proj, 'go.mod'), 'module example.com/proj\n\ngo 1.23\n');
  writeFileSync(join(proj, 'pkg', 'a.go'), A_GO);
  secret = join(tmp, 'secret.txt');
  writeFileSync(secret, 'TOP SECRET\n');
  // A symlinked file and a symlinked directory inside the root, both pointing out of it.
  symlinkSync(secret, join(proj, 'pkg', 'link.go'));
  symlinkSync(tmp, join(proj, 'escape-dir'));
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('filesystem source reader', () => {
  it('finds a relative name under a root', () => {
    const r = createFsSourceReader({ roots: [proj] });
    expect(r.read('pkg/a.go').text).toBe(A_GO);
  });

  it('searches the parents of a root as pprof does, without leaving the root', () => {
    // root .../proj/pkg, name "proj/pkg/a.go": found by joining it to the root's grandparent.
    const r = createFsSourceReader({ roots: [join(proj, 'pkg')] });
    expect(r.read('proj/pkg/a.go').text).toBe(A_GO);
  });

  it('removes --trim-path prefixes', () => {
    const r = createFsSourceReader({ roots: [proj], trimPaths: ['/build/ci/proj'] });
    expect(r.read('/build/ci/proj/pkg/a.go').text).toBe(A_GO);
    // With several prefixes, any matching one applies.
    const r2 = createFsSourceReader({ roots: [proj], trimPaths: ['/nowhere', '/build/ci/proj/'] });
    expect(r2.read('/build/ci/proj/pkg/a.go').text).toBe(A_GO);
  });

  it('uses the root base-name heuristic when no trim path is set', () => {
    const r = createFsSourceReader({ roots: [proj] });
    expect(r.read('/home/someone/src/proj/pkg/a.go').text).toBe(A_GO);
    expect(r.read('C:\\Users\\dev\\proj\\pkg\\a.go').text).toBe(A_GO);
  });

  it('resolves -trimpath module paths through go.mod module lines', () => {
    const r = createFsSourceReader({ roots: [tmp] });
    expect(r.read('example.com/proj/pkg/a.go').text).toBe(A_GO);
    // Module cache style names carry a version.
    expect(r.read('example.com/proj@v1.2.3/pkg/a.go').text).toBe(A_GO);
  });

  it('resolves the real sample profiles file names against samples/', () => {
    const r = createFsSourceReader({ roots: [SAMPLES] });
    for (const prog of ['cpu', 'boxing', 'largeheap']) {
      expect(r.read(`example.com/samples/${prog}/main.go`).text).toBe(readFileSync(join(SAMPLES, prog, 'main.go'), 'utf8'));
    }
  });

  it('reads standard-library files from GOROOT in -trimpath and absolute forms', () => {
    const goroot = findGoroot();
    expect(goroot, 'Go must be installed (scripts/ensure-go.sh)').not.toBeNull();
    const r = createFsSourceReader({ roots: [], goroot });
    const expected = readFileSync(join(goroot!, 'src', 'fmt', 'print.go'), 'utf8');
    expect(r.read('fmt/print.go').text).toBe(expected);
    // Another machine's GOROOT, and a toolchain from the module cache.
    expect(r.read('/usr/local/go/src/fmt/print.go').text).toBe(expected);
    expect(r.read('/root/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.23.5.linux-amd64/src/fmt/print.go').text).toBe(expected);
    expect(r.read('runtime/proc.go').text).toMatch(/^package runtime$/m);
  });

  it('falls back to a suffix match under the roots', () => {
    const r = createFsSourceReader({ roots: [tmp] });
    expect(r.read('/some/other/layout/proj/pkg/a.go').text).toBe(A_GO);
  });

  it('never reads outside the roots', () => {
    const r = createFsSourceReader({ roots: [proj] });
    for (const name of [
      '/etc/passwd',
      '../../secret.txt',
      '../secret.txt',
      'pkg/../../secret.txt',
      secret,
      'pkg/link.go',
      'escape-dir/secret.txt',
    ]) {
      const got = r.read(name);
      expect(got.text, name).toBeNull();
      expect(got.tried).not.toContain('/etc/passwd');
      expect(got.tried).not.toContain(secret);
    }
    expect(safeRelative('../../secret')).toBeNull();
    expect(safeRelative('a/../../b')).toBeNull();
    expect(safeRelative('./a/./b/../c.go')).toBe('a/c.go');
  });

  it('does not read /etc/passwd even with / among the parents walked', () => {
    // pprof would walk up to "/" and open /etc/passwd; we only accept paths inside the root.
    const r = createFsSourceReader({ roots: [join(proj, 'pkg')] });
    const got = r.read('etc/passwd');
    expect(got.text).toBeNull();
    expect(got.tried.every((t) => t.startsWith(join(proj, 'pkg')))).toBe(true);
  });

  it('lists the paths it tried when a file is missing', () => {
    const r = createFsSourceReader({ roots: [proj] });
    const got = r.read('pkg/missing.go');
    expect(got.text).toBeNull();
    expect(got.tried).toContain(join(proj, 'pkg', 'missing.go'));
  });

  it('chains readers and accumulates tried paths', () => {
    const a = { read: () => ({ text: null, tried: ['archive:x.go'] }) };
    const b = createFsSourceReader({ roots: [proj] });
    const got = chainReaders([a, b]).read('pkg/a.go');
    expect(got.text).toBe(A_GO);
    expect(got.tried[0]).toBe('archive:x.go');
  });

  it('reads the bundled samples by module path only, with no roots configured', async () => {
    const r = await createSourceReader('none', { sourcePaths: [], trimPaths: [] }, { getAttachment: async () => null });
    expect(r.read('example.com/samples/sprintf/main.go').text).toBe(readFileSync(join(SAMPLES, 'sprintf', 'main.go'), 'utf8'));
    // A user's own main.go must not resolve to a sample's.
    expect(r.read('github.com/user/app/cpu/main.go').text).toBeNull();
    expect(r.read('example.com/samples/../../../etc/passwd').text).toBeNull();
  });

  it('uses the working directory as the only root in local mode without --source-path', async () => {
    const env = { getAttachment: async () => null };
    const localR = await createSourceReader('none', { sourcePaths: [], trimPaths: [], shared: false }, env);
    expect(localR.read('samples/cpu/main.go').text).toBe(readFileSync(join(SAMPLES, 'cpu', 'main.go'), 'utf8'));
    expect(localR.read(join(process.cwd(), 'samples', 'cpu', 'main.go')).text).toBe(readFileSync(join(SAMPLES, 'cpu', 'main.go'), 'utf8'));
    // Only source files are served (issue 12): go.mod, package.json, dot-files are not.
    for (const f of ['samples/go.mod', 'package.json', join(process.cwd(), '.gitignore')]) expect(localR.read(f).text, f).toBeNull();
    expect(localR.read('/etc/passwd').text).toBeNull();
    // No loose suffix guessing in the implicit root: a stranger's cpu/main.go stays unresolved.
    expect(localR.read('/home/stranger/app/cpu/main.go').text).toBeNull();
    const sharedR = await createSourceReader('none', { sourcePaths: [], trimPaths: [], shared: true }, env);
    expect(sharedR.read('samples/cpu/main.go').text).toBeNull();
  });
});
