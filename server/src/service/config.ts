// The server's configuration, fixed at start (`pprof-lens serve` flags) and read by the
// service, its routers and the analysis workers.

export interface ServerConfig {
  /** `serve --shared`: a team server (restricted live capture, no local source roots by default). */
  shared: boolean;
  /** Local source roots (`--source-path`) and trim prefixes (`--trim-path`). */
  sourcePaths: string[];
  trimPaths: string[];
  /** The local store's directory, never served as source (set by startServer). */
  dataDir?: string;
  /** Hosts and CIDRs that live capture may reach in shared mode (`--allow-target`). */
  allowTargets: string[];
  maxUploadBytes: number;
  maxInflatedBytes: number;
  /** `--auth-header NAME`: the request header an authenticating proxy sets to the user name. */
  authHeader?: string;
  /** `--public-url`: the origin links are built for (and requests must be addressed to). */
  publicUrl?: string;
  /** `--allowed-host`: further Host names requests may carry. */
  allowedHosts?: string[];
  /** `--retention`: new uploads expire this long after upload (ms); 0 = never. */
  retentionMs?: number;
  /**
   * Memory an analysis worker may use for one decoded profile and a view of it
   * (`--memory-mb`); over it, requests are refused with 413 (workers/budget.ts).
   * Default DEFAULT_MEMORY_BUDGET_MB.
   */
  memoryBudgetBytes?: number;
}

/** Per analysis worker (workers/budget.ts). */
export const DEFAULT_MEMORY_BUDGET_MB = 1024;

export const DEFAULT_MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
/** Decoded profiles take ~18x their protobuf size, so this bounds memory per profile to ~5 GB. */
export const DEFAULT_MAX_INFLATED_BYTES = 256 * 1024 * 1024;

export function serverConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    shared: false,
    sourcePaths: [],
    trimPaths: [],
    allowTargets: [],
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
    memoryBudgetBytes: DEFAULT_MEMORY_BUDGET_MB * 1024 * 1024,
    ...overrides,
  };
}
