// Chooses and opens the configured store. Configuration comes from flags or env:
//   PPROF_LENS_STORE=fs|s3 (default fs), --data DIR / PPROF_LENS_DATA (fs, default ./data)
//   PPROF_LENS_S3_ENDPOINT, PPROF_LENS_S3_REGION (default us-east-1), PPROF_LENS_S3_BUCKET,
//   PPROF_LENS_S3_PREFIX (default ""), PPROF_LENS_S3_ACCESS_KEY, PPROF_LENS_S3_SECRET_KEY
//   (without keys the SDK's default credential chain applies).
import { resolve } from 'node:path';
import { FsProfileStore } from './fs-store.js';
import { S3ProfileStore } from './s3-store.js';
import type { ProfileStore, StoreConfig } from './types.js';

export type { ProfileStore, StoreConfig } from './types.js';
export { FsProfileStore } from './fs-store.js';
export { S3ProfileStore } from './s3-store.js';
export { isValidId, profileId, ID_PATTERN } from './id.js';

export function storeConfigFromEnv(env: NodeJS.ProcessEnv, dataDir?: string, backend?: string): StoreConfig {
  const kind = backend ?? env.PPROF_LENS_STORE ?? 'fs';
  if (kind === 's3') {
    const bucket = env.PPROF_LENS_S3_BUCKET;
    if (!bucket) throw new Error('PPROF_LENS_STORE=s3 needs PPROF_LENS_S3_BUCKET');
    return {
      backend: 's3',
      endpoint: env.PPROF_LENS_S3_ENDPOINT || undefined,
      region: env.PPROF_LENS_S3_REGION || 'us-east-1',
      bucket,
      prefix: env.PPROF_LENS_S3_PREFIX ?? '',
      accessKeyId: env.PPROF_LENS_S3_ACCESS_KEY || undefined,
      secretAccessKey: env.PPROF_LENS_S3_SECRET_KEY || undefined,
    };
  }
  if (kind !== 'fs') throw new Error(`unknown store backend "${kind}" (use fs or s3)`);
  return { backend: 'fs', dir: resolve(dataDir ?? env.PPROF_LENS_DATA ?? 'data') };
}

export function openStore(cfg: StoreConfig): ProfileStore {
  return cfg.backend === 's3' ? new S3ProfileStore(cfg) : new FsProfileStore(cfg.dir);
}
