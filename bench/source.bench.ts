// Source layer figures: escape-output parsing, in-memory archive reading, and the
// filesystem lookup (first lookup builds the root index, later ones reuse it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { readSourceArchive } from '../server/src/source/archive.js';
import { createArchiveSourceReader } from '../server/src/source/archive-reader.js';
import { parseEscapeOutput } from '../server/src/source/escape.js';
import { createFsSourceReader } from '../server/src/source/fs-reader.js';
import { findGoroot } from '../server/src/source/go-env.js';

function time<T>(label: string, runs: number, f: () => T): T {
  let out!: T;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) out = f();
  console.log(`${label}: ${((performance.now() - t0) / runs).toFixed(2)} ms/run (${runs} runs)`);
  return out;
}

const samples = resolve('samples');
const escapeAll = readdirSync(samples)
  .map((d) => join(samples, d, 'escape.txt'))
  .filter((f) => {
    try {
      return statSync(f).isFile();
    } catch {
      return false;
    }
  })
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const big = Array.from({ length: 20 }, () => escapeAll).join('\n');
const lines = big.split('\n').length;
const rep = time(`parseEscapeOutput, ${lines} lines (${(big.length / 1e6).toFixed(1)} MB)`, 5, () => parseEscapeOutput(big));
console.log(`  decisions kept: ${rep.count}`);

const goroot = findGoroot();
if (!goroot) {
  console.log('Go not installed: skipping GOROOT-based figures');
} else {
  // A tar.gz of GOROOT/src/runtime (+ subdirs), built in memory.
  const dir = join(goroot, 'src', 'runtime');
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  walk(dir);
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const ended = new Promise<void>((r) => pack.on('end', () => r()));
  let raw = 0;
  for (const f of files) {
    const b = readFileSync(f);
    raw += b.length;
    pack.entry({ name: 'go/src/' + relative(join(goroot, 'src'), f) }, b);
  }
  pack.finalize();
  await ended;
  const gz = gzipSync(Buffer.concat(chunks));
  console.log(`archive: ${files.length} files, ${(raw / 1e6).toFixed(1)} MB raw, ${(gz.length / 1e6).toFixed(1)} MB tar.gz`);
  const t0 = performance.now();
  const a = await readSourceArchive(gz);
  console.log(`readSourceArchive: ${(performance.now() - t0).toFixed(1)} ms`);
  const r = createArchiveSourceReader(a);
  time('archive lookup by suffix (runtime/proc.go), fresh reader', 20, () =>
    createArchiveSourceReader(a).read('/usr/local/go/src/runtime/proc.go'),
  );
  if (r.read('runtime/malloc.go').text === null) throw new Error('archive lookup failed');

  const t1 = performance.now();
  const fs = createFsSourceReader({ roots: [join(goroot, 'src')] });
  const hit = fs.read('/build/elsewhere/go1.23/runtime/mgc.go');
  console.log(
    `fs lookup via suffix, first call (indexes ${join(goroot, 'src')}): ${(performance.now() - t1).toFixed(1)} ms, found=${hit.text !== null}`,
  );
  time('fs lookup via suffix, index cached, fresh reader', 20, () =>
    createFsSourceReader({ roots: [join(goroot, 'src')] }).read('/x/runtime/mheap.go'),
  );
  time('fs lookup of a -trimpath stdlib name via GOROOT', 50, () => createFsSourceReader({ roots: [], goroot }).read('fmt/print.go'));
}

// Source with no set-up (issue 20): each Go step with a fresh reader, and `list` with no
// flags against `go tool pprof -list` with the flags it needs, on the test fixtures
// (tests/unit/go-source-fixtures.ts builds them once under tests/.tmp).
{
  const { buildGoFixtures, pprofList } = await import('../tests/unit/go-source-fixtures.js');
  const { goLayout } = await import('../server/src/source/go-layout.js');
  const { createGoSourceReader } = await import('../server/src/source/go-resolver.js');
  const { gorootForProfile } = await import('../server/src/source/index.js');
  const { listText } = await import('../server/src/cli/list.js');
  const { readProfileFile } = await import('../server/src/cli/load.js');
  const t0 = performance.now();
  const fx = buildGoFixtures();
  console.log(`go fixtures ready: ${(performance.now() - t0).toFixed(0)} ms`);
  const app = join(fx.laptop, 'app');
  const vapp = join(fx.laptop, 'vapp');
  const goroot = gorootForProfile(readProfileFile(fx.profiles.modTrim));
  time('goLayout (go.mod found upwards, vendor/modules.txt)', 50, () => goLayout(join(vapp, 'docs')));
  const reader = (cwd: string) => createGoSourceReader({ layout: goLayout(cwd), modCache: fx.modCache, goroot });
  time('module step, fresh reader incl. layout', 50, () => reader(app).read('example.com/app/main.go'));
  time('vendor step, fresh reader incl. layout', 50, () => reader(vapp).read('example.com/dep@v1.0.0/dep.go'));
  time('module cache step (full path of another machine), fresh reader', 50, () =>
    reader(app).read(join(fx.buildModCache, 'example.com/dep@v1.0.0/dep.go')),
  );
  time('GOROOT step (runtime/proc.go), fresh reader', 50, () => reader(app).read('runtime/proc.go'));
  const regex = 'dep\\.Fill|main\\.work|runtime\\.main';
  const saved = process.cwd();
  process.env.GOMODCACHE = fx.modCache;
  process.chdir(join(app, 'docs'));
  time('pprof-lens list, no flags, in process (decode + resolve + format)', 10, () =>
    listText([regex, fx.profiles.mod], { out: () => undefined, err: () => undefined }),
  );
  const args = [`-trim_path=${join(fx.buildDir, 'app')}:${fx.buildModCache}`, `-source_path=${app}:${fx.modCache}`];
  time('go tool pprof -list with -trim_path/-source_path (process)', 3, () => pprofList(fx, regex, args, fx.profiles.mod, process.cwd()));
  process.chdir(saved);
}
