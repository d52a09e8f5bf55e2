// Default store: a directory on local disk, no external service.
//   <dir>/profiles/<id[0..2]>/<id>.pb      the uploaded bytes, exactly
//   <dir>/profiles/<id[0..2]>/<id>.json    metadata sidecar (written after the bytes)
//   <dir>/attachments/<id>/<key>            per-profile extra blobs
// Every file is written to a temp file in its final directory, fsynced, renamed into
// place and the directory fsynced, so a crash leaves either nothing or a whole file.
// Temp files (".tmp-*") and bytes without a sidecar left by a crash are deleted by
// init(). A profile only counts as stored once its sidecar exists, and its bytes are
// re-hashed on read.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidAttachmentKey, isValidId, profileId } from './id.js';
import { parseInfo, sortNewestFirst, type ProfileStore, type StoredProfileInfo } from './types.js';

const TMP_PREFIX = '.tmp-';

async function fsyncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

export async function writeFileAtomic(dir: string, name: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, TMP_PREFIX + randomBytes(8).toString('hex'));
  const fh = await open(tmp, 'wx', 0o644);
  try {
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, name));
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function unlinkIfPresent(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export class FsProfileStore implements ProfileStore {
  readonly backend = 'fs' as const;
  private index = new Map<string, StoredProfileInfo>();
  private inflight = new Map<string, Promise<StoredProfileInfo>>();
  /** Number of leftover temp files removed by the last init() (for tests and logs). */
  cleanedTempFiles = 0;

  constructor(readonly dir: string) {}

  private shardDir(id: string): string {
    return join(this.dir, 'profiles', id.slice(0, 2));
  }

  async init(): Promise<void> {
    await mkdir(join(this.dir, 'profiles'), { recursive: true });
    await mkdir(join(this.dir, 'attachments'), { recursive: true });
    this.cleanedTempFiles = 0;
    this.index.clear();
    for (const shard of await readdir(join(this.dir, 'profiles'))) {
      if (!/^[a-z2-7]{2}$/.test(shard)) continue;
      const sdir = join(this.dir, 'profiles', shard);
      const names = new Set(await readdir(sdir));
      for (const name of names) {
        if (name.startsWith(TMP_PREFIX)) {
          await unlink(join(sdir, name)).catch(() => undefined);
          this.cleanedTempFiles++;
          continue;
        }
        const pb = /^([a-z2-7]{32})\.pb$/.exec(name);
        if (pb && !names.has(`${pb[1]}.json`)) {
          // Bytes whose sidecar never landed (killed between the two renames): the upload
          // was never acknowledged, so nothing refers to them.
          await unlink(join(sdir, name)).catch(() => undefined);
          this.cleanedTempFiles++;
          continue;
        }
        const m = /^([a-z2-7]{32})\.json$/.exec(name);
        if (!m || !names.has(`${m[1]}.pb`)) continue;
        const info = parseInfo(await readFile(join(sdir, name), 'utf8'), m[1]);
        if (info) this.index.set(info.id, info);
      }
    }
    for (const id of await readdir(join(this.dir, 'attachments'))) {
      if (!isValidId(id)) continue;
      for (const name of await readdir(join(this.dir, 'attachments', id))) {
        if (name.startsWith(TMP_PREFIX)) {
          await unlink(join(this.dir, 'attachments', id, name)).catch(() => undefined);
          this.cleanedTempFiles++;
        }
      }
    }
  }

  put(bytes: Uint8Array, info: StoredProfileInfo): Promise<StoredProfileInfo> {
    const existing = this.index.get(info.id);
    if (existing) return Promise.resolve(existing);
    // Concurrent uploads of the same bytes share one write.
    let p = this.inflight.get(info.id);
    if (!p) {
      p = this.write(bytes, info).finally(() => this.inflight.delete(info.id));
      this.inflight.set(info.id, p);
    }
    return p;
  }

  private async write(bytes: Uint8Array, info: StoredProfileInfo): Promise<StoredProfileInfo> {
    if (!isValidId(info.id)) throw new Error(`invalid profile id ${info.id}`);
    const dir = this.shardDir(info.id);
    await writeFileAtomic(dir, `${info.id}.pb`, bytes);
    await writeFileAtomic(dir, `${info.id}.json`, JSON.stringify(info));
    this.index.set(info.id, info);
    return info;
  }

  async get(id: string): Promise<Uint8Array | null> {
    if (!(await this.info(id))) return null;
    const bytes = await readOrNull(join(this.shardDir(id), `${id}.pb`));
    if (!bytes) return null;
    // Guards against a file changed or damaged behind our back.
    if (profileId(bytes) !== id) return null;
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async info(id: string): Promise<StoredProfileInfo | null> {
    if (!isValidId(id)) return null;
    const known = this.index.get(id);
    if (known) return known;
    // Written by another process sharing the directory (e.g. a worker's store, another instance).
    const raw = await readOrNull(join(this.shardDir(id), `${id}.json`));
    const info = raw ? parseInfo(raw.toString('utf8'), id) : null;
    if (info) this.index.set(id, info);
    return info;
  }

  async list(): Promise<StoredProfileInfo[]> {
    return sortNewestFirst([...this.index.values()]);
  }

  async putAttachment(id: string, key: string, bytes: Uint8Array): Promise<void> {
    if (!isValidId(id) || !isValidAttachmentKey(key)) throw new Error(`invalid attachment ${id}/${key}`);
    await writeFileAtomic(join(this.dir, 'attachments', id), key, bytes);
  }

  async getAttachment(id: string, key: string): Promise<Uint8Array | null> {
    if (!isValidId(id) || !isValidAttachmentKey(key)) return null;
    const b = await readOrNull(join(this.dir, 'attachments', id, key));
    return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : null;
  }

  async update(info: StoredProfileInfo): Promise<boolean> {
    if (!(await this.info(info.id))) return false;
    await writeFileAtomic(this.shardDir(info.id), `${info.id}.json`, JSON.stringify(info));
    this.index.set(info.id, info);
    return true;
  }

  async delete(id: string): Promise<boolean> {
    if (!isValidId(id)) return false;
    const dir = this.shardDir(id);
    // The sidecar goes first: without it the profile no longer counts as stored, even if
    // a crash leaves the bytes behind (init() ignores a .pb without its .json).
    let found = this.index.delete(id);
    found = (await unlinkIfPresent(join(dir, `${id}.json`))) || found;
    await unlinkIfPresent(join(dir, `${id}.pb`));
    await rm(join(this.dir, 'attachments', id), { recursive: true, force: true });
    await fsyncDir(dir).catch(() => undefined);
    return found;
  }
}
