// Uploaded source archives (.tar.gz, .tar, .zip), read entirely in memory -- nothing is
// ever extracted to disk. Every entry name must stay inside the archive root: absolute
// names, '..' components, links and special files make the whole archive invalid, and
// the number of files and inflated bytes are capped.
import { gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import type yauzl from 'yauzl';

// tar-stream and yauzl are imported when an archive is read: loading them took 55-75 ms,
// which every `pprof-lens list` paid through the source layer's imports.
const loadTar = async (): Promise<typeof import('tar-stream')> => (await import('tar-stream')).default;
const loadZip = async (): Promise<typeof yauzl> => (await import('yauzl')).default;

export interface ArchiveLimits {
  maxFiles: number;
  /** Sum of inflated file sizes. */
  maxTotalBytes: number;
  maxFileBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxFiles: 20_000,
  maxTotalBytes: 128 << 20,
  maxFileBytes: 16 << 20,
};

export interface SourceArchive {
  format: 'tar.gz' | 'tar' | 'zip';
  /** Normalised relative name -> contents. */
  files: Map<string, Uint8Array>;
  totalBytes: number;
}

/** A rejected archive; `message` names the problem (HTTP 400, or 413 for `tooLarge`). */
export class ArchiveError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/** Checks and normalises an entry name; throws for anything that could leave the root. */
export function checkEntryName(name: string): string {
  if (name.includes('\u0000')) throw new ArchiveError(`unsafe entry name (NUL byte): ${JSON.stringify(name)}`);
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) throw new ArchiveError(`unsafe entry name (absolute path): ${name}`);
  const parts = slashed.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.some((s) => s === '..')) throw new ArchiveError(`unsafe entry name (.. component): ${name}`);
  return parts.join('/');
}

export function detectArchiveFormat(bytes: Uint8Array): SourceArchive['format'] | null {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'tar.gz';
  if (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 3 || bytes[2] === 5) &&
    (bytes[3] === 4 || bytes[3] === 6)
  )
    return 'zip';
  if (bytes.length >= 262 && Buffer.from(bytes.subarray(257, 262)).toString('latin1') === 'ustar') return 'tar';
  return null;
}

class Collector {
  files = new Map<string, Uint8Array>();
  total = 0;
  count = 0;
  constructor(private limits: ArchiveLimits) {}

  /** Called before reading an entry with its declared size. */
  admit(name: string, declared: number): string {
    const clean = checkEntryName(name);
    if (++this.count > this.limits.maxFiles) throw new ArchiveError(`archive has more than ${this.limits.maxFiles} files`, true);
    this.checkSize(clean, declared);
    return clean;
  }

  checkSize(name: string, size: number): void {
    if (size > this.limits.maxFileBytes)
      throw new ArchiveError(`archive entry ${name} is larger than ${this.limits.maxFileBytes} bytes`, true);
    if (this.total + size > this.limits.maxTotalBytes)
      throw new ArchiveError(`archive inflates to more than ${this.limits.maxTotalBytes} bytes`, true);
  }

  add(name: string, data: Uint8Array): void {
    this.checkSize(name, data.length);
    this.total += data.length;
    if (name !== '') this.files.set(name, data);
  }
}

/** Reads an entry stream, aborting as soon as it exceeds `max` bytes. */
async function readCapped(stream: AsyncIterable<Buffer> | NodeJS.ReadableStream, name: string, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > max) throw new ArchiveError(`archive entry ${name} is larger than ${max} bytes`, true);
    chunks.push(c);
  }
  return Buffer.concat(chunks, n);
}

