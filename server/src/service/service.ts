// The one service every router receives: the server's configuration, the profile store
// and the analyzer (the pool of analysis workers that decode and compute views). Routes
// parse HTTP, call the service and send what it returns; they never decode profiles.
import type { ProfileMeta } from '../../../contract/views.js';
import type { ProfileProgress } from '../../../contract/progress.js';
import { isValidAttachmentKey, isValidId, newUploadId, profileId } from '../store/id.js';
import type { ProfileStore, StoredProfileInfo } from '../store/types.js';
import type { Analyzer } from '../workers/analyzer.js';
import type { AnalysisTask } from '../workers/protocol.js';
import type { ServerConfig } from './config.js';
import { HttpError, NotFoundError } from './errors.js';
import { isExpired } from './ownership.js';

/** Display names are user input: no control characters, at most 200 characters. */
export function cleanName(name: string): string {
  return (
    name
      // eslint-disable-next-line no-control-regex -- control characters are what it removes
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .trim()
      .slice(0, 200)
  );
}

/** Metadata a caller may set on a new profile besides its name. */
export type OwnerFields = Pick<StoredProfileInfo, 'owner' | 'tokenHash' | 'expiresAt' | 'sanitisedFrom'>;

/** Stored size from which an upload's flame graph input is prepared ahead of the page. */
const WARM_MIN_BYTES = 4 * 1024 * 1024;
/** Metadata entries kept on the HTTP thread. */
const MAX_METAS = 10_000;

/** Work whose result is a view's JSON text (everything but storing and metadata). */
export type ViewTask = Exclude<AnalysisTask, { op: 'ingest' | 'meta' | 'evict' | 'export' | 'sanitise' | 'warm' | 'merge' }>;

export class ProfileService {
  private storing = new Map<string, Promise<{ info: StoredProfileInfo; created: boolean }>>();
  // Metadata by id, kept on this thread: the page header asks for it first, and it must
  // not wait in a worker's queue behind a large profile's flame graph. Small objects.
  private metas = new Map<string, ProfileMeta>();

  private keepMeta(id: string, m: ProfileMeta): void {
    if (this.metas.size >= MAX_METAS) this.metas.delete(this.metas.keys().next().value as string);
    this.metas.set(id, m);
  }

  constructor(
    readonly config: ServerConfig,
    readonly store: ProfileStore,
    readonly analyzer: Analyzer,
  ) {}

  /** Metadata of a stored profile; NotFoundError (404) for an unknown or malformed id, 410 once expired. */
  async info(id: string): Promise<StoredProfileInfo> {
    const info = isValidId(id) ? await this.store.info(id) : null;
    if (!info) throw new NotFoundError(`no profile with id ${id}`);
    // Expired but not yet swept: gone already.
    if (isExpired(info, this.config.retentionMs ?? 0)) throw new HttpError(410, `profile ${id} has expired`);
    return info;
  }

  /** Deletes bytes, metadata and attachments from the store and the profile from every cache. */
  async deleteProfile(id: string): Promise<boolean> {
    if (!isValidId(id)) return false;
    const found = await this.store.delete(id);
    // After the store: a request racing the delete finds no bytes to decode again.
    await this.analyzer.evict(id);
    this.metas.delete(id);
    return found;
  }

  /** Stores raw bytes (validated by decoding first); returns the content-derived id. */
  async storeProfile(bytes: Uint8Array, name: string, fields?: OwnerFields): Promise<StoredProfileInfo> {
    if (bytes.byteLength > this.config.maxUploadBytes) {
      throw new HttpError(413, `profile larger than the limit of ${this.config.maxUploadBytes} bytes`);
    }
    // A private copy: the bytes are moved to a worker and the caller may reuse its buffer.
    return (await this.storeWithId(profileId(bytes), bytes.slice(), name, fields)).info;
  }

  /**
   * Stores bytes whose id the caller already computed (uploads hash while streaming). The
   * bytes' buffer is moved to a worker: the caller must own it and not reuse it.
   *
   * Bytes stored before come back as the upload `reuse` accepts (default: any upload of
   * them); when it accepts none, this upload gets a record of its own (its name, time and
   * owner) sharing the stored bytes (store/types.ts). Stores of the same bytes run one at a time.
   */
  storeWithId(
    id: string,
    bytes: Uint8Array,
    name: string,
    fields: OwnerFields = {},
    reuse: (info: StoredProfileInfo) => boolean = () => true,
  ): Promise<{ info: StoredProfileInfo; created: boolean }> {
    const before = this.storing.get(id);
    const p: Promise<{ info: StoredProfileInfo; created: boolean }> = (before ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.doStore(id, bytes, name, fields, reuse))
      .finally(() => {
        if (this.storing.get(id) === p) this.storing.delete(id);
      });
    this.storing.set(id, p);
    return p;
  }

