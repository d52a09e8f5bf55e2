// A real ProfileService for router tests: a temporary directory store and analysis on the
// calling thread (no worker threads), holding the given profile files under their
// content-derived ids.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverConfig } from '../server/src/service/config.js';
import { ProfileService } from '../server/src/service/service.js';
import { FsProfileStore } from '../server/src/store/fs-store.js';
import { InProcessAnalyzer } from '../server/src/workers/analyzer.js';

export interface TestService {
  service: ProfileService;
  /** Profile id of each named file. */
  ids: Record<string, string>;
  close(): Promise<void>;
}

export async function serviceWith(files: Record<string, string>): Promise<TestService> {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-lens-service-'));
  const config = serverConfig({ maxUploadBytes: 1 << 24, maxInflatedBytes: 1 << 28 });
  const store = new FsProfileStore(dir);
  await store.init();
  const service = new ProfileService(config, store, new InProcessAnalyzer(store, config, 256 << 20));
  const ids: Record<string, string> = {};
  for (const [name, file] of Object.entries(files)) ids[name] = (await service.storeProfile(readFileSync(file), name)).id;
  return {
    service,
    ids,
    async close() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
