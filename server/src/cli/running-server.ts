// One local server per data directory: a CLI server writes `<data>/.pprof-lens-server.json`
// (its loopback URL, pid and a secret key, readable only by this user); `pprof-lens FILE`
// reads it and, when that server is alive and proves it holds the key (an HMAC of a fresh
// challenge, GET /api/health), uploads FILE there instead of starting a second server.
// Anything else (no file, a dead pid, another process on the port, a non-loopback URL)
// means: start a server as before.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SERVER_FILE = '.pprof-lens-server.json';

interface ServerFile {
  url: string;
  pid: number;
  key: string;
}

export function newIdentityKey(): string {
  return randomBytes(32).toString('hex');
}

/** Record a running server in its data directory; returns the function that forgets it again. */
export async function advertiseServer(dataDir: string, url: string, key: string): Promise<() => Promise<void>> {
  const file = join(dataDir, SERVER_FILE);
  const body: ServerFile = { url, pid: process.pid, key };
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(body), { mode: 0o600 });
  await rename(tmp, file);
  return async () => {
    // Only our own record: a newer server may have replaced it meanwhile.
    const cur = await readServerFile(dataDir);
    if (cur && cur.key === key) await unlink(file).catch(() => undefined);
  };
}

async function readServerFile(dataDir: string): Promise<ServerFile | null> {
  let raw: string;
  try {
    raw = await readFile(join(dataDir, SERVER_FILE), 'utf8');
  } catch {
    return null;
  }
  if (raw.length > 4096) return null;
  try {
    const v = JSON.parse(raw) as Partial<ServerFile>;
    if (typeof v.url !== 'string' || typeof v.key !== 'string' || !Number.isInteger(v.pid) || !/^[0-9a-f]{64}$/.test(v.key)) return null;
    return { url: v.url, pid: v.pid!, key: v.key };
  } catch {
    return null;
  }
}

/** A URL on this machine's loopback interface, http only, no path. */
function loopbackOrigin(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' || !u.port) return null;
  if (!/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/.test(u.hostname)) return null;
  return u.origin;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: another user's process, not ours to reuse.
    return false;
  }
}

/** The origin of the live server that serves `dataDir`, or null. */
export async function findRunningServer(dataDir: string, fetchImpl: typeof fetch = fetch): Promise<string | null> {
  const rec = await readServerFile(dataDir);
  if (!rec || !alive(rec.pid)) return null;
  const origin = loopbackOrigin(rec.url);
  if (!origin) return null;
  const challenge = randomBytes(16).toString('hex');
  try {
    const res = await fetchImpl(`${origin}/api/health?challenge=${challenge}`, { signal: AbortSignal.timeout(3000), redirect: 'error' });
    if (!res.ok) return null;
    const body = (await res.json()) as { proof?: unknown };
    if (typeof body.proof !== 'string' || !/^[0-9a-f]{64}$/.test(body.proof)) return null;
    const want = createHmac('sha256', rec.key).update(challenge).digest();
    return timingSafeEqual(Buffer.from(body.proof, 'hex'), want) ? origin : null;
  } catch {
    return null;
  }
}
