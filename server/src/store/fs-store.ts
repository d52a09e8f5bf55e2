// Default store: a directory on local disk, no external service.
//   <dir>/profiles/<id[0..2]>/<id>.pb      the uploaded bytes, exactly (under their content id)
//   <dir>/profiles/<id[0..2]>/<id>.json    metadata sidecar (written after the bytes); a later
//                                          upload of the same bytes has a sidecar alone, whose
//                                          `content` names the .pb it reads (types.ts)
//   <dir>/attachments/<id>/<key>            per-profile extra blobs
// Every file is written to a temp file in its final directory, fsynced, renamed into
// place and the directory fsynced, so a crash leaves either nothing or a whole file.
// Temp files (".tmp-*") and bytes without a sidecar left by a crash are deleted by
// init() unless a sidecar names them as its content. A profile only counts as stored once
// its sidecar exists, and its bytes are re-hashed on read.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidAttachmentKey, isValidId, profileId } from './id.js';
import { contentOf, parseInfo, sortNewestFirst, type ProfileStore, type StoredProfileInfo } from './types.js';

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
  /** Per content id, the last write or removal of its bytes: they run one after another. */
  private contentQueue = new Map<string, Promise<unknown>>();
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
    const bytesWithoutSidecar: string[] = [];
    const pbs = new Set<string>();
    const sidecars: { sdir: string; id: string }[] = [];
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
        if (pb) {
          pbs.add(pb[1]);
          if (!names.has(`${pb[1]}.json`)) bytesWithoutSidecar.push(pb[1]);
          continue;
        }
        const m = /^([a-z2-7]{32})\.json$/.exec(name);
        if (m) sidecars.push({ sdir, id: m[1] });
      }
    }
    for (const { sdir, id } of sidecars) {
      const info = parseInfo(await readFile(join(sdir, `${id}.json`), 'utf8'), id);
      if (info && pbs.has(contentOf(info))) this.index.set(info.id, info);
    }
    const shared = new Set([...this.index.values()].map(contentOf));
    for (const id of bytesWithoutSidecar) {
      // Bytes whose sidecar never landed (killed between the two renames), or whose last
      // upload was deleted mid-way: nothing refers to them.
      if (shared.has(id)) continue;
      await unlink(join(this.shardDir(id), `${id}.pb`)).catch(() => undefined);
      this.cleanedTempFiles++;
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
    const content = contentOf(info);
    if (!isValidId(content)) throw new Error(`invalid content id ${content}`);
    // Shared bytes are written again (the same bytes, atomically): they may have been
    // removed with the last upload that used them while this one was on its way. Queued
    // with removals of the same bytes, so a delete never removes them between this write
    // and the sidecar that makes them read.
    return this.onContent(content, async () => {
      await writeFileAtomic(this.shardDir(content), `${content}.pb`, bytes);
      await writeFileAtomic(this.shardDir(info.id), `${info.id}.json`, JSON.stringify(info));
      this.index.set(info.id, info);
      return info;
    });
  }

  private onContent<T>(content: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.contentQueue.get(content) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.contentQueue.set(content, tail);
    void tail.then(() => {
      if (this.contentQueue.get(content) === tail) this.contentQueue.delete(content);
    });
    return next;
  }

  async get(id: string): Promise<Uint8Array | null> {
    const info = await this.info(id);
    if (!info) return null;
    const content = contentOf(info);
    const bytes = await readOrNull(join(this.shardDir(content), `${content}.pb`));
    if (!bytes) return null;
    // Guards against a file changed or damaged behind our back.
    if (profileId(bytes) !== content) return null;
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

  async byContent(contentId: string): Promise<StoredProfileInfo[]> {
    return [...this.index.values()].filter((info) => contentOf(info) === contentId);
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
    const info = await this.info(id);
    const content = info ? contentOf(info) : id;
    // The sidecar goes first: without it the profile no longer counts as stored, even if
    // a crash leaves the bytes behind (init() removes a .pb nothing refers to).
    let found = this.index.delete(id);
    found = (await unlinkIfPresent(join(dir, `${id}.json`))) || found;
    // The bytes stay while another upload reads them.
    await this.onContent(content, async () => {
      if ((await this.byContent(content)).length > 0) return;
      await unlinkIfPresent(join(this.shardDir(content), `${content}.pb`));
      await fsyncDir(this.shardDir(content)).catch(() => undefined);
    });
    await rm(join(this.dir, 'attachments', id), { recursive: true, force: true });
    await fsyncDir(dir).catch(() => undefined);
    return found;
  }
}
