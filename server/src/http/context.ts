// What every route module receives: access to stored profiles and the server's
// configuration. Routers are built as `fooRouter(ctx)` and mounted in app.ts.
import type { Profile } from '../model/profile.js';
import type { FeatureTask } from './analysis/protocol.js';

export type { FeatureTask };

export interface StoredProfileInfo {
  id: string;
  name: string;
  /** Profile kind from its sample types, e.g. "cpu", "heap". */
  type: string;
  size: number;
  /** ISO 8601. */
  storedAt: string;
}

export interface ServerConfig {
  /** `serve --shared`: a team server (restricted live capture, no local source roots by default). */
  shared: boolean;
  /** Local source roots (`--source-path`) and trim prefixes (`--trim-path`). */
  sourcePaths: string[];
  trimPaths: string[];
  /** Hosts and CIDRs that live capture may reach in shared mode (`--allow-target`). */
  allowTargets: string[];
  maxUploadBytes: number;
  maxInflatedBytes: number;
}

export interface AppContext {
  config: ServerConfig;
  /**
   * Decoded profile by id (cached); rejects with a 404-mapped error when unknown. Decodes
   * and computes on the HTTP thread: prefer `analyze` for anything heavy.
   */
  loadProfile(id: string): Promise<Profile>;
  /**
   * Runs a feature analysis (insights, comparison, file names) where decoded profiles are
   * cached -- an analysis worker thread, or this thread with `--workers 0` -- and resolves
   * to the view's JSON text. Unknown ids reject with a NotFoundError (404). Optional so
   * hand-built contexts (tests) may leave it out; routes then fall back to loadProfile.
   */
  analyze?(task: FeatureTask): Promise<string>;
  /**
   * The stored profiles `ids` merged as `go tool pprof A B C` merges them, as gzipped pprof
   * bytes (to store with storeProfile). IncompatibleProfilesError when they do not fit.
   */
  mergeProfiles(ids: string[]): Promise<Uint8Array>;
  /** Stores raw bytes (validated by decoding first); returns the content-derived id. */
  storeProfile(bytes: Uint8Array, name: string): Promise<StoredProfileInfo>;
  /** Metadata of a stored profile, or null. */
  profileInfo(id: string): Promise<StoredProfileInfo | null>;
  /** Extra per-profile blobs (uploaded sources archive, -m=2 output, ...) by key. */
  putAttachment(id: string, key: string, bytes: Uint8Array): Promise<void>;
  getAttachment(id: string, key: string): Promise<Uint8Array | null>;
}

/** Thrown by loadProfile and friends for an unknown id (HTTP 404). */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
