// Starts pprof-lens's HTTP server: opens the store, starts the analysis workers, preloads
// profiles (samples/ and files named on the command line) and listens.
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { serverConfig, type ServerConfig } from '../service/config.js';
import { ProfileService } from '../service/service.js';
import { openStore } from '../store/index.js';
import type { StoreConfig, StoredProfileInfo } from '../store/types.js';
import { createAnalyzer } from '../workers/analyzer.js';
import { createApp } from './app.js';
import { defaultWebRoot } from './ui.js';
import { startSweeper } from '../service/retention.js';
import { DEFAULT_SHARED_RETENTION_MS } from '../service/duration.js';

export interface StartOptions {
  port?: number;
  host?: string;
  store: StoreConfig;
  config?: Partial<ServerConfig>;
  /** Analysis worker threads; 0 = analyse on the HTTP thread. Default: cores, 1..4. */
  workers?: number;
  /** Total budget for decoded profiles kept in memory (split across workers). */
  cacheBytes?: number;
  /** V8 heap limit per analysis worker, MB (env PPROF_LENS_WORKER_HEAP_MB; default from the memory budget). */
  workerHeapMb?: number;
  webRoot?: string;
  /** Directory whose **\/*.pb.gz files are stored at start (default ./samples; null = none). */
  samplesDir?: string | null;
  /** Profile files to store at start. */
  files?: string[];
  log?: (line: string) => void;
  /** Secret with which /api/health proves this server's identity (server/src/cli/running-server.ts). */
  identityKey?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  service: ProfileService;
  /** Profiles stored from `files`, in order. */
  preloaded: StoredProfileInfo[];
  /** Client connections open now (tests wait on it, e.g. for a dropped upload to be seen). */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

async function findProfiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && e.name.endsWith('.pb.gz')) out.push(p);
    }
  }
  await walk(dir);
  return out.sort();
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const config = serverConfig(opts.config);
  // A team server forgets uploads after 30 days unless told otherwise (--retention).
  config.retentionMs ??= config.shared ? DEFAULT_SHARED_RETENTION_MS : 0;
  if (opts.store.backend === 'fs' && config.dataDir === undefined) config.dataDir = opts.store.dir;
  const store = openStore(opts.store);
  await store.init();
  const workers = opts.workers ?? Math.max(1, Math.min(4, availableParallelism()));
  const cacheBytes = opts.cacheBytes ?? 1024 * 1024 * 1024;
  const perWorker = workers > 0 ? Math.floor(cacheBytes / workers) : cacheBytes;
  // Default: twice the memory budget plus 512 MB, so a profile the budget let through is
  // not cut off by the heap limit, while a runaway one still dies in its worker (413).
  const heapMb =
    opts.workerHeapMb ??
    (Number(process.env.PPROF_LENS_WORKER_HEAP_MB) || Math.ceil((config.memoryBudgetBytes ?? 0) / (1024 * 1024)) * 2 + 512);
  const analyzer = createAnalyzer(store, { store: opts.store, config, cacheBytes: perWorker }, workers, heapMb);
  const service = new ProfileService(config, store, analyzer);

  const preload = async (path: string, name: string): Promise<StoredProfileInfo | null> => {
    try {
      const st = await stat(path);
      if (st.size > config.maxUploadBytes) throw new Error(`larger than the upload limit (${st.size} bytes)`);
      const buf = await readFile(path);
      // Preloads belong to whoever runs the server: no owner, no expiry.
      return await service.storeProfile(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), name, { expiresAt: null });
    } catch (err) {
      log(`pprof-lens: skipping ${path}: ${(err as Error).message}`);
      return null;
    }
  };
  const samplesDir = opts.samplesDir === undefined ? resolve('samples') : opts.samplesDir;
  if (samplesDir) {
    for (const f of await findProfiles(samplesDir)) await preload(f, relative(samplesDir, f));
  }
  const preloaded: StoredProfileInfo[] = [];
  for (const f of opts.files ?? []) {
    const info = await preload(resolve(f), basename(f));
    if (info) preloaded.push(info);
  }

  const host = opts.host ?? '127.0.0.1';
  const app = createApp(service, opts.webRoot ?? defaultWebRoot(), host, opts.identityKey);
  const server: Server = await new Promise((res, rej) => {
    const s = app.listen(opts.port ?? 8080, host, () => res(s));
    s.once('error', rej);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const stopSweeper = startSweeper(service, log);
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    service,
    preloaded,
    openConnections: () => new Promise((res, rej) => server.getConnections((err, n) => (err ? rej(err) : res(n)))),
    async close() {
      stopSweeper();
      await new Promise<void>((res) => {
        server.close(() => res());
        server.closeAllConnections();
      });
      await service.close();
    },
  };
}
