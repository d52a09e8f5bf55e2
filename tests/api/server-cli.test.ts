// `pprof-lens serve` flags, and the `pprof-lens FILE` form as a real process: it stores the
// file, listens on a free port and prints a link that serves the profile.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../server/src/cli/serve.js';
import { profileId } from '../../server/src/store/id.js';
import { getJson, ROOT, sample, tempDir } from './server-helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('serve flags', () => {
  it('map to server options', () => {
    const p = parseServeArgs(
      [
        '--port',
        '0',
        '--host=127.0.0.2',
        '--data',
        '/tmp/x',
        '--shared',
        '--source-path',
        'a,b',
        '--source-path',
        'c',
        '--trim-path',
        '/build',
        '--allow-target',
        '10.0.0.0/8',
        '--allow-target',
        'db.internal',
        '--max-upload-mb',
        '2',
        '--max-inflated-mb',
        '8',
        '--workers',
        '3',
        '--cache-mb',
        '64',
        '--no-samples',
        'f1.pb.gz',
        'f2.pb.gz',
      ],
      {},
    );
    expect(p.opts).toMatchObject({
      port: 0,
      host: '127.0.0.2',
      store: { backend: 'fs', dir: '/tmp/x' },
      config: {
        shared: true,
        sourcePaths: ['a', 'b', 'c'],
        trimPaths: ['/build'],
        allowTargets: ['10.0.0.0/8', 'db.internal'],
        maxUploadBytes: 2 * 1024 * 1024,
        maxInflatedBytes: 8 * 1024 * 1024,
      },
      workers: 3,
      cacheBytes: 64 * 1024 * 1024,
      samplesDir: null,
      files: ['f1.pb.gz', 'f2.pb.gz'],
    });
    const d = parseServeArgs([], {});
    expect(d.opts).toMatchObject({ port: 8080, host: '127.0.0.1', config: { shared: false, maxUploadBytes: 256 * 1024 * 1024 } });
  });

  it('select the S3 store from env', () => {
    const p = parseServeArgs([], {
      PPROF_LENS_STORE: 's3',
      PPROF_LENS_S3_ENDPOINT: 'http://127.0.0.1:9',
      PPROF_LENS_S3_BUCKET: 'b',
      PPROF_LENS_S3_ACCESS_KEY: 'k',
      PPROF_LENS_S3_SECRET_KEY: 's',
    });
    expect(p.opts.store).toEqual({
      backend: 's3',
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      bucket: 'b',
      prefix: '',
      accessKeyId: 'k',
      secretAccessKey: 's',
    });
    expect(() => parseServeArgs([], { PPROF_LENS_STORE: 's3' })).toThrow(/BUCKET/);
    expect(() => parseServeArgs(['--store', 'nope'], {})).toThrow(/unknown store/);
  });

  it('reject bad values', () => {
    expect(() => parseServeArgs(['--port', 'x'], {})).toThrow(/--port/);
    expect(() => parseServeArgs(['--port', '70000'], {})).toThrow(/65535/);
    expect(() => parseServeArgs(['--frobnicate'], {})).toThrow(/unknown flag/);
    expect(() => parseServeArgs(['--data'], {})).toThrow(/needs a value/);
  });
});

describe('pprof-lens FILE', () => {
  it('stores the file, serves on a free port and prints its link', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/main.ts', 'samples/cpu/cpu.pb.gz', '--data', t.dir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
    });
    cleanups.push(() => child.kill('SIGTERM'));
    const link = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /Serving web UI on (http:\/\/127\.0\.0\.1:\d+\/p\/[a-z2-7]{32})/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
    });
    const id = profileId(sample('cpu/cpu.pb.gz'));
    expect(link.endsWith(`/p/${id}`)).toBe(true);
    expect((await fetch(link)).status).toBe(200);
    const base = link.slice(0, link.indexOf('/p/'));
    const list = await getJson<{ profiles: { id: string; name: string }[] }>(`${base}/api/profiles`);
    expect(list.body.profiles).toMatchObject([{ id, name: 'cpu.pb.gz' }]);
    expect((await getJson(`${base}/api/profiles/${id}/top`)).status).toBe(200);
  });
});
