// Builds the source-resolution fixtures once (cached under tests/.tmp/source-resolve/<key>):
// a file:// GOPROXY holding example.com/dep v1.0.0 and v1.1.0, the program of
// tests/fixtures/source-resolve/app built against a temporary GOMODCACHE (example.com/app)
// and vendored (example.com/vapp), each with and without -trimpath, and their allocs
// profiles. Then the build tree is moved away, as if the profiles were opened on another
// machine: `laptop/` holds the checkouts and `laptop-modcache/` the module cache.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { findGoBinary } from '../../server/src/source/go-env.js';
import { ROOT } from './engine-references.js';

const FIXTURES = path.join(ROOT, 'tests/fixtures/source-resolve');

export interface GoFixtures {
  go: string;
  goroot: string;
  dir: string;
  /** The original build tree (gone: renamed to laptop/), as named in the profiles. */
  buildDir: string;
  buildModCache: string;
  /** Checkouts on "this machine": laptop/app (module cache) and laptop/vapp (vendored). */
  laptop: string;
  /** Module cache with example.com/dep v1.0.0, and one with only v1.1.0. */
  modCache: string;
  modCacheV110: string;
  /** An empty module cache. */
  emptyModCache: string;
  /** Copy of laptop/vapp whose vendored dep.go was edited after the build (stale). */
  stale: string;
  profiles: { mod: string; modTrim: string; ven: string; venTrim: string };
}

/** A module zip (stored entries) as the go command reads it from a GOPROXY. */
function moduleZip(files: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name);
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(f.data.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(f.data.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, f.data);
    centrals.push(central, name);
    offset += local.length + name.length + f.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** GOPROXY layout (<module>/@v/list, .info, .mod, .zip) for example.com/dep at both versions. */
function writeProxy(proxy: string): void {
  const dir = path.join(proxy, 'example.com/dep/@v');
  mkdirSync(dir, { recursive: true });
  const versions = ['v1.0.0', 'v1.1.0'];
  for (const v of versions) {
    const src = path.join(FIXTURES, `dep-${v}`);
    const files = readdirSync(src)
      .sort()
      .map((n) => ({ name: `example.com/dep@${v}/${n}`, data: readFileSync(path.join(src, n)) }));
    writeFileSync(path.join(dir, `${v}.mod`), readFileSync(path.join(src, 'go.mod')));
    writeFileSync(path.join(dir, `${v}.info`), JSON.stringify({ Version: v, Time: '2024-01-01T00:00:00Z' }));
    writeFileSync(path.join(dir, `${v}.zip`), moduleZip(files));
  }
  writeFileSync(path.join(dir, 'list'), versions.join('\n') + '\n');
}

function fixtureKey(go: string): string {
  const h = createHash('sha256');
  h.update(execFileSync(go, ['version'], { encoding: 'utf8' }));
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(p.slice(FIXTURES.length)).update(readFileSync(p));
    }
  };
  walk(FIXTURES);
  h.update(readFileSync(new URL(import.meta.url)));
  return h.digest('hex').slice(0, 12);
}

/** Module cache trees are read-only; make them writable so they can be moved and removed. */
function makeWritable(dir: string): void {
  if (!existsSync(dir)) return;
  execFileSync('chmod', ['-R', 'u+w', dir]);
}

