// `pprof-lens serve [flags] [FILES...]` and `pprof-lens FILE` (store FILE, serve on a free
// port, print and try to open the link, as `go tool pprof -http` does; when a server
// already serves the same data directory, FILE goes to that one: running-server.ts).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { advertiseServer, findRunningServer, newIdentityKey } from './running-server.js';
import { storeConfigFromEnv } from '../store/index.js';
import { parseDuration } from '../service/duration.js';
import { startServer, type RunningServer, type StartOptions } from '../http/server.js';
import { DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_UPLOAD_BYTES } from '../service/config.js';

export interface ServeIO {
  out(s: string): void;
  err(s: string): void;
}

export class ServeUsageError extends Error {}

export const SERVE_USAGE = `usage: pprof-lens serve [flags] [FILES...]
  --port N             listen port (default 8080; 0 = any free port)
  --host ADDR          listen address (default 127.0.0.1)
  --data DIR           local store directory (default ./data)
  --store fs|s3        store backend (default fs, or PPROF_LENS_STORE); s3 reads PPROF_LENS_S3_*
  --shared             team server mode (restricted capture, no local source roots by default)
  --source-path D[,D]  local source roots (repeatable)
  --trim-path P        path prefix to trim from profile file names (repeatable)
  --allow-target T     host, IP or CIDR live capture may reach in shared mode, optionally with
                       a port (host:6060, 10.0.0.0/8:6060, [fd00::/8]:6060) (repeatable)
  --auth-header NAME   trust the user name an authenticating proxy puts in header NAME;
                       requests without it get 401, uploads are owned by that user
  --public-url URL     the address users reach this server at: links use it, and
                       requests for any other Host are refused
  --allowed-host H     another Host name requests may use (repeatable)
  --retention D        delete profiles D after upload (e.g. 30d, 12h; default 30d with
                       --shared, off otherwise; 0 = never)
  --max-upload-mb N    upload size limit (default 256)
  --max-inflated-mb N  inflated (gunzipped) size limit (default 256)
  --workers N          analysis worker threads (default: cores, 1..4; 0 = none)
  --cache-mb N         memory budget for decoded profiles (default 1024)
  --memory-mb N        memory one analysis may use (a decoded profile and a view of it);
                       larger ones are refused with 413 (default 1024)
  --samples DIR        store every **/*.pb.gz under DIR at start (default ./samples)
  --no-samples         do not preload samples
  --web DIR            built web UI (default dist/web)
  --open               open the start page in a browser
`;

export interface ParsedServe {
  opts: StartOptions;
  open: boolean;
}

function num(flag: string, v: string | undefined, min: number): number {
  if (v === undefined || !/^\d+(\.\d+)?$/.test(v) || Number(v) < min) {
    throw new ServeUsageError(`${flag} needs a number >= ${min}, got ${JSON.stringify(v ?? '')}`);
  }
  return Number(v);
}

