// Uploaded source archives: reading .tar.gz/.zip in memory, resolving profile file names
// against them, and rejecting archives that try to leave their root or exhaust limits.
// Every archive here is built by the test itself.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArchiveError, readSourceArchive, type ArchiveLimits } from '../../server/src/source/archive.js';
import { createArchiveSourceReader } from '../../server/src/source/archive-reader.js';
import { makeTar } from '../tar-archive.js';

type ZipEntry = { name: string; body?: string; mode?: number };

/** A minimal stored (uncompressed) zip writer, enough to craft hostile entries. */
function makeZip(entries: ZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = Buffer.from(e.body ?? '', 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

async function rejection(p: Promise<unknown>): Promise<ArchiveError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ArchiveError);
    return err as ArchiveError;
  }
  throw new Error('archive was accepted');
}

const SAMPLES = resolve('samples');
const cpuMain = readFileSync(join(SAMPLES, 'cpu', 'main.go'), 'utf8');
const boxingMain = readFileSync(join(SAMPLES, 'boxing', 'main.go'), 'utf8');
const goMod = readFileSync(join(SAMPLES, 'go.mod'), 'utf8');

describe('source archives', () => {
  it('reads a .tar.gz of the samples module and resolves -trimpath names through go.mod', async () => {
    const bytes = await makeTar([
      { name: 'samples/', type: 'directory' },
      { name: 'samples/go.mod', body: goMod },
      { name: 'samples/cpu/main.go', body: cpuMain },
      { name: './samples/boxing/main.go', body: boxingMain },
    ]);
    const a = await readSourceArchive(bytes);
    expect(a.format).toBe('tar.gz');
    expect([...a.files.keys()].sort()).toEqual(['samples/boxing/main.go', 'samples/cpu/main.go', 'samples/go.mod']);
    const r = createArchiveSourceReader(a);
    expect(r.read('example.com/samples/cpu/main.go').text).toBe(cpuMain);
    expect(r.read('example.com/samples/boxing/main.go').text).toBe(boxingMain);
    const miss = r.read('example.com/samples/nope/main.go');
    expect(miss.text).toBeNull();
    expect(miss.tried).toContain('archive:samples/nope/main.go');
  });

  it('matches by path suffix and by trim prefix, and refuses an ambiguous base-name match', async () => {
    const bytes = await makeTar([
      { name: 'src/cpu/main.go', body: cpuMain },
      { name: 'src/boxing/main.go', body: boxingMain },
    ]);
    const r = createArchiveSourceReader(await readSourceArchive(bytes), ['/ci/build']);
    expect(r.read('/home/dev/project/cpu/main.go').text).toBe(cpuMain);
    expect(r.read('/ci/build/src/boxing/main.go').text).toBe(boxingMain);
    // Two main.go files share only the base name with this one.
    expect(r.read('other/main.go').text).toBeNull();
  });

  it('reads a .zip and a plain .tar', async () => {
    const zip = makeZip([{ name: 'cpu/main.go', body: cpuMain }]);
    const z = await readSourceArchive(zip);
    expect(z.format).toBe('zip');
    expect(createArchiveSourceReader(z).read('example.com/samples/cpu/main.go').text).toBe(cpuMain);
    const t = await readSourceArchive(await makeTar([{ name: 'cpu/main.go', body: cpuMain }], false));
    expect(t.format).toBe('tar');
  });

  it('rejects tar entries that climb out of the root', async () => {
    const e1 = await rejection(readSourceArchive(await makeTar([{ name: '../evil.go', body: 'x' }])));
    expect(e1.message).toMatch(/\.\. component/);
    const e2 = await rejection(readSourceArchive(await makeTar([{ name: 'a/../../evil.go', body: 'x' }])));
    expect(e2.message).toMatch(/\.\. component/);
  });

  it('rejects absolute tar entry names', async () => {
    const e = await rejection(readSourceArchive(await makeTar([{ name: '/etc/cron.d/evil', body: 'x' }])));
    expect(e.message).toMatch(/absolute path/);
  });

  it('rejects symlinks and hard links in tar archives', async () => {
    const e1 = await rejection(readSourceArchive(await makeTar([{ name: 'passwd.go', type: 'symlink', linkname: '/etc/passwd' }])));
    expect(e1.message).toMatch(/link/);
    const e2 = await rejection(
      readSourceArchive(
        await makeTar([
          { name: 'a.go', body: 'x' },
          { name: 'b.go', type: 'link', linkname: '../../etc/passwd' },
        ]),
      ),
    );
    expect(e2.message).toMatch(/link/);
    const e3 = await rejection(readSourceArchive(await makeTar([{ name: 'pipe', type: 'fifo' }])));
    expect(e3.message).toMatch(/only regular files/);
  });

  it('rejects zip entries with .., absolute names or symlink modes', async () => {
    await rejection(readSourceArchive(makeZip([{ name: '../evil.go', body: 'x' }])));
    await rejection(readSourceArchive(makeZip([{ name: '/abs/evil.go', body: 'x' }])));
    const e = await rejection(readSourceArchive(makeZip([{ name: 'link.go', body: '/etc/passwd', mode: 0o120777 }])));
    expect(e.message).toMatch(/link/);
  });

  it('enforces file-count and size limits', async () => {
    const limits: ArchiveLimits = { maxFiles: 5, maxTotalBytes: 10_000, maxFileBytes: 4_000 };
    const many = await makeTar(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.go`, body: 'package x\n' })));
    const e1 = await rejection(readSourceArchive(many, limits));
    expect(e1.message).toMatch(/more than 5 files/);
    expect(e1.tooLarge).toBe(true);
    const big = await makeTar([{ name: 'big.go', body: Buffer.alloc(5_000, 0x61) }]);
    expect((await rejection(readSourceArchive(big, limits))).message).toMatch(/larger than 4000 bytes/);
    const total = await makeTar(Array.from({ length: 4 }, (_, i) => ({ name: `p${i}.go`, body: Buffer.alloc(3_000, 0x62) })));
    expect((await rejection(readSourceArchive(total, limits))).message).toMatch(/inflates to more than 10000 bytes/);
    // A gzip bomb: a tiny .tar.gz that inflates far past the total cap, stopped while inflating.
    const bomb = await makeTar([{ name: 'zeros.go', body: Buffer.alloc(5 << 20) }]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect((await rejection(readSourceArchive(bomb, limits))).tooLarge).toBe(true);
    const zipBig = makeZip([{ name: 'big.go', body: 'y'.repeat(5_000) }]);
    expect((await rejection(readSourceArchive(zipBig, limits))).message).toMatch(/larger than 4000 bytes/);
  });

  it('rejects data that is not an archive, and empty archives', async () => {
    expect((await rejection(readSourceArchive(new TextEncoder().encode('package main\n')))).message).toMatch(/\.tar\.gz, \.tar or \.zip/);
    expect((await rejection(readSourceArchive(await makeTar([{ name: 'd/', type: 'directory' }])))).message).toMatch(/no files/);
    expect((await rejection(readSourceArchive(new Uint8Array(gzipSync(Buffer.from('hello')))))).message).toMatch(/not a tar archive/);
  });
});

describe('archive memory budget', () => {
  it('keeps parsed archives within ARCHIVE_CACHE_BYTES however many small uploads inflate large', async () => {
    const { ARCHIVE_CACHE_BYTES, cachedArchiveBytes, loadArchive } = await import('../../server/src/source/index.js');
    // Six ~100 KB uploads that each inflate to 15 MiB of source: together over the budget.
    const archives = await Promise.all(
      Array.from({ length: 6 }, (_, i) => makeTar([{ name: `m${i}/big.go`, body: Buffer.alloc(15 << 20, 0x20 + i) }])),
    );
    for (const a of archives) expect(a.length).toBeLessThan(200_000);
    const loaded = await Promise.all(archives.map((a) => loadArchive(a)));
    loaded.forEach((a, i) => expect(a.files.get(`m${i}/big.go`)?.length).toBe(15 << 20));
    expect(cachedArchiveBytes()).toBeGreaterThan(0);
    expect(cachedArchiveBytes()).toBeLessThanOrEqual(ARCHIVE_CACHE_BYTES);
    // The most recent archive is served from the cache: the same object again.
    expect(await loadArchive(archives[5]!)).toBe(loaded[5]);
  });
});
