// Starts a real S3 server for the S3 store tests: a one-node Ceph radosgw on 127.0.0.1
// (scripts/ceph-rgw.sh; installs the Debian packages when missing, as root). Each test file
// gets its own cluster dir and free ports, and tears it down afterwards. If it cannot start,
// the tests fail with the script's output: they are never skipped.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { StoreConfig } from '../../server/src/store/types.js';
import { ROOT } from './server-helpers.js';

const SCRIPT = join(ROOT, 'scripts/ceph-rgw.sh');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('bash', [SCRIPT, ...args], { env, timeout: 280_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`scripts/ceph-rgw.sh ${args.join(' ')} failed (${err.message}):\n${stderr}\n${stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

export interface Rgw {
  env: Record<string, string>;
  store(prefix: string): Extract<StoreConfig, { backend: 's3' }>;
  stop(): Promise<void>;
}

export async function startRgw(): Promise<Rgw> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CEPH_RGW_DIR: `/tmp/pprof-lens-ceph-${randomBytes(4).toString('hex')}`,
    CEPH_MON_PORT: String(await freePort()),
    CEPH_RGW_PORT: String(await freePort()),
  };
  let out: string;
  try {
    out = (await run(['start'], env)).stdout;
  } catch (err) {
    await run(['stop'], env).catch(() => undefined);
    throw new Error(`could not start the Ceph RGW S3 server needed by the S3 store tests.\n${(err as Error).message}`);
  }
  const vars: Record<string, string> = {};
  for (const m of out.matchAll(/^export (\w+)=(.*)$/gm)) vars[m[1]] = m[2];
  if (!vars.PPROF_LENS_S3_ENDPOINT) throw new Error(`ceph-rgw.sh printed no endpoint:\n${out}`);
  return {
    env: vars,
    store: (prefix) => ({
      backend: 's3',
      endpoint: vars.PPROF_LENS_S3_ENDPOINT,
      region: vars.PPROF_LENS_S3_REGION,
      bucket: vars.PPROF_LENS_S3_BUCKET,
      prefix,
      accessKeyId: vars.PPROF_LENS_S3_ACCESS_KEY,
      secretAccessKey: vars.PPROF_LENS_S3_SECRET_KEY,
    }),
    stop: async () => {
      await run(['stop'], env);
    },
  };
}
