// Live capture (GET /api/capture/targets, POST /api/captures, GET /api/captures/:cid):
// what a target offers and how a capture is going.

export type TargetProfileKind = 'cpu' | 'snapshot' | 'unsupported';

export interface TargetProfile {
  name: string;
  /** Count column of the index (live objects, goroutines, ...); null when blank. */
  count: number | null;
  description: string;
  kind: TargetProfileKind;
  /** Why it cannot be captured, for kind "unsupported". */
  note?: string;
}

export interface TargetListing {
  /** "scheme://host:port" */
  target: string;
  /** Index page URL that was read. */
  index: string;
  profiles: TargetProfile[];
}

export type CaptureState = 'running' | 'done' | 'failed' | 'cancelled';

export interface StoredRef {
  id: string;
  /** Viewer link, "/p/<id>". */
  url: string;
  name: string;
}

export interface WatchSnapshot extends StoredRef {
  index: number;
  takenAt: string;
  /** Sum of each sample type, e.g. inuse_space / inuse_objects for heap. */
  totals: Array<{ type: string; unit: string; value: number }>;
}

export interface CaptureStatus {
  cid: string;
  mode: 'single' | 'watch';
  state: CaptureState;
  profile: string;
  kind: 'cpu' | 'snapshot';
  /** "scheme://host:port" of the target. */
  target: string;
  /** Path and query fetched. */
  path: string;
  seconds: number | null;
  startedAt: string;
  finishedAt: string | null;
  elapsedMs: number;
  /** 0..1: time-based for CPU/delta captures, snapshots done for watches. */
  progress: number;
  bytes: number;
  result: StoredRef | null;
  error: string | null;
  errorCode: string | null;
  /** HTTP status the API uses for this error (null when none). */
  errorStatus: number | null;
  watch?: {
    intervalSeconds: number;
    count: number;
    snapshots: WatchSnapshot[];
    failures: Array<{ index: number; error: string }>;
    /** When the next snapshot is due (ISO), null when none is. */
    nextAt: string | null;
  };
}
