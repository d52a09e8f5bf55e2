// The AppContext every router receives, backed by a ProfileStore and an Analyzer.
import type { Profile } from '../model/profile.js';
import type { ProfileMeta } from '../model/views.js';
import { isValidAttachmentKey, isValidId, profileId } from '../store/id.js';
import type { ProfileStore } from '../store/types.js';
import type { Analyzer } from './analysis/pool.js';
import { AnalysisCore } from './analysis/core.js';
import { NotFoundError, type AppContext, type FeatureTask, type ServerConfig, type StoredProfileInfo } from './context.js';
import { HttpError } from './errors.js';

export interface Runtime {
  ctx: AppContext;
  store: ProfileStore;
  analyzer: Analyzer;
  /** Stores bytes whose id the caller already computed (uploads hash while streaming). */
  storeWithId(id: string, bytes: Uint8Array, name: string): Promise<{ info: StoredProfileInfo; created: boolean }>;
  /** Decoded-profile metadata, computed where the profile is cached. */
  meta(info: StoredProfileInfo): Promise<ProfileMeta>;
}

/** Display names are user input: no control characters, at most 200 characters. */
export function cleanName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 200);
}

export function createRuntime(store: ProfileStore, analyzer: Analyzer, config: ServerConfig, mainCacheBytes: number): Runtime {
  // Feature routes that need the decoded Profile itself get it on this thread, cached too;
  // their heavy work goes through ctx.analyze (the analyzer) instead.
  const local = new AnalysisCore(store, config, mainCacheBytes);
  const storing = new Map<string, Promise<{ info: StoredProfileInfo; created: boolean }>>();

  async function doStore(id: string, bytes: Uint8Array, name: string): Promise<{ info: StoredProfileInfo; created: boolean }> {
    const existing = await store.info(id);
    if (existing) return { info: existing, created: false };
    const size = bytes.byteLength;
    // Validate by decoding (in a worker, which then keeps the decoded profile cached).
    const res = await analyzer.run({ op: 'ingest', id, bytes }, size);
    if (!('meta' in res)) throw new Error('analysis worker returned no metadata');
    const back = res.bytes ?? bytes;
    const info: StoredProfileInfo = { id, name: cleanName(name) || `${id}.pb.gz`, type: res.meta.kind, size, storedAt: new Date().toISOString() };
    const stored = await store.put(back, info);
    return { info: stored, created: stored.storedAt === info.storedAt && stored.name === info.name };
  }

  function storeWithId(id: string, bytes: Uint8Array, name: string) {
    let p = storing.get(id);
    if (!p) {
      p = doStore(id, bytes, name).finally(() => storing.delete(id));
      storing.set(id, p);
    }
    return p;
  }

  const ctx: AppContext = {
    config,
    async loadProfile(id: string): Promise<Profile> {
      if (!isValidId(id)) throw new NotFoundError(`no profile with id ${id}`);
      return local.load(id);
    },
    async storeProfile(bytes: Uint8Array, name: string): Promise<StoredProfileInfo> {
      if (bytes.byteLength > config.maxUploadBytes) {
        throw new HttpError(413, `profile larger than the limit of ${config.maxUploadBytes} bytes`);
      }
      // A private copy: the bytes are moved to a worker and the caller may reuse its buffer.
      return (await storeWithId(profileId(bytes), bytes.slice(), name)).info;
    },
    async analyze(task: FeatureTask): Promise<string> {
      // Route by the stored size of the larger profile: a large pair stays on the worker
      // that holds it (and its memoised merge) instead of being decoded again elsewhere.
      const ids = task.op === 'diffTop' || task.op === 'diffFlame' ? [task.id, task.baseId] : task.op === 'mergeShares' ? task.inputs : [task.id];
      let size = 0;
      for (const id of ids) {
        const info = isValidId(id) ? await store.info(id) : null;
        if (!info) throw new NotFoundError(`no profile with id ${id}`);
        size = Math.max(size, info.size);
      }
      const out = await analyzer.run(task, size);
      if (!('json' in out)) throw new Error('analysis worker returned no view');
      return out.json;
    },
    async mergeProfiles(ids: string[]): Promise<Uint8Array> {
      let size = 0;
      for (const id of ids) {
        const info = isValidId(id) ? await store.info(id) : null;
        if (!info) throw new NotFoundError(`no profile with id ${id}`);
        size = Math.max(size, info.size);
      }
      const out = await analyzer.run({ op: 'merge', id: ids[0]!, ids }, size);
      if (!('bytes' in out) || !out.bytes) throw new Error('analysis worker returned no merged profile');
      return out.bytes;
    },
    profileInfo(id: string) {
      return store.info(id);
    },
    async putAttachment(id: string, key: string, bytes: Uint8Array): Promise<void> {
      if (!(await store.info(id))) throw new NotFoundError(`no profile with id ${id}`);
      if (!isValidAttachmentKey(key)) throw new HttpError(400, `invalid attachment key ${JSON.stringify(key)}`);
      await store.putAttachment(id, key, bytes);
    },
    async getAttachment(id: string, key: string): Promise<Uint8Array | null> {
      if (!isValidId(id) || !isValidAttachmentKey(key)) return null;
      return store.getAttachment(id, key);
    },
  };

  return {
    ctx,
    store,
    analyzer,
    storeWithId,
    async meta(info) {
      const res = await analyzer.run({ op: 'meta', id: info.id }, info.size);
      if (!('meta' in res)) throw new Error('analysis worker returned no metadata');
      return res.meta;
    },
  };
}
