// Helpers for the server API tests: start/stop a real server on a random port, fetch JSON,
// find sample profiles.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, type RunningServer, type StartOptions } from '../../server/src/http/server.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** samples/**\/*.pb.gz, sorted. */
export function samplePaths(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.pb.gz')) out.push(join(d, e.name));
    }
  };
  walk(join(ROOT, 'samples'));
  return out.sort();
}

export function sample(rel: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(join(ROOT, 'samples', rel)));
}

export function tempDir(prefix = 'pprof-lens-api-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startTestServer(dataDir: string, extra: Partial<StartOptions> = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    store: { backend: 'fs', dir: dataDir },
    samplesDir: null,
    workers: 2,
    webRoot: join(dataDir, 'no-web'),
    log: () => undefined,
    ...extra,
  });
}

export async function upload(base: string, bytes: Uint8Array, name?: string): Promise<Response> {
  const q = name ? `?name=${encodeURIComponent(name)}` : '';
  return fetch(`${base}/api/profiles${q}`, {
    method: 'POST',
    body: bytes as Uint8Array<ArrayBuffer>,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

export async function uploadOk(base: string, bytes: Uint8Array, name?: string): Promise<string> {
  const res = await upload(base, bytes, name);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { id: string; url: string };
  return body.id;
}

export async function getJson<T = unknown>(url: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/**
 * Counts the analysis tasks of `service` (those whose op is in `ops`) handed to its workers,
 * so a test can wait until its requests really are being computed instead of sleeping.
 */
export function trackAnalyses(service: RunningServer['service'], ops: string[]): { started(): number; inFlight(): number } {
  const analyzer = service.analyzer;
  const run = analyzer.run.bind(analyzer);
  let inFlight = 0;
  let started = 0;
  analyzer.run = (...args: Parameters<typeof run>) => {
    const p = run(...args);
    if (ops.includes(args[0].op)) {
      started++;
      inFlight++;
      const done = () => void inFlight--;
      p.then(done, done);
    }
    return p;
  };
  return { started: () => started, inFlight: () => inFlight };
}
