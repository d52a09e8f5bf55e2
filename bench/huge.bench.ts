// Huge profiles (issue 15): synthetic CPU profiles of 100k, 300k and 1M samples in two
// shapes (scripts/gen-profile.ts: realistic prefix sharing, worst case), each through a
// real `pprof-lens serve` process (upload, first flame graph, reopen, zoom into a frame
// with pruned children, top first page and whole table, peak RSS of the server), and
// `pprof-lens top` against `go tool pprof -top` on the same file in the same run.
// Prints figures, not pass/fail; bench/RESULTS.md records them.
//   HUGE_SIZES=100000,300000 npx tsx bench/huge.bench.ts   (default 100000,300000,1000000)
//   HUGE_SHAPES=worst  HUGE_GO=0 (skip go tool pprof)  HUGE_GO_MAX=300000 (go only up to that size)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FlameGraph, FlameNode } from '../contract/views.js';
import { generateProfileGz, type ProfileShape } from '../scripts/gen-profile.js';
import { peakRssMB, root, startServe, timed } from './serve-process.js';

const tmp = path.join(root, 'bench/.tmp/huge');
mkdirSync(tmp, { recursive: true });
const sizes = (process.env.HUGE_SIZES ?? '100000,300000,1000000').split(',').map(Number);
const shapes = (process.env.HUGE_SHAPES ?? 'realistic,worst').split(',') as ProfileShape[];
const withGo = process.env.HUGE_GO !== '0';
/** go tool pprof only up to this many samples (it needs minutes per file on a loaded machine). */
const goMax = Number(process.env.HUGE_GO_MAX ?? Infinity);
/** What the page asks for first: its flame graph (pprof's filefunctions, half a pixel of a 1920 px window) and the header's total. */
const PAGE_FLAME = 'granularity=filefunctions&minFraction=0.00026';

function input(shape: ProfileShape, n: number): string {
  const f = path.join(tmp, `${shape}-${n}.pb.gz`);
  if (!existsSync(f)) writeFileSync(f, generateProfileGz({ samples: n, shape, seed: 1 }));
  return f;
}

function findGo(): string | null {
  const r = spawnSync('bash', [path.join(root, 'scripts/ensure-go.sh')], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Wall ms and peak RSS (MB) of a command, through GNU time. */
function measure(cmd: string, args: string[]): { ms: number; rssMB: number; ok: boolean } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', HOME: tmp },
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - t0;
  const lines = r.stderr.trim().split('\n');
  return { ms, rssMB: Number(lines[lines.length - 1]) / 1024, ok: r.status === 0 };
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
}

/** Path (names from the root's child) to the widest frame that has pruned children. */
function prunedFramePath(g: FlameGraph): string[] | null {
  const stack: [FlameNode, string[]][] = g.root.children.map((c) => [c, [c.name]]);
  let best: [number, string[]] | null = null;
  while (stack.length) {
    const [n, p] = stack.pop()!;
    if ((n.prunedCount ?? 0) > 0 && n.children.length + (n.prunedCount ?? 0) > 1 && (!best || Math.abs(n.value) > best[0]))
      best = [Math.abs(n.value), p];
    for (const c of n.children) stack.push([c, [...p, c.name]]);
  }
  return best ? best[1] : null;
}

const f0 = (x: number) => x.toFixed(0);
const go = withGo ? findGo() : null;
const rows: string[] = [];
console.log(`uptime: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
console.log(
  '| shape | samples | gz MB | upload ms | first flame ms | header total ms | reopen ms | zoom ms | top page ms | top all ms (MB) | server peak RSS MB | ours top ms (MB) | go top ms (MB) | speed-up |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const shape of shapes) {
  for (const n of sizes) {
    const file = input(shape, n);
    const bytes = readFileSync(file);
    const srv = await startServe(path.join(tmp, `data-${process.pid}`));
    try {
      const [up, res] = await timed(() =>
        fetch(`${srv.url}/api/profiles`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } }),
      );
      const { id } = (await res.json()) as { id: string };
      const base = `${srv.url}/api/profiles/${id}`;
      // The page's first requests, together: flame graph and header total (top, one row).
      const [[flame, fr], [header]] = await Promise.all([
        timed(() => get(`${base}/flamegraph?${PAGE_FLAME}`)),
        timed(() => get(`${base}/top?n=1`)),
      ]);
      if (fr.status !== 200) throw new Error(`flamegraph ${fr.status}: ${fr.text.slice(0, 200)}`);
      const [reopen] = await timed(() => get(`${base}/flamegraph?${PAGE_FLAME}`));
      const p = prunedFramePath(JSON.parse(fr.text) as FlameGraph);
      const [zoom, zr] = p
        ? await timed(() => get(`${base}/flamegraph?${PAGE_FLAME}&path=${encodeURIComponent(JSON.stringify(p))}`))
        : [NaN, null];
      if (zr && zr.status !== 200) throw new Error(`zoom ${zr.status}`);
      const [page] = await timed(() => get(`${base}/top?offset=0&limit=200`));
      const [all, ar] = await timed(() => get(`${base}/top`));
      const rss = peakRssMB(srv.child.pid!);
      const ours = measure(process.execPath, [path.join(root, 'bin/pprof-lens.mjs'), 'top', '-nodecount=10', file]);
      const theirs = go && n <= goMax ? measure(go, ['tool', 'pprof', '-top', '-nodecount=10', '-symbolize=none', file]) : null;
      const row = [
        shape,
        n,
        (bytes.length / 1048576).toFixed(1),
        f0(up),
        f0(flame),
        f0(header),
        f0(reopen),
        f0(zoom),
        f0(page),
        `${f0(all)} (${(ar.text.length / 1048576).toFixed(1)})`,
        f0(rss),
        `${f0(ours.ms)} (${f0(ours.rssMB)})`,
        theirs ? `${f0(theirs.ms)} (${f0(theirs.rssMB)})` : '-',
        theirs ? `${(theirs.ms / ours.ms).toFixed(1)}x` : '-',
      ];
      rows.push(`| ${row.join(' | ')} |`);
      console.log(rows[rows.length - 1]);
    } finally {
      srv.child.kill();
      rmSync(srv.data, { recursive: true, force: true });
    }
  }
}
console.log(`uptime: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
