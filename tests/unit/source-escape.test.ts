// The -m / -m=2 parser on the samples' REAL escape.txt (and on -m output produced by
// the installed Go), and the listing annotation on real profiles. Expected positions are
// found in the programs' source text, not copied by hand.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import { computeSourceListing, prepareProfile } from '../../server/src/report/index.js';
import { annotateListing, sourceHint } from '../../server/src/source/annotate.js';
import { classifyEscape, decisionsAt, matchEscapeFile, parseEscapeOutput, type EscapeDecision } from '../../server/src/source/escape.js';
import { findGoBinary } from '../../server/src/source/go-env.js';
import { bundledEscapeReport, createSourceReader } from '../../server/src/source/index.js';

const SAMPLES = resolve('samples');
const programs = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((e) => e.isDirectory() && readdirSync(join(SAMPLES, e.name)).includes('escape.txt'))
  .map((e) => e.name);
const escapeText = (prog: string): string => readFileSync(join(SAMPLES, prog, 'escape.txt'), 'utf8');
const fileOf = (prog: string): string => `example.com/samples/${prog}/main.go`;

/** 1-based line of the first source line of a sample containing `needle`. */
function lineOf(prog: string, needle: string): number {
  const lines = readFileSync(join(SAMPLES, prog, 'main.go'), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  expect(i, `${needle} in ${prog}/main.go`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

const at = (prog: string, line: number): EscapeDecision[] => decisionsAt(parseEscapeOutput(escapeText(prog)), fileOf(prog), line);

describe('escape output parser', () => {
  it('finds every sample program with its escape.txt', () => {
    expect(programs).toEqual(expect.arrayContaining(['cpu', 'sprintf', 'concat', 'growslice', 'mapgrow', 'boxing', 'pointers', 'tuned']));
  });

  it.each(programs)('keeps every decision of %s/escape.txt, with a chain for each explanation block', (prog) => {
    const text = escapeText(prog);
    const report = parseEscapeOutput(text);
    // Independent scan: summary lines (not indented, not ending in ':') and explanation heads.
    // A head with no later summary at its position (e.g. "func literal escapes to heap:" of a
    // go statement) stands as a decision of its own.
    const summaries = new Set<string>();
    const heads = new Set<string>();
    const open = new Map<string, string[]>();
    for (const l of text.split('\n')) {
      const m = /^(.+?):(\d+):(\d+): (.*)$/.exec(l);
      if (!m || /^\s/.test(m[4])) continue;
      const pos = `${m[1]}:${m[2]}:${m[3]}`;
      if (m[4].endsWith(':')) {
        heads.add(pos);
        open.set(pos, [...(open.get(pos) ?? []), m[4].slice(0, -1)]);
      } else {
        summaries.add(`${pos}|${m[4]}`);
        open.delete(pos);
      }
    }
    for (const [pos, msgs] of open) for (const msg of msgs) summaries.add(`${pos}|${msg}`);
    expect(summaries.size).toBeGreaterThan(0);
    expect(report.count).toBe(summaries.size);
    expect([...report.files.keys()]).toEqual([fileOf(prog)]);
    // Every explanation head ends up as the chain of a decision at its position.
    const byPos = new Map<string, EscapeDecision[]>();
    for (const [line, ds] of report.files.get(fileOf(prog))!)
      for (const d of ds) byPos.set(`${fileOf(prog)}:${line}:${d.col}`, [...(byPos.get(`${fileOf(prog)}:${line}:${d.col}`) ?? []), d]);
    for (const h of heads)
      expect(
        byPos.get(h)?.some((d) => d.chain && d.chain.length > 1),
        h,
      ).toBe(true);
  });

  it('classifies inlining decisions (cpu)', () => {
    const rotl = at('cpu', lineOf('cpu', 'func rotl('));
    expect(rotl.map((d) => d.kind)).toContain('can-inline');
    expect(rotl.find((d) => d.kind === 'can-inline')!.message).toMatch(/^can inline rotl with cost \d+/);
    const walk = at('cpu', lineOf('cpu', 'func walk('));
    expect(walk.map((d) => d.kind)).toEqual(expect.arrayContaining(['cannot-inline', 'does-not-escape']));
    const inl = at('cpu', lineOf('cpu', 'h = mix(h, v)'));
    expect(inl.filter((d) => d.kind === 'inlining-call').map((d) => d.message)).toEqual(['inlining call to mix', 'inlining call to rotl']);
  });

  it('attaches the -m=2 flow chain to "escapes to heap" (cpu build)', () => {
    const ds = at('cpu', lineOf('cpu', 'return &node{'));
    const esc = ds.find((d) => d.kind === 'escapes')!;
    expect(esc.message).toBe('&node{...} escapes to heap');
    expect(esc.chain![0]).toBe('&node{...} escapes to heap');
    expect(esc.chain!.some((s) => s.startsWith('flow: '))).toBe(true);
    expect(esc.chain!.some((s) => /^from return &node\{\.\.\.\} \(return\) at example\.com\/samples\/cpu\/main\.go:\d+:\d+$/.test(s))).toBe(
      true,
    );
  });

  it('reads "moved to heap" with its reason (gcpressure)', () => {
    const ds = at('gcpressure', lineOf('gcpressure', 'v := float64(line * i)'));
    const moved = ds.find((d) => d.kind === 'moved-to-heap')!;
    expect(moved.message).toBe('moved to heap: v');
    expect(moved.chain![0]).toBe('v escapes to heap');
  });

  it('reads leaking params with several explanation blocks (contention, goroutines)', () => {
    const rec = at('contention', lineOf('contention', 'func (s *stats) record('));
    const leak = rec.find((d) => d.kind === 'leaking-param')!;
    expect(leak.message).toBe('leaking param: s');
    expect(leak.chain![0]).toBe('parameter s leaks to {heap} with derefs=0');
    const pool = at('goroutines', lineOf('goroutines', 'func startPool('));
    const wg = pool.find((d) => d.message === 'leaking param: wg')!;
    // Two heads (to {heap} and to the closure) precede this one summary.
    expect(wg.chain!.filter((s) => s.startsWith('parameter wg leaks to'))).toHaveLength(2);
  });

  it('finds the boxing allocations at the observe(money{...}) call and the inlined record call', () => {
    const ds = at('boxing', lineOf('boxing', 'observe(money{'));
    expect(ds.some((d) => d.kind === 'escapes' && d.message === 'money{...} escapes to heap' && d.chain)).toBe(true);
    const rec = at('boxing', lineOf('boxing', 'r := record(i)'));
    expect(rec.some((d) => d.kind === 'inlining-call' && d.message === 'inlining call to record')).toBe(true);
    expect(rec.filter((d) => d.kind === 'escapes').length).toBeGreaterThanOrEqual(3);
  });

  it('parses plain -m output from the installed Go (no chains)', () => {
    const go = findGoBinary();
    expect(go, 'Go must be installed (scripts/ensure-go.sh)').not.toBeNull();
    // -m writes to stderr; the shell folds it into stdout (a failed build throws).
    const out = execFileSync('sh', ['-c', `"$GO" build -trimpath -gcflags=-m -o /dev/null . 2>&1`], {
      cwd: join(SAMPLES, 'boxing'),
      env: { ...process.env, GO: go!, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
      encoding: 'utf8',
    });
    const report = parseEscapeOutput(out);
    const diag = out.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l));
    expect(report.count).toBe(new Set(diag).size);
    const all = [...report.files.get(fileOf('boxing'))!.values()].flat();
    expect(all.every((d) => d.chain === undefined)).toBe(true);
    const rec = decisionsAt(report, fileOf('boxing'), lineOf('boxing', 'observe(money{'));
    expect(rec.some((d) => d.kind === 'escapes')).toBe(true);
  });

  it('classifies messages', () => {
    expect(classifyEscape('x does not escape')).toBe('does-not-escape');
    expect(classifyEscape('... argument does not escape')).toBe('does-not-escape');
    expect(classifyEscape('leaking param content: docs')).toBe('leaking-param');
    expect(classifyEscape('devirtualizing r.Read to *bytes.Reader')).toBe('devirtualized');
    expect(classifyEscape('main capturing by value: x (addr=false assign=false width=8)')).toBe('other');
  });

  it('matches compiler file names to profile file names', () => {
    const all = bundledEscapeReport()!;
    expect(matchEscapeFile(all, 'example.com/samples/cpu/main.go')).toBe('example.com/samples/cpu/main.go');
    // Profile written without -trimpath on some machine: longest component suffix.
    expect(matchEscapeFile(all, '/home/dev/samples/cpu/main.go')).toBe('example.com/samples/cpu/main.go');
    // Base name alone is ambiguous across the samples.
    expect(matchEscapeFile(all, '/elsewhere/main.go')).toBeNull();
    const local = parseEscapeOutput('./main.go:3:6: can inline f\n');
    expect(matchEscapeFile(local, '/abs/path/app/main.go')).toBe('main.go');
  });
});

describe('escape decisions in source listings', () => {
  const listing = async (prog: string, file: string, fn: string, si: string) => {
    const p = prepareProfile(decodeProfile(readFileSync(join(SAMPLES, prog, file))));
    const reader = await createSourceReader('t', { sourcePaths: [], trimPaths: [] }, { getAttachment: async () => null });
    return computeSourceListing(p, { sampleIndex: si }, fn, reader);
  };

  it('marks allocating lines that escape in an allocs profile (sprintf)', async () => {
    const l = await listing('sprintf', 'allocs.pb.gz', '^main\\.keyFor$', 'alloc_space');
    const a = annotateListing(l, bundledEscapeReport(), { exactOnly: true, source: 'samples' });
    const r = a.routines.find((x) => x.function === 'main.keyFor')!;
    expect(r.escapeFile).toBe(fileOf('sprintf'));
    const call = r.lines.find((x) => x.line === lineOf('sprintf', 'return fmt.Sprintf('))!;
    expect(call.flat).toBeGreaterThan(0);
    expect(call.escapeMarker).toBe(true);
    expect(call.escape!.some((d) => d.kind === 'escapes')).toBe(true);
    const decl = r.lines.find((x) => x.line === lineOf('sprintf', 'func keyFor('))!;
    expect(decl.escape!.some((d) => d.kind === 'can-inline')).toBe(true);
    expect(decl.escapeMarker).toBeUndefined();
    expect(a.escapeSource).toBe('samples');
  });

  it('adds decisions but no markers to a CPU listing', async () => {
    const l = await listing('cpu', 'cpu.pb.gz', '^main\\.walk$', '');
    const a = annotateListing(l, bundledEscapeReport(), { exactOnly: true });
    const lines = a.routines.flatMap((r) => r.lines);
    expect(lines.some((x) => x.escape)).toBe(true);
    expect(lines.some((x) => x.escapeMarker)).toBe(false);
  });

  it('uses exact names only for the bundled data, and words the missing-file hint', async () => {
    const l = await listing('sprintf', 'allocs.pb.gz', '^main\\.keyFor$', 'alloc_space');
    const renamed = {
      ...l,
      routines: l.routines.map((r) => ({ ...r, file: '/tmp/x/sprintf/main.go', missing: { tried: ['/tmp/x'], hint: '' } })),
    };
    const a = annotateListing(renamed, bundledEscapeReport(), { exactOnly: true, hint: sourceHint(true, 'abc') });
    expect(a.routines.every((r) => r.lines.every((x) => x.escape === undefined))).toBe(true);
    expect(a.routines[0].missing!.hint).toMatch(/\/api\/profiles\/abc\/sources/);
    expect(a.routines[0].missing!.hint).not.toMatch(/--source-path/);
    expect(sourceHint(false, 'abc')).toMatch(/--source-path/);
  });
});