export function parseServeArgs(args: string[], env: NodeJS.ProcessEnv = process.env): ParsedServe {
  let port = 8080;
  let host = '127.0.0.1';
  let data: string | undefined;
  let backend: string | undefined;
  let shared = false;
  const sourcePaths: string[] = [];
  const trimPaths: string[] = [];
  const allowTargets: string[] = [];
  let authHeader: string | undefined;
  let publicUrl: string | undefined;
  const allowedHosts: string[] = [];
  let retentionMs: number | undefined;
  let maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
  let maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES;
  let workers: number | undefined;
  let cacheBytes: number | undefined;
  let memoryBudgetBytes: number | undefined;
  let samplesDir: string | null | undefined;
  let webRoot: string | undefined;
  let open = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let inline: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined) throw new ServeUsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--port':
      case '-port':
        port = num(a, value(), 0);
        break;
      case '--host':
      case '-host':
        host = value();
        break;
      case '--data':
        data = value();
        break;
      case '--store':
        backend = value();
        break;
      case '--shared':
        shared = true;
        break;
      case '--source-path':
      case '-source_path':
        sourcePaths.push(...value().split(',').filter(Boolean));
        break;
      case '--trim-path':
      case '-trim_path':
        trimPaths.push(...value().split(',').filter(Boolean));
        break;
      case '--allow-target':
        allowTargets.push(value());
        break;
      case '--auth-header': {
        authHeader = value();
        if (!/^[A-Za-z0-9-]{1,100}$/.test(authHeader))
          throw new ServeUsageError(`--auth-header needs a header name, got ${JSON.stringify(authHeader)}`);
        break;
      }
      case '--public-url': {
        const v = value();
        let u: URL;
        try {
          u = new URL(v);
        } catch {
          throw new ServeUsageError(`--public-url needs an absolute http(s) URL, got ${JSON.stringify(v)}`);
        }
        if (!/^https?:$/.test(u.protocol) || u.search || u.hash)
          throw new ServeUsageError(`--public-url needs an http(s) URL without query, got ${JSON.stringify(v)}`);
        publicUrl = u.origin + u.pathname.replace(/\/+$/, '');
        break;
      }
      case '--allowed-host':
        allowedHosts.push(value().toLowerCase());
        break;
      case '--retention': {
        const v = value();
        const ms = parseDuration(v);
        if (ms === null) throw new ServeUsageError(`--retention needs a duration such as 30d, 12h or 0, got ${JSON.stringify(v)}`);
        retentionMs = ms;
        break;
      }
      case '--max-upload-mb':
        maxUploadBytes = Math.floor(num(a, value(), 0) * 1024 * 1024);
        break;
      case '--max-upload-bytes':
        maxUploadBytes = num(a, value(), 0);
        break;
      case '--max-inflated-mb':
        maxInflatedBytes = Math.floor(num(a, value(), 0) * 1024 * 1024);
        break;
      case '--workers':
        workers = num(a, value(), 0);
        break;
      case '--cache-mb':
        cacheBytes = Math.floor(num(a, value(), 0) * 1024 * 1024);
        break;
      case '--memory-mb':
        memoryBudgetBytes = Math.floor(num(a, value(), 16) * 1024 * 1024);
        break;
      case '--samples':
        samplesDir = value();
        break;
      case '--no-samples':
        samplesDir = null;
        break;
      case '--web':
        webRoot = value();
        break;
      case '--open':
        open = true;
        break;
      case '-h':
      case '--help':
        throw new ServeUsageError('');
      default:
        if (a.startsWith('-') && a !== '-') throw new ServeUsageError(`unknown flag ${a}`);
        files.push(args[i]);
    }
  }
  if (port > 65535) throw new ServeUsageError('--port must be at most 65535');
  let store;
  try {
    store = storeConfigFromEnv(env, data, backend);
  } catch (err) {
    throw new ServeUsageError((err as Error).message);
  }
  return {
    open,
    opts: {
      port,
      host,
      store,
      config: {
        shared,
        sourcePaths,
        trimPaths,
        allowTargets,
        maxUploadBytes,
        maxInflatedBytes,
        authHeader,
        publicUrl,
        allowedHosts,
        retentionMs,
        ...(memoryBudgetBytes ? { memoryBudgetBytes } : {}),
      },
      workers,
      cacheBytes,
      samplesDir,
      webRoot,
      files,
    },
  };
}

/** Best effort: a missing xdg-open or browser is never an error. */
export function tryOpenBrowser(url: string): void {
  if (process.env.PPROF_LENS_NO_BROWSER) return;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no browser here: the printed link is enough
  }
}