  private async doStore(
    id: string,
    bytes: Uint8Array,
    name: string,
    fields: OwnerFields,
    reuse: (info: StoredProfileInfo) => boolean,
  ): Promise<{ info: StoredProfileInfo; created: boolean }> {
    const uploads = await this.store.byContent(id);
    // An expired upload (not swept yet) is never handed back: its link answers 410.
    const same = uploads.find((u) => !isExpired(u, this.config.retentionMs ?? 0) && reuse(u));
    if (same) return { info: same, created: false };
    if (uploads.length > 0) return { info: await this.storeShared(id, bytes, uploads[0]!, name, fields), created: true };
    const size = bytes.byteLength;
    // Validate by decoding (in a worker, which then keeps the decoded profile cached).
    const res = await this.analyzer.run({ op: 'ingest', id, bytes }, size);
    if (!('meta' in res)) throw new Error('analysis worker returned no metadata');
    const back = res.bytes ?? bytes;
    this.keepMeta(id, res.meta);
    const now = Date.now();
    const info: StoredProfileInfo = {
      id,
      name: cleanName(name) || `${id}.pb.gz`,
      type: res.meta.kind,
      size,
      storedAt: new Date(now).toISOString(),
    };
    this.applyFields(info, fields, now);
    const stored = await this.store.put(back, info);
    // A large profile's first page load asks for the header's total and its flame graph
    // next: prepare both (the filtered samples they share, the total's node values, the
    // flame graph's frame keys at the web's default granularity) while the browser
    // navigates. Two tasks, so a request arriving meanwhile waits for one stage at most.
    if (size >= WARM_MIN_BYTES) {
      this.analyzer.run({ op: 'warm', id, query: {}, view: 'top' }, size).catch(() => undefined);
      this.analyzer.run({ op: 'warm', id, query: { granularity: 'filefunctions' } }, size).catch(() => undefined);
    }
    return { info: stored, created: stored.storedAt === info.storedAt && stored.name === info.name };
  }

  /** A later upload of bytes stored as `first`: its own record, reading the shared bytes. */
  private async storeShared(
    content: string,
    bytes: Uint8Array,
    first: StoredProfileInfo,
    name: string,
    fields: OwnerFields,
  ): Promise<StoredProfileInfo> {
    const now = Date.now();
    const own = newUploadId();
    const info: StoredProfileInfo = {
      id: own,
      // Never the first upload's name or id: a link to this one must not reveal that one.
      name: cleanName(name) || `${own}.pb.gz`,
      type: first.type,
      size: bytes.byteLength,
      storedAt: new Date(now).toISOString(),
      content,
    };
    this.applyFields(info, fields, now);
    return this.store.put(bytes, info);
  }

  private applyFields(info: StoredProfileInfo, fields: OwnerFields, now: number): void {
    if (fields.owner !== undefined) info.owner = fields.owner;
    if (fields.tokenHash !== undefined) info.tokenHash = fields.tokenHash;
    if (fields.sanitisedFrom !== undefined) info.sanitisedFrom = fields.sanitisedFrom;
    // Every new profile gets an explicit expiry under --retention unless the caller chose one.
    const retention = this.config.retentionMs ?? 0;
    info.expiresAt = fields.expiresAt !== undefined ? fields.expiresAt : retention ? new Date(now + retention).toISOString() : null;
  }

  /** Decoded-profile metadata, computed where the profile is cached. */
  async meta(info: StoredProfileInfo): Promise<ProfileMeta> {
    const hit = this.metas.get(info.id);
    if (hit) return hit;
    const res = await this.analyzer.run({ op: 'meta', id: info.id }, info.size);
    if (!('meta' in res)) throw new Error('analysis worker returned no metadata');
    this.keepMeta(info.id, res.meta);
    return res.meta;
  }

  /**
   * Runs a view's analysis where decoded profiles are cached (an analysis worker, or this
   * thread with `--workers 0`) and resolves to the view's JSON text. Unknown ids reject
   * with a NotFoundError (404).
   */
  /** `signal`: aborts when the asking client has gone away (the task is then dropped). */
  async view(task: ViewTask, signal?: AbortSignal): Promise<string> {
    // Route by the stored size of the larger profile: a large pair stays on the worker
    // that holds it (and its memoised merge) instead of being decoded again elsewhere.
    const ids =
      task.op === 'diffTop' || task.op === 'diffFlame'
        ? [task.id, task.baseId]
        : (task.op === 'goroutines' || task.op === 'insights') && task.baseId
          ? [task.id, task.baseId]
          : task.op === 'mergeShares'
            ? task.inputs
            : [task.id];
    let size = 0;
    for (const id of ids) size = Math.max(size, (await this.info(id)).size);
    const out = await this.analyzer.run(task, size, signal);
    if (!('json' in out)) throw new Error('analysis worker returned no view');
    return out.json;
  }

  /**
   * The stored profiles `ids` merged as `go tool pprof A B C` merges them, as gzipped pprof
   * bytes (to store with storeProfile). IncompatibleProfilesError when they do not fit.
   */
  async merge(ids: string[]): Promise<Uint8Array> {
    let size = 0;
    for (const id of ids) size = Math.max(size, (await this.info(id)).size);
    const out = await this.analyzer.run({ op: 'merge', id: ids[0]!, ids }, size);
    if (!('bytes' in out) || !out.bytes) throw new Error('analysis worker returned no merged profile');
    return out.bytes;
  }

  /** What the analysis workers are doing for a profile now (answered on this thread, never queued). */
  progress(info: StoredProfileInfo): ProfileProgress {
    return this.analyzer.progress(info.id);
  }

  /** Stored bytes of a profile; NotFoundError when unknown or damaged. */
  async raw(info: StoredProfileInfo): Promise<Uint8Array> {
    const bytes = await this.store.get(info.id);
    if (!bytes) throw new NotFoundError(`no profile with id ${info.id}`);
    return bytes;
  }

  /** Extra per-profile blobs (uploaded sources archive, -m=2 output, ...) by key. */
  async putAttachment(id: string, key: string, bytes: Uint8Array): Promise<void> {
    if (!(isValidId(id) && (await this.store.info(id)))) throw new NotFoundError(`no profile with id ${id}`);
    if (!isValidAttachmentKey(key)) throw new HttpError(400, `invalid attachment key ${JSON.stringify(key)}`);
    await this.store.putAttachment(id, key, bytes);
  }

  async getAttachment(id: string, key: string): Promise<Uint8Array | null> {
    if (!isValidId(id) || !isValidAttachmentKey(key)) return null;
    return this.store.getAttachment(id, key);
  }

  close(): Promise<void> {
    return this.analyzer.close();
  }
}