export function buildGoFixtures(): GoFixtures {
  const go = findGoBinary();
  if (!go) throw new Error('Go is required (scripts/ensure-go.sh)');
  const goroot = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  const dir = path.join(ROOT, 'tests/.tmp/source-resolve', fixtureKey(go));
  const fx: GoFixtures = {
    go,
    goroot,
    dir,
    buildDir: path.join(dir, 'build'),
    buildModCache: path.join(dir, 'build-modcache'),
    laptop: path.join(dir, 'laptop'),
    modCache: path.join(dir, 'laptop-modcache'),
    modCacheV110: path.join(dir, 'modcache-v110'),
    emptyModCache: path.join(dir, 'empty-modcache'),
    stale: path.join(dir, 'stale'),
    profiles: {
      mod: path.join(dir, 'profiles/mod.pb.gz'),
      modTrim: path.join(dir, 'profiles/mod-trim.pb.gz'),
      ven: path.join(dir, 'profiles/ven.pb.gz'),
      venTrim: path.join(dir, 'profiles/ven-trim.pb.gz'),
    },
  };
  if (existsSync(path.join(dir, 'done'))) return fx;
  // Fixtures of other keys (older sources or Go versions) and a half-built one go first.
  const parent = path.dirname(dir);
  for (const n of existsSync(parent) ? readdirSync(parent) : []) {
    makeWritable(path.join(parent, n));
    rmSync(path.join(parent, n), { recursive: true, force: true });
  }
  mkdirSync(path.join(dir, 'profiles'), { recursive: true });
  mkdirSync(fx.emptyModCache, { recursive: true });
  const proxy = path.join(dir, 'proxy');
  writeProxy(proxy);
  // No network: the file proxy only; no checksum database; the default GOCACHE keeps builds quick.
  const env = {
    ...process.env,
    GOPROXY: `file://${proxy}`,
    GOSUMDB: 'off',
    GONOSUMDB: '*',
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
    GOMODCACHE: fx.buildModCache,
  };
  const run = (cwd: string, args: string[], extra: Record<string, string> = {}): void => {
    execFileSync(args[0] === 'go' ? go : args[0], args.slice(1), { cwd, env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  for (const name of ['app', 'vapp']) {
    const d = path.join(fx.buildDir, name);
    mkdirSync(d, { recursive: true });
    cpSync(path.join(FIXTURES, 'app/main.go'), path.join(d, 'main.go'));
    writeFileSync(path.join(d, 'go.mod'), readFileSync(path.join(FIXTURES, 'app/go.mod.in'), 'utf8').replace('MODULE', name));
  }
  const app = path.join(fx.buildDir, 'app');
  const vapp = path.join(fx.buildDir, 'vapp');
  run(app, ['go', 'build', '-o', 'bin-mod', '.']);
  run(app, ['go', 'build', '-trimpath', '-o', 'bin-mod-trim', '.']);
  run(vapp, ['go', 'mod', 'tidy']);
  run(vapp, ['go', 'mod', 'vendor']);
  run(vapp, ['go', 'build', '-mod=vendor', '-o', 'bin-ven', '.'], { GOFLAGS: '' });
  run(vapp, ['go', 'build', '-mod=vendor', '-trimpath', '-o', 'bin-ven-trim', '.'], { GOFLAGS: '' });
  run(app, [path.join(app, 'bin-mod'), fx.profiles.mod]);
  run(app, [path.join(app, 'bin-mod-trim'), fx.profiles.modTrim]);
  run(vapp, [path.join(vapp, 'bin-ven'), fx.profiles.ven]);
  run(vapp, [path.join(vapp, 'bin-ven-trim'), fx.profiles.venTrim]);
  // A module cache holding only v1.1.0 of the dependency.
  run(app, ['go', 'mod', 'download', 'example.com/dep@v1.1.0'], { GOMODCACHE: fx.modCacheV110 });
  // "Another machine": the build tree and its module cache are no longer where the profiles say.
  for (const n of readdirSync(fx.buildDir))
    for (const b of readdirSync(path.join(fx.buildDir, n))) if (b.startsWith('bin-')) rmSync(path.join(fx.buildDir, n, b));
  makeWritable(fx.buildModCache);
  renameSync(fx.buildDir, fx.laptop);
  renameSync(fx.buildModCache, fx.modCache);
  for (const n of ['app', 'vapp']) mkdirSync(path.join(fx.laptop, n, 'docs'));
  // Stale: a doc comment added to the vendored dep.go after the build moves its lines.
  cpSync(path.join(fx.laptop, 'vapp'), path.join(fx.stale, 'vapp'), { recursive: true });
  const depGo = path.join(fx.stale, 'vapp/vendor/example.com/dep/dep.go');
  chmodSync(depGo, 0o644);
  writeFileSync(
    depGo,
    readFileSync(depGo, 'utf8').replace(
      '// Fill returns n fresh slices.\n',
      '// Fill returns n fresh slices.\n//\n// Edited after the build.\n',
    ),
  );
  writeFileSync(path.join(dir, 'done'), new Date().toISOString());
  return fx;
}

/** `go tool pprof -list` with -symbolize=none, pinned environment (as scripts/make-references.sh). */
export function pprofList(fx: GoFixtures, regex: string, args: string[], profile: string, cwd: string): string {
  return execFileSync(fx.go, ['tool', 'pprof', `-list=${regex}`, '-symbolize=none', ...args, profile], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: fx.dir, TZ: 'UTC', PPROF_TMPDIR: fx.dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