function waitForSignal(server: RunningServer, unadvertise: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => {
      unadvertise()
        .then(() => server.close())
        .then(
          () => resolve(0),
          () => resolve(1),
        );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Local mode on an address others can reach: say what that exposes (null when fine). */
export function exposureWarning(host: string, shared: boolean): string | null {
  if (shared) return null;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || /^127\./.test(h) || h === '::1' || h === '::ffff:127.0.0.1') return null;
  return (
    `pprof-lens: warning: listening on ${host} without --shared: anyone who can reach this address can read ` +
    'local source files and make this machine capture from services it can reach; use --shared for a team server, ' +
    'or --host 127.0.0.1\n'
  );
}

/**
 * Start the server; a local one (fs store, loopback, not shared) records itself in its data
 * directory so that `pprof-lens FILE` finds and reuses it (running-server.ts).
 */
async function start(parsed: ParsedServe, io: ServeIO): Promise<{ server: RunningServer; unadvertise: () => Promise<void> }> {
  const st = parsed.opts.store;
  const local = st.backend === 'fs' && !parsed.opts.config?.shared && exposureWarning(parsed.opts.host ?? '127.0.0.1', false) === null;
  const identityKey = local ? newIdentityKey() : undefined;
  const server = await startServer({ ...parsed.opts, identityKey, log: (l) => io.err(l + '\n') });
  let unadvertise: () => Promise<void> = async () => {};
  // The first live server of a data directory keeps the record.
  if (local && st.backend === 'fs' && !(await findRunningServer(st.dir))) {
    try {
      unadvertise = await advertiseServer(st.dir, server.url, identityKey!);
    } catch (err) {
      io.err(`pprof-lens: could not record the server in ${st.dir}: ${(err as Error).message}\n`);
    }
  }
  return { server, unadvertise };
}

async function serveWith(parsed: ParsedServe, io: ServeIO, openFirst: boolean): Promise<number> {
  const warning = exposureWarning(parsed.opts.host ?? '127.0.0.1', !!parsed.opts.config?.shared);
  if (warning) io.err(warning);
  const { server, unadvertise } = await start(parsed, io);
  const total = (await server.service.store.list()).length;
  const st = parsed.opts.store;
  const where = st.backend === 'fs' ? `fs ${st.dir}` : `s3 ${st.endpoint ?? 'aws'} bucket ${st.bucket}`;
  io.out(
    `pprof-lens: serving ${total} profile(s) at ${server.url}/ (store: ${where}; ${server.service.analyzer.workers} analysis workers)\n`,
  );
  if (openFirst && server.preloaded.length > 0) {
    const link = `${server.url}/p/${server.preloaded[0].id}`;
    io.out(`${link}\n`);
    tryOpenBrowser(link);
  } else if (parsed.open) {
    tryOpenBrowser(`${server.url}/`);
  }
  return waitForSignal(server, unadvertise);
}

export async function runServe(args: string[], io: ServeIO): Promise<number> {
  let parsed: ParsedServe;
  try {
    parsed = parseServeArgs(args);
  } catch (err) {
    if (err instanceof ServeUsageError) {
      if (err.message) io.err(`pprof-lens serve: ${err.message}\n`);
      io.err(SERVE_USAGE);
      return 2;
    }
    throw err;
  }
  return serveWith(parsed, io, false);
}

/** `pprof-lens FILE [flags]`: a free port, no samples, the link to FILE printed and opened. */
export async function runOpen(args: string[], io: ServeIO): Promise<number> {
  let parsed: ParsedServe;
  try {
    parsed = parseServeArgs(['--port', '0', '--no-samples', ...args]);
  } catch (err) {
    if (err instanceof ServeUsageError) {
      io.err(`pprof-lens: ${err.message}\n${SERVE_USAGE}`);
      return 2;
    }
    throw err;
  }
  const files = parsed.opts.files ?? [];
  if (files.length === 0) {
    io.err('pprof-lens: no profile file given\n');
    return 2;
  }
  // A server already serving this data directory gets the files; flags that shape a server
  // (port, sources, limits ...) ask for a server of their own.
  const st = parsed.opts.store;
  const plain = args.every(
    (a, i) => !a.startsWith('-') || a === '--open' || a === '--data' || a.startsWith('--data=') || args[i - 1] === '--data',
  );
  if (plain && st.backend === 'fs') {
    const origin = await findRunningServer(st.dir);
    if (origin) {
      const code = await openInRunning(origin, files, io);
      if (code !== null) return code;
    }
  }
  const { server, unadvertise } = await start(parsed, io);
  if (server.preloaded.length === 0) {
    io.err('pprof-lens: none of the files is a readable profile\n');
    await unadvertise();
    await server.close();
    return 1;
  }
  const link = `${server.url}/p/${server.preloaded[0].id}`;
  io.out(`Serving web UI on ${link}\n`);
  tryOpenBrowser(link);
  return waitForSignal(server, unadvertise);
}

/**
 * Upload `files` to the running server at `origin` and print the first one's link.
 * Null when that server would not take them (then the caller starts its own).
 */
async function openInRunning(origin: string, files: string[], io: ServeIO): Promise<number | null> {
  const links: string[] = [];
  for (const f of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(resolve(f));
    } catch (err) {
      io.err(`pprof-lens: skipping ${f}: ${(err as Error).message}\n`);
      continue;
    }
    let res: Response;
    try {
      res = await fetch(`${origin}/api/profiles?name=${encodeURIComponent(basename(f))}`, {
        method: 'POST',
        body: new Uint8Array(bytes),
        headers: { 'content-type': 'application/octet-stream' },
        redirect: 'error',
      });
    } catch {
      // The server went away: a new one takes the files, unless some are already stored.
      if (!links.length) return null;
      io.err(`pprof-lens: the running server stopped answering; ${f} and later files were not added\n`);
      break;
    }
    const body = (await res.json().catch(() => ({}))) as { id?: string; error?: string };
    if (res.status === 201 && typeof body.id === 'string') {
      links.push(`${origin}/p/${encodeURIComponent(body.id)}`);
    } else if (res.status === 400 || res.status === 413 || res.status === 415 || res.status === 422) {
      // The file itself was refused: the same would happen in a new server.
      io.err(`pprof-lens: skipping ${f}: ${body.error ?? `HTTP ${res.status}`}\n`);
    } else if (!links.length) {
      return null;
    }
  }
  if (!links.length) {
    io.err('pprof-lens: none of the files is a readable profile\n');
    return 1;
  }
  io.out(`pprof-lens: added to the server already running for this data directory\nServing web UI on ${links[0]}\n`);
  tryOpenBrowser(links[0]!);
  return 0;
}