async function readTar(raw: Uint8Array, col: Collector, limits: ArchiveLimits): Promise<void> {
  const extract = (await loadTar()).extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      (async () => {
        const type = header.type ?? 'file';
        if (type === 'directory') {
          checkEntryName(header.name);
          stream.resume();
          return;
        }
        if (type === 'symlink' || type === 'link') {
          throw new ArchiveError(`archive contains a link (${header.name} -> ${header.linkname ?? '?'}); links are not accepted`);
        }
        if (type !== 'file' && type !== 'contiguous-file') {
          throw new ArchiveError(`archive entry ${header.name} is a ${type}; only regular files are accepted`);
        }
        const name = col.admit(header.name, header.size ?? 0);
        col.add(name, await readCapped(stream as unknown as AsyncIterable<Buffer>, name, limits.maxFileBytes));
      })().then(
        () => next(),
        (err: unknown) => {
          extract.destroy(err as Error);
          reject(err);
        },
      );
    });
    extract.on('finish', () => resolve());
    extract.on('error', (err: Error) =>
      reject(err instanceof ArchiveError ? err : new ArchiveError(`not a valid tar archive: ${err.message}`)),
    );
  });
  Readable.from([Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)]).pipe(extract);
  await done;
}

async function openZip(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  const zipLib = await loadZip();
  return new Promise((resolve, reject) => {
    zipLib.fromBuffer(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => (err || !zip ? reject(new ArchiveError(`not a valid zip archive: ${err?.message ?? 'unreadable'}`)) : resolve(zip)),
    );
  });
}

async function readZip(bytes: Uint8Array, col: Collector, limits: ArchiveLimits): Promise<void> {
  const zip = await openZip(bytes);
  await new Promise<void>((resolve, reject) => {
    const fail = (err: unknown): void => {
      zip.close();
      reject(err instanceof ArchiveError ? err : new ArchiveError(`unsafe or invalid zip entry: ${(err as Error).message}`));
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      (async () => {
        const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
        if (mode === 0o120000) throw new ArchiveError(`archive contains a link (${entry.fileName}); links are not accepted`);
        if (entry.fileName.endsWith('/')) {
          checkEntryName(entry.fileName);
          return;
        }
        if (mode !== 0 && mode !== 0o100000) throw new ArchiveError(`archive entry ${entry.fileName} is not a regular file`);
        const name = col.admit(entry.fileName, entry.uncompressedSize);
        const stream = await new Promise<NodeJS.ReadableStream>((res, rej) =>
          zip.openReadStream(entry, (err, s) => (err || !s ? rej(err ?? new Error('unreadable entry')) : res(s))),
        );
        col.add(name, await readCapped(stream, name, limits.maxFileBytes));
      })().then(() => zip.readEntry(), fail);
    });
    zip.readEntry();
  });
}

/** Parses and validates a source archive; throws ArchiveError naming the problem. */
export async function readSourceArchive(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<SourceArchive> {
  const format = detectArchiveFormat(bytes);
  if (!format) throw new ArchiveError('sources must be a .tar.gz, .tar or .zip archive');
  const col = new Collector(limits);
  if (format === 'zip') {
    await readZip(bytes, col, limits);
  } else {
    let raw = bytes;
    if (format === 'tar.gz') {
      // Headers and padding add at most ~1 KiB per entry on top of the file bytes.
      const cap = limits.maxTotalBytes + (limits.maxFiles + 2) * 1024;
      try {
        raw = gunzipSync(bytes, { maxOutputLength: cap });
      } catch (err) {
        if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new ArchiveError(`archive inflates to more than ${limits.maxTotalBytes} bytes`, true);
        }
        throw new ArchiveError(`not a valid gzip stream: ${(err as Error).message}`);
      }
      if (detectArchiveFormat(raw) !== 'tar' && raw.length > 0) throw new ArchiveError('gzip data is not a tar archive');
    }
    await readTar(raw, col, limits);
  }
  if (col.files.size === 0) throw new ArchiveError('archive contains no files');
  return { format, files: col.files, totalBytes: col.total };
}

/** Sorted entry names (for listings). */
export function archiveFileNames(a: SourceArchive): string[] {
  return [...a.files.keys()].sort();
}
