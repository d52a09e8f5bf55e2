// `pprof-lens FILE` reuses the server already serving the same data directory: the server
// records itself in <data>/.pprof-lens-server.json and proves it holds that file's key
// (GET /api/health?challenge=); a missing, stale, foreign or non-loopback record means a
// server of its own, as before.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { advertiseServer, findRunningServer, newIdentityKey, SERVER_FILE } from '../../server/src/cli/running-server.js';
import { profileId } from '../../server/src/store/id.js';
import { getJson, ROOT, sample, startTestServer, tempDir } from './server-helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function cli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/main.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
  });
  cleanups.push(() => child.exitCode === null && child.kill('SIGTERM'));
  return child;
}

/** Resolves with the first match of `re` on the child's stdout; rejects if it exits first. */
function waitFor(child: ChildProcess, re: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = re.exec(out);
      if (m) resolve(m);
    });
    child.on('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('findRunningServer', () => {
  it('finds a live server that proves it holds the key, and nothing else', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    expect(await findRunningServer(t.dir)).toBeNull(); // no record
    const key = newIdentityKey();
    const server = await startTestServer(t.dir, { identityKey: key });
    cleanups.push(() => server.close());
    const forget = await advertiseServer(t.dir, server.url, key);
    const file = join(t.dir, SERVER_FILE);
    // Only this user may read the key.
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(await findRunningServer(t.dir)).toBe(server.url);
    // Hostile challenges (not hex, too long, repeated, empty) get no proof, only "up".
    for (const q of [
      'challenge=zz'.padEnd(40, 'z'),
      `challenge=${'ab'.repeat(65)}`,
      'challenge=abab&challenge=cdcd',
      'challenge[x]=ab',
      'challenge=',
    ]) {
      const h = await getJson<{ ok: boolean; proof?: string }>(`${server.url}/api/health?${q}`);
      expect([q, h.status, h.body]).toEqual([q, 200, { ok: true }]);
    }

    const record = JSON.parse(readFileSync(file, 'utf8')) as { url: string; pid: number; key: string };
    const write = (r: object) => writeFileSync(file, JSON.stringify({ ...record, ...r }));
    // Another key: whatever listens there is not the server that wrote the record.
    write({ key: newIdentityKey() });
    expect(await findRunningServer(t.dir)).toBeNull();
    // A process that is gone.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    write({ pid: gone });
    expect(await findRunningServer(t.dir)).toBeNull();
    // Not loopback, not http, or garbage: never contacted.
    for (const url of ['http://192.0.2.1:8080', 'https://127.0.0.1:1', 'file:///etc/passwd', 'nope']) {
      write({ url });
      expect(await findRunningServer(t.dir)).toBeNull();
    }
    writeFileSync(file, '{"url":');
    expect(await findRunningServer(t.dir)).toBeNull();

    // Forgetting removes only our own record.
    write({});
    await forget();
    expect(existsSync(file)).toBe(false);
  });

  it('a server without a key answers health but proves nothing', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    const server = await startTestServer(t.dir);
    cleanups.push(() => server.close());
    const h = await getJson<{ ok: boolean; proof?: string }>(`${server.url}/api/health?challenge=${'ab'.repeat(16)}`);
    expect(h.status).toBe(200);
    expect(h.body).toEqual({ ok: true });
    await advertiseServer(t.dir, server.url, newIdentityKey());
    expect(await findRunningServer(t.dir)).toBeNull();
  });
});

describe('pprof-lens FILE with a server running', () => {
  it('adds the file to the running server for the same data directory and exits', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    const serve = cli(['serve', '--port', '0', '--no-samples', '--data', t.dir]);
    const [, base] = await waitFor(serve, /serving \d+ profile\(s\) at (http:\/\/127\.0\.0\.1:\d+)\//);
    expect(existsSync(join(t.dir, SERVER_FILE))).toBe(true);

    const open = cli(['samples/cpu/cpu.pb.gz', '--data', t.dir]);
    const { code, out } = await exited(open);
    expect(code).toBe(0);
    const id = profileId(sample('cpu/cpu.pb.gz'));
    expect(out).toContain(`Serving web UI on ${base}/p/${id}`);
    const list = await getJson<{ profiles: { id: string; name: string }[] }>(`${base}/api/profiles`);
    expect(list.body.profiles).toMatchObject([{ id, name: 'cpu.pb.gz' }]);

    // Flags that shape a server ask for a server of its own (another port).
    const own = cli(['samples/cpu/cpu.pb.gz', '--data', t.dir, '--max-upload-mb', '64']);
    const [, link] = await waitFor(own, /Serving web UI on (http:\/\/127\.0\.0\.1:\d+)\/p\//);
    expect(link).not.toBe(base);
    own.kill('SIGTERM');
    await exited(own);

    // The second server left the first one's record alone; stopping the first removes it,
    // and a later FILE starts a server again.
    expect(JSON.parse(readFileSync(join(t.dir, SERVER_FILE), 'utf8')).url).toBe(base);
    serve.kill('SIGTERM');
    await exited(serve);
    expect(existsSync(join(t.dir, SERVER_FILE))).toBe(false);
    const again = cli(['samples/cpu/cpu.pb.gz', '--data', t.dir]);
    const [, link2] = await waitFor(again, /Serving web UI on (http:\/\/127\.0\.0\.1:\d+)\/p\//);
    expect((await fetch(`${link2}/api/profiles/${id}`)).status).toBe(200);
    // Four CLI processes start here (each compiles the sources through tsx).
  }, 300_000);
});
