// The storage contract both backends (local directory, S3-compatible object store) meet.
// An id names one upload: one byte string forever, and its metadata (name, time, owner,
// expiry), which may change; the owner may delete it (metadata and attachments, and the
// bytes once no other upload shares them). The first upload of some bytes is stored under
// their content id; later uploads of the same bytes under another name or owner get an id
// of their own whose `content` names the first's bytes, so each keeps its own name and time.
import { ID_PATTERN } from './id.js';

export interface StoredProfileInfo {
  id: string;
  name: string;
  /** Profile kind from its sample types, e.g. "cpu", "heap". */
  type: string;
  size: number;
  /** ISO 8601. */
  storedAt: string;
  /** User name from `--auth-header` of the uploader; absent for anonymous uploads and preloads. */
  owner?: string;
  /** SHA-256 (hex) of the manage token handed to the uploader once; never sent to clients. */
  tokenHash?: string;
  /** ISO 8601 time after which the retention sweeper deletes it; null or absent = never. */
  expiresAt?: string | null;
  /** Id of the profile this one is a sanitised copy of. */
  sanitisedFrom?: string;
  /** Content id of the bytes when they are stored under another upload's id; absent = under this id. */
  content?: string;
}

/** The content id whose bytes an upload reads. */
export function contentOf(info: StoredProfileInfo): string {
  return info.content ?? info.id;
}

export interface ProfileStore {
  readonly backend: 'fs' | 's3';
  /** Prepares the store (creates dirs/bucket, cleans leftovers of interrupted writes). */
  init(): Promise<void>;
  /**
   * Stores an upload under `info.id` unless already there; returns what is stored (first
   * writer's metadata wins). With `info.content` set, the bytes are (or are written again)
   * under that content id and shared.
   */
  put(bytes: Uint8Array, info: StoredProfileInfo): Promise<StoredProfileInfo>;
  /** Uploads whose bytes are the content `contentId` (the one stored under that id included). */
  byContent(contentId: string): Promise<StoredProfileInfo[]>;
  /** Bytes of a stored profile, or null when unknown. */
  get(id: string): Promise<Uint8Array | null>;
  info(id: string): Promise<StoredProfileInfo | null>;
  /** Every stored profile, newest first. */
  list(): Promise<StoredProfileInfo[]>;
  putAttachment(id: string, key: string, bytes: Uint8Array): Promise<void>;
  getAttachment(id: string, key: string): Promise<Uint8Array | null>;
  /** Replaces the metadata of a stored profile (rename, expiry); false when it is not stored. */
  update(info: StoredProfileInfo): Promise<boolean>;
  /** Removes metadata and attachments, and the bytes unless another upload shares them; false when nothing was stored under `id`. */
  delete(id: string): Promise<boolean>;
}

/** Plain, cloneable description of a store, so worker threads can open the same one. */
export type StoreConfig =
  | { backend: 'fs'; dir: string }
  | {
      backend: 's3';
      endpoint?: string;
      region: string;
      bucket: string;
      prefix: string;
      accessKeyId?: string;
      secretAccessKey?: string;
    };

export function sortNewestFirst(list: StoredProfileInfo[]): StoredProfileInfo[] {
  return list.sort((a, b) => (a.storedAt < b.storedAt ? 1 : a.storedAt > b.storedAt ? -1 : a.id < b.id ? -1 : 1));
}

export function parseInfo(text: string, id: string): StoredProfileInfo | null {
  try {
    const v = JSON.parse(text) as Partial<StoredProfileInfo>;
    if (
      v.id !== id ||
      typeof v.name !== 'string' ||
      typeof v.type !== 'string' ||
      typeof v.size !== 'number' ||
      typeof v.storedAt !== 'string'
    ) {
      return null;
    }
    const info: StoredProfileInfo = { id: v.id, name: v.name, type: v.type, size: v.size, storedAt: v.storedAt };
    if (typeof v.owner === 'string') info.owner = v.owner;
    if (typeof v.tokenHash === 'string') info.tokenHash = v.tokenHash;
    if (typeof v.expiresAt === 'string' || v.expiresAt === null) info.expiresAt = v.expiresAt;
    if (typeof v.sanitisedFrom === 'string') info.sanitisedFrom = v.sanitisedFrom;
    if (typeof v.content === 'string' && ID_PATTERN.test(v.content) && v.content !== id) info.content = v.content;
    return info;
  } catch {
    return null;
  }
}
