// Harness for the web UI browser tests and the browser bench: builds the bundle into a
// temp dir, starts the real server on a random port with a temp store, launches the
// Debian Chromium through playwright-core, and encodes hostile profiles.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs/minimal.js';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/src/http/server.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SHOTS = join(ROOT, 'tests', '.screenshots');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Harness {
  base: string;
  server: RunningServer;
  browser: Browser;
  newContext(opts?: { dark?: boolean; width?: number; height?: number }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** vite build into a private directory (a concurrent build may be replacing dist/web meanwhile). */
export function buildWeb(outDir: string): void {
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

export async function startHarness(): Promise<Harness> {
  const tmp = mkdtempSync(join(tmpdir(), 'pprof-lens-web-'));
  const webRoot = join(tmp, 'web');
  buildWeb(webRoot);
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    store: { backend: 'fs', dir: join(tmp, 'data') },
    samplesDir: null,
    webRoot,
    log: () => undefined,
  });
  // chromium.launch gives every run a fresh temporary user-data-dir (removed on close).
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(SHOTS, { recursive: true });
  return {
    base: server.url.replace(/\/$/, ''),
    server,
    browser,
    newContext: (opts = {}) =>
      browser.newContext({
        viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 },
        colorScheme: opts.dark ? ('dark' as const) : ('light' as const),
      }),
    async close() {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export function sampleBytes(rel: string): Buffer {
  return readFileSync(join(ROOT, 'samples', rel));
}

export async function uploadBytes(base: string, bytes: Uint8Array, name: string): Promise<string> {
  const res = await fetch(`${base}/api/profiles?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    body: Buffer.from(bytes),
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export interface SynthSample {
  /** Function names, leaf first. */
  stack: string[];
  values: number[];
  label?: [string, string];
}

/**
 * Encode a pprof Profile by hand with protobufjs's Writer (profile.proto field numbers):
 * one location and one function per distinct name, gzip'd like Go writes it.
 */
export function encodeProfile(p: {
  sampleTypes: [string, string][];
  samples: SynthSample[];
  fileOf?: (fn: string) => string;
  comment?: string;
}): Uint8Array {
  const strings = [''];
  const index = new Map<string, number>([['', 0]]);
  const s = (v: string) => {
    let i = index.get(v);
    if (i === undefined) {
      i = strings.push(v) - 1;
      index.set(v, i);
    }
    return i;
  };
  const w = protobuf.Writer.create();
  const vt = (type: string, unit: string) => {
    const x = protobuf.Writer.create();
    x.uint32((1 << 3) | 0).int64(s(type));
    x.uint32((2 << 3) | 0).int64(s(unit));
    return x.finish();
  };
  for (const [t, u] of p.sampleTypes) w.uint32((1 << 3) | 2).bytes(vt(t, u));
  const fnIds = new Map<string, number>();
  const idOf = (name: string) => {
    let id = fnIds.get(name);
    if (id === undefined) {
      id = fnIds.size + 1;
      fnIds.set(name, id);
    }
    return id;
  };
  for (const smp of p.samples) {
    const x = protobuf.Writer.create();
    x.uint32((1 << 3) | 2).fork();
    for (const name of smp.stack) x.uint64(idOf(name));
    x.ldelim();
    x.uint32((2 << 3) | 2).fork();
    for (const v of smp.values) x.int64(v);
    x.ldelim();
    if (smp.label) {
      const lb = protobuf.Writer.create();
      lb.uint32((1 << 3) | 0).int64(s(smp.label[0]));
      lb.uint32((2 << 3) | 0).int64(s(smp.label[1]));
      x.uint32((3 << 3) | 2).bytes(lb.finish());
    }
    w.uint32((2 << 3) | 2).bytes(x.finish());
  }
  for (const [name, id] of fnIds) {
    const loc = protobuf.Writer.create();
    loc.uint32((1 << 3) | 0).uint64(id);
    loc.uint32((3 << 3) | 0).uint64(0x1000 + id * 16);
    const line = protobuf.Writer.create();
    line.uint32((1 << 3) | 0).uint64(id);
    line.uint32((2 << 3) | 0).int64(10 + (id % 90));
    loc.uint32((4 << 3) | 2).bytes(line.finish());
    w.uint32((4 << 3) | 2).bytes(loc.finish());
    void name;
  }
  for (const [name, id] of fnIds) {
    const fn = protobuf.Writer.create();
    fn.uint32((1 << 3) | 0).uint64(id);
    fn.uint32((2 << 3) | 0).int64(s(name));
    fn.uint32((3 << 3) | 0).int64(s(name));
    fn.uint32((4 << 3) | 0).int64(s(p.fileOf ? p.fileOf(name) : 'main.go'));
    fn.uint32((5 << 3) | 0).int64(1);
    w.uint32((5 << 3) | 2).bytes(fn.finish());
  }
  const commentIdx = p.comment ? s(p.comment) : -1;
  const period = vt(p.sampleTypes[p.sampleTypes.length - 1]![0], p.sampleTypes[p.sampleTypes.length - 1]![1]);
  // string_table (6) must hold every index used so far, in order.
  for (const str of strings) w.uint32((6 << 3) | 2).string(str);
  w.uint32((9 << 3) | 0).int64(1700000000000000000);
  w.uint32((10 << 3) | 0).int64(1000000000);
  w.uint32((11 << 3) | 2).bytes(period);
  w.uint32((12 << 3) | 0).int64(10000000);
  if (commentIdx >= 0)
    w.uint32((13 << 3) | 2)
      .fork()
      .int64(commentIdx)
      .ldelim();
  return gzipSync(w.finish());
}

/** Function names, file names, labels and a comment that are HTML/script payloads. */
export function hostileProfile(): Uint8Array {
  const files: Record<string, string> = { 'main.<img src=x onerror=alert(1)>': '"><svg onload=alert(3)>.go', 'runtime.main': 'proc.go' };
  return encodeProfile({
    sampleTypes: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    samples: [
      {
        stack: ['main.<img src=x onerror=alert(1)>', 'main.main', 'runtime.main'],
        values: [30, 300000000],
        label: ['<b>key</b>', '<i onmouseover=alert(4)>v</i>'],
      },
      { stack: ['main.<script>alert(2)</script>', 'main.main', 'runtime.main'], values: [10, 100000000] },
      { stack: ['main.main', 'runtime.main'], values: [5, 50000000] },
    ],
    fileOf: (fn) => files[fn] ?? 'main.go',
    comment: '<img src=y onerror=alert(5)> comment',
  });
}

/** A CPU profile with `n` distinct leaf functions (a top table of n+2 rows). */
export function manyFunctionsProfile(n: number): Uint8Array {
  const samples: SynthSample[] = [];
  for (let i = 0; i < n; i++) {
    const v = 1 + ((i * 7919) % 997);
    samples.push({ stack: [`example.com/gen/pkg${i % 40}.Func${i}`, 'main.main', 'runtime.main'], values: [v, v * 10000000] });
  }
  return encodeProfile({
    sampleTypes: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    samples,
  });
}
