// The storage contract both backends (local directory, S3-compatible object store) meet.
// Stored profiles are immutable: an id names one byte string forever.

export interface StoredProfileInfo {
  id: string;
  name: string;
  /** Profile kind from its sample types, e.g. "cpu", "heap". */
  type: string;
  size: number;
  /** ISO 8601. */
  storedAt: string;
}

export interface ProfileStore {
  readonly backend: 'fs' | 's3';
  /** Prepares the store (creates dirs/bucket, cleans leftovers of interrupted writes). */
  init(): Promise<void>;
  /** Stores bytes under `info.id` unless already there; returns what is stored (first writer's metadata wins). */
  put(bytes: Uint8Array, info: StoredProfileInfo): Promise<StoredProfileInfo>;
  /** Bytes of a stored profile, or null when unknown. */
  get(id: string): Promise<Uint8Array | null>;
  info(id: string): Promise<StoredProfileInfo | null>;
  /** Every stored profile, newest first. */
  list(): Promise<StoredProfileInfo[]>;
  putAttachment(id: string, key: string, bytes: Uint8Array): Promise<void>;
  getAttachment(id: string, key: string): Promise<Uint8Array | null>;
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
    if (v.id !== id || typeof v.name !== 'string' || typeof v.type !== 'string' || typeof v.size !== 'number' || typeof v.storedAt !== 'string') {
      return null;
    }
    return { id: v.id, name: v.name, type: v.type, size: v.size, storedAt: v.storedAt };
  } catch {
    return null;
  }
}
