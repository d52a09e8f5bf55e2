// The Go layout around a directory (go.work, go.mod, replace, vendor/modules.txt) and the
// resolver's path safety: every step reads only source files inside its own root, symlinks
// included. Hand-made trees; the built-program cases are in source-resolve.test.ts.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directiveLines, goLayout, goModCache, localReplaces, vendorVersions } from '../../server/src/source/go-layout.js';
import { createGoSourceReader } from '../../server/src/source/go-resolver.js';

let tmp: string;
const GO = (pkg: string): string => `package ${pkg}\n\nfunc F() int { return 1 }\n`;

function write(p: string, text: string): void {
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pprof-lens-golayout-'));
  // A workspace: ./app and ./lib, and a module replaced by a local folder.
  write(join(tmp, 'ws/go.work'), 'go 1.22\n\nuse (\n\t./app // the program\n\t"./lib"\n)\n');
  write(
    join(tmp, 'ws/app/go.mod'),
    'module example.com/app\n\ngo 1.22\n\nrequire example.com/fork v1.0.0\n\nreplace example.com/fork v1.0.0 => ../fork\n',
  );
  write(join(tmp, 'ws/app/main.go'), GO('main'));
  write(join(tmp, 'ws/app/cmd/tool/tool.go'), GO('main'));
  write(join(tmp, 'ws/lib/go.mod'), 'module example.com/lib\n');
  write(join(tmp, 'ws/lib/lib.go'), GO('lib'));
  write(join(tmp, 'ws/fork/go.mod'), 'module example.com/fork\n');
  write(join(tmp, 'ws/fork/fork.go'), GO('fork'));
  // Outside every root, reached only through symlinks.
  write(join(tmp, 'outside/secret.go'), 'package secret // SECRET\n');
  symlinkSync(join(tmp, 'outside/secret.go'), join(tmp, 'ws/lib/link.go'));
  symlinkSync(join(tmp, 'outside'), join(tmp, 'ws/lib/linkdir'));
  write(join(tmp, 'ws/lib/.env.go'), 'SECRET=1\n');
  // A module cache, one entry a symlink out of it.
  write(join(tmp, 'modcache/github.com/!burnt!sushi/toml@v1.2.0/decode.go'), GO('toml'));
  write(join(tmp, 'modcache/example.com/lib@v0.4.0/lib.go'), GO('released'));
  symlinkSync(join(tmp, 'outside'), join(tmp, 'modcache/example.com/evil@v1.0.0'));
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('go.mod / go.work parsing', () => {
  it('reads directives in single-line and block forms, without comments', () => {
    expect(directiveLines('use ./a\nuse (\n ./b // x\n "./c"\n)\n', 'use')).toEqual(['./b', '"./c"', './a']);
    expect(localReplaces('replace (\n a.com/x => ../x\n b.com/y v1 => b.com/z v2\n)\nreplace c.com/w v1.0.0 => /abs/w\n', '/m')).toEqual([
      { path: 'a.com/x', dir: '/x' },
      { path: 'c.com/w', dir: '/abs/w' },
    ]);
    expect(
      vendorVersions('# example.com/dep v1.0.0\n## explicit; go 1.21\nexample.com/dep\n# golang.org/x/sys v0.1.0 => ../sys\n'),
    ).toEqual(
      new Map([
        ['example.com/dep', 'v1.0.0'],
        ['golang.org/x/sys', 'v0.1.0'],
      ]),
    );
  });

  it('finds the workspace from a subdirectory, with its modules and replace targets', () => {
    const l = goLayout(join(tmp, 'ws/app/cmd/tool'), {});
    expect(l.modules.map((m) => [m.path, m.kind]).sort()).toEqual([
      ['example.com/app', 'workspace'],
      ['example.com/fork', 'replace'],
      ['example.com/lib', 'workspace'],
    ]);
    // GOWORK=off: only the module around the directory.
    expect(
      goLayout(join(tmp, 'ws/app/cmd/tool'), { GOWORK: 'off' })
        .modules.map((m) => m.kind)
        .sort(),
    ).toEqual(['module', 'replace']);
  });

  it('takes GOMODCACHE, else GOPATH/pkg/mod, else HOME/go/pkg/mod', () => {
    expect(goModCache({ GOMODCACHE: join(tmp, 'modcache') })).toBe(join(tmp, 'modcache'));
    mkdirSync(join(tmp, 'gopath/pkg/mod'), { recursive: true });
    expect(goModCache({ GOPATH: join(tmp, 'gopath') })).toBe(join(tmp, 'gopath/pkg/mod'));
    mkdirSync(join(tmp, 'home/go/pkg/mod'), { recursive: true });
    expect(goModCache({ HOME: join(tmp, 'home') })).toBe(join(tmp, 'home/go/pkg/mod'));
    expect(goModCache({ GOMODCACHE: join(tmp, 'nowhere') })).toBeNull();
  });
});

describe('Go steps resolve and stay inside their roots', () => {
  const reader = () => createGoSourceReader({ layout: goLayout(join(tmp, 'ws/app'), {}), modCache: join(tmp, 'modcache'), goroot: null });

  it('resolves workspace, replace and escaped module-cache names, saying where from', () => {
    const r = reader();
    expect(r.read('example.com/lib/lib.go').origin).toMatchObject({ step: 'workspace', label: 'go.work module example.com/lib' });
    expect(r.read('example.com/app/cmd/tool/tool.go').origin?.step).toBe('workspace');
    const fork = r.read('example.com/fork@v1.0.0/fork.go');
    expect(fork.origin).toMatchObject({ step: 'replace', path: join(tmp, 'ws/fork/fork.go') });
    expect(fork.notes).toBeUndefined();
    expect(r.read('example.com/lib/lib.go').notes).toBeUndefined();
    // A released version of a go.work module: the working tree may differ, and the listing says so.
    expect(r.read('example.com/lib@v0.3.0/lib.go').notes).toEqual([
      'module version differs: the binary was built with example.com/lib v0.3.0, showing the local go.work module (working tree)',
    ]);
    // ... unless the module cache has that exact version.
    const cached = r.read('example.com/lib@v0.4.0/lib.go');
    expect(cached.origin?.step).toBe('module-cache');
    expect(cached.text).toBe(GO('released'));
    expect(cached.notes).toBeUndefined();
    // -trimpath spells the module path with capitals; the cache escapes them.
    expect(r.read('github.com/BurntSushi/toml@v1.2.0/decode.go').origin).toMatchObject({
      step: 'module-cache',
      label: 'module cache github.com/BurntSushi/toml@v1.2.0',
    });
    expect(r.read('/home/ci/go/pkg/mod/github.com/!burnt!sushi/toml@v1.2.0/decode.go').text).toBe(GO('toml'));
    // A checkout elsewhere with the same folder name.
    expect(r.read('/ci/build/lib/lib.go').text).toBe(GO('lib'));
  });

  it('never follows a symlink out of a root, nor reads dot-files or climbs with ..', () => {
    const r = reader();
    for (const name of [
      'example.com/lib/link.go',
      'example.com/lib/linkdir/secret.go',
      'example.com/lib/.env.go',
      'example.com/lib/../../outside/secret.go',
      'example.com/evil@v1.0.0/secret.go',
      '/x/pkg/mod/example.com/evil@v1.0.0/secret.go',
      'example.com/fork@v1.0.0/../outside/secret.go',
    ]) {
      const got = r.read(name);
      expect(got.text, name).toBeNull();
      for (const t of got.tried) expect(t.startsWith(join(tmp, 'outside')), `${name} tried ${t}`).toBe(false);
    }
  });
});
