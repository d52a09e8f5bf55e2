// Shared setup for the live-capture API tests: builds and runs samples/live-service,
// starts pprof-lens servers, and a few misbehaving loopback targets.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeProfile } from '../../server/src/decode/index.js';
import type { ServerConfig } from '../../server/src/service/config.js';
import { startServer, type RunningServer } from '../../server/src/http/server.js';
import type { Profile } from '../../server/src/model/profile.js';

const ROOT = resolve(import.meta.dirname, '../..');

function goBinary(): string {
  if (existsSync('/usr/lib/go-1.23/bin/go')) return '/usr/lib/go-1.23/bin/go';
  return execFileSync('bash', [join(ROOT, 'scripts/ensure-go.sh')], { encoding: 'utf8' }).trim();
}

export interface LiveService {
  base: string;
  port: number;
  stop(): void;
}

/** Builds samples/live-service into a temp dir and starts it on a random loopback port. */
export async function startLiveService(dir: string, args: string[] = []): Promise<LiveService> {
  const bin = join(dir, 'live-service');
  if (!existsSync(bin)) {
    execFileSync(goBinary(), ['build', '-trimpath', '-o', bin, '.'], { cwd: join(ROOT, 'samples/live-service'), stdio: 'pipe' });
  }
  const child: ChildProcess = spawn(bin, ['-port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((res, rej) => {
    let out = '';
    const t = setTimeout(() => rej(new Error(`live-service did not start: ${out}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        res(m[1]!);
      }
    });
    child.once('exit', (code) => rej(new Error(`live-service exited with ${code}`)));
  });
  return { base, port: Number(new URL(base).port), stop: () => child.kill() };
}

export interface Lens {
  srv: RunningServer;
  url: string;
  close(): Promise<void>;
}

export async function startLens(config: Partial<ServerConfig>): Promise<Lens> {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-lens-capture-'));
  const srv = await startServer({ port: 0, store: { backend: 'fs', dir }, config, workers: 0, samplesDir: null, log: () => undefined });
  return {
    srv,
    url: srv.url,
    async close() {
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export async function call(lens: Lens, method: string, path: string, body?: unknown): Promise<Answer> {
  const r = await fetch(lens.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

/** The stored bytes of a profile, decoded. */
export async function storedProfile(lens: Lens, id: string): Promise<Profile> {
  const r = await fetch(`${lens.url}/api/profiles/${id}/raw`);
  if (r.status !== 200) throw new Error(`raw ${id}: ${r.status}`);
  return decodeProfile(new Uint8Array(await r.arrayBuffer()));
}

export function functionNames(p: Profile): Set<string> {
  const names = new Set<string>();
  for (const s of p.sample) for (const loc of s.location) for (const l of loc.line) names.add(l.function.name);
  return names;
}

/** Misbehaving targets: an HTML page, a plain-text 200, a hang, and a redirector. */
export interface BadTargets {
  html: string;
  text: string;
  hang: string;
  /** 127.0.0.2: `${redirect}?to=<url>` answers 302 to <url>. */
  redirect: string;
  close(): void;
}

export async function startBadTargets(): Promise<BadTargets> {
  const servers: Server[] = [];
  const listen = (s: Server, host: string) =>
    new Promise<string>((res) => {
      servers.push(s);
      s.listen(0, host, () => res(`http://${host}:${(s.address() as AddressInfo).port}`));
    });
  const html = await listen(
    createServer((_q, r) => {
      r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        '<!doctype html><html><body><h1>Welcome to my app</h1></body></html>',
      );
    }),
    '127.0.0.1',
  );
  const text = await listen(
    createServer((_q, r) => {
      r.writeHead(200, { 'content-type': 'text/plain' }).end('everything is fine\n');
    }),
    '127.0.0.1',
  );
  const hang = await listen(
    createServer(() => undefined),
    '127.0.0.1',
  );
  const redirect = await listen(
    createServer((q, r) => {
      const to = new URL(q.url ?? '/', 'http://x').searchParams.get('to') ?? '/';
      r.writeHead(302, { location: to }).end();
    }),
    '127.0.0.2',
  );
  return {
    html,
    text,
    hang,
    redirect,
    close() {
      for (const s of servers) {
        s.closeAllConnections();
        s.close();
      }
    },
  };
}

/**
 * Whether the Go service is inside a CPU profile request right now (net/http/pprof's
 * handler waits in its `sleep` for the duration): lets tests wait for a capture to have
 * really started, or ended, instead of sleeping.
 */
export async function targetProfiling(svc: LiveService): Promise<boolean> {
  const r = await fetch(`${svc.base}/debug/pprof/goroutine?debug=2`);
  return (await r.text()).includes('net/http/pprof.sleep(');
}
