// `pprof-lens capture URL [flags]` and `pprof-lens http://host:port[/debug/pprof/...]`:
// capture a profile from a running Go service (like `go tool pprof -http=: URL`), then
// serve it on a free port and print/open its link -- or just save it with -o FILE.
import { writeFile } from 'node:fs/promises';
import { makePolicy } from '../live/address-policy.js';
import { CaptureError } from '../live/errors.js';
import { CaptureManager, type CaptureRequest } from '../live/manager.js';
import { resolveCapture } from '../live/target-url.js';
import { startServer } from '../http/server.js';
import { DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_UPLOAD_BYTES } from '../service/config.js';
import { parseServeArgs, ServeUsageError, tryOpenBrowser, SERVE_USAGE, type ServeIO } from './serve.js';

export const CAPTURE_USAGE = `usage: pprof-lens capture URL [flags]   (or: pprof-lens URL [flags])
  URL                  http://host:port (CPU profile), .../debug/pprof/ + --profile, or a full
                       profile URL such as http://127.0.0.1:6060/debug/pprof/heap
  --seconds N          CPU capture length (default 30); on other profiles: a delta profile
  --profile NAME       profile to capture: heap, allocs, goroutine, mutex, block, threadcreate, ...
  --gc                 run a GC before a heap snapshot (heap?gc=1)
  --timeout S          give up after S seconds (default 1.5 x seconds + 5, or 60 for snapshots)
  -o, --output FILE    save the profile to FILE and exit instead of serving it
  Serve flags (--port, --host, --data, ...) apply to the web UI that shows the capture.
`;

interface ParsedCapture {
  req: CaptureRequest;
  output: string | null;
  serveArgs: string[];
}

function intFlag(flag: string, v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v)) throw new ServeUsageError(`${flag} needs a whole number, got ${JSON.stringify(v ?? '')}`);
  return Number(v);
}

export function parseCaptureArgs(args: string[]): ParsedCapture {
  let url: string | undefined;
  const req: Partial<CaptureRequest> = {};
  let output: string | null = null;
  const serveArgs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    let inline: string | undefined;
    const eq = a.startsWith('-') ? a.indexOf('=') : -1;
    if (eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = (): string | undefined => inline ?? args[++i];
    switch (a.replace(/^--?/, '-')) {
      case '-seconds':
        req.seconds = intFlag(a, value());
        break;
      case '-profile':
        req.profile = value();
        break;
      case '-gc':
        req.gc = true;
        break;
      case '-timeout':
        req.timeoutSeconds = intFlag(a, value());
        break;
      case '-o':
      case '-output': {
        const v = value();
        if (!v) throw new ServeUsageError(`${a} needs a file name`);
        output = v;
        break;
      }
      case '-h':
      case '-help':
        throw new ServeUsageError('');
      default:
        if (!a.startsWith('-') && url === undefined) url = args[i];
        else serveArgs.push(args[i]!);
    }
  }
  if (url === undefined) throw new ServeUsageError('no URL given');
  return { req: { ...req, url }, output, serveArgs };
}

function fmtSeconds(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export async function runCapture(args: string[], io: ServeIO): Promise<number> {
  let parsed: ParsedCapture;
  let serve;
  try {
    parsed = parseCaptureArgs(args);
    serve = parseServeArgs(['--port', '0', '--no-samples', ...parsed.serveArgs]);
    resolveCapture(parsed.req); // report URL mistakes before starting anything
  } catch (err) {
    if (err instanceof ServeUsageError || (err instanceof CaptureError && err.code === 'bad-request')) {
      if (err.message) io.err(`pprof-lens capture: ${err.message}\n`);
      io.err(CAPTURE_USAGE);
      if (err instanceof ServeUsageError && !err.message) io.err(SERVE_USAGE);
      return 2;
    }
    throw err;
  }
  const config = serve.opts.config ?? {};
  const target = resolveCapture(parsed.req);
  const server = parsed.output === null ? await startServer({ ...serve.opts, log: (l) => io.err(l + '\n') }) : null;
  let saved: Uint8Array | null = null;
  const manager = new CaptureManager({
    policy: makePolicy(config.shared ?? false, config.allowTargets ?? []),
    maxBytes: config.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    maxInflatedBytes: config.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES,
    async store(bytes, name) {
      if (server) return server.service.storeProfile(bytes, name);
      saved = bytes;
      return { id: '', name };
    },
  });

  io.err(`Fetching profile over HTTP from ${target.url.href}\n`);
  const first = manager.start(parsed.req);
  const onSigint = (): void => void manager.cancel(first.cid);
  process.once('SIGINT', onSigint);
  let ticker: NodeJS.Timeout | null = null;
  if (target.seconds) {
    const end = Date.now() + target.seconds * 1000;
    io.err(`Please wait... (${fmtSeconds(target.seconds)})\n`);
    ticker = setInterval(() => {
      const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      if (left > 0 && left % 10 === 0) io.err(`  ${fmtSeconds(left)} left\n`);
    }, 1000);
  }
  const status = await manager.wait(first.cid);
  if (ticker) clearInterval(ticker);
  process.removeListener('SIGINT', onSigint);

  if (status.state !== 'done') {
    io.err(`pprof-lens capture: ${status.error ?? status.state}\n`);
    await server?.close();
    return status.state === 'cancelled' ? 130 : 1;
  }
  if (parsed.output !== null) {
    await writeFile(parsed.output, saved!);
    io.out(`Saved profile to ${parsed.output}\n`);
    return 0;
  }
  const link = `${server!.url}${status.result!.url}`;
  io.out(`Serving web UI on ${link}\n`);
  tryOpenBrowser(link);
  return new Promise((resolve) => {
    const stop = (): void => {
      server!.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
