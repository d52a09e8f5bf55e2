// Goroutine dumps from real runs (tests/fixtures/goroutines/README.md): every goroutine
// read, grouped as the reviewed <dump>.groups.txt says, the dump read as a goroutine
// profile by the decoder, filters, comparison, and hostile input.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile, ProfileDecodeError } from '../../server/src/decode/index.js';
import { goroutinesView } from '../../server/src/goroutines/index.js';
import { compareGroups, groupGoroutines } from '../../server/src/goroutines/group.js';
import { formatGroups } from '../../server/src/goroutines/format.js';
import { parseGoroutineDump, parseLabelBlock } from '../../server/src/goroutines/parse.js';
import { computeTop } from '../../server/src/report/index.js';
import { computeTags } from '../../server/src/report/tags.js';
import { computeInsights } from '../../server/src/insights/engine.js';
import { ROOT } from './engine-references.js';

const DIR = path.join(ROOT, 'tests/fixtures/goroutines');
const dumps = readdirSync(DIR).filter((f) => f.endsWith('.txt') && !f.endsWith('.groups.txt'));
const text = (f: string): string => readFileSync(path.join(DIR, f), 'utf8');

/** Header lines counted with a plain string scan, independently of the parser. */
function headerCount(t: string): number {
  return t.split('\n').filter((l) => l.startsWith('goroutine ') && l.endsWith(':')).length;
}

describe('goroutine dumps of real runs', () => {
  it('has dumps of several Go versions, debug=2 and panics', () => {
    expect(dumps.filter((f) => /^go1\.\d+\.debug2\.txt$/.test(f)).length).toBeGreaterThanOrEqual(3);
    expect(dumps.filter((f) => /\.panic\.txt$/.test(f)).length).toBeGreaterThanOrEqual(3);
  });
  for (const f of dumps) {
    describe(f, () => {
      const t = text(f);
      const d = parseGoroutineDump(t);
      it('reads every goroutine, each with frames', () => {
        expect(d.goroutines.length).toBe(headerCount(t));
        for (const g of d.goroutines) {
          expect(g.frames.length, `goroutine ${g.id}`).toBeGreaterThan(0);
          expect(g.state).not.toBe('');
        }
        expect(d.skippedLines).toBe(0);
      });
      it('groups as the reviewed expectation', () => {
        const want = text(f.replace(/\.txt$/, '.groups.txt'));
        const got = (d.panic ? `# ${d.panic.split('\n')[0]}\n` : '') + formatGroups(groupGoroutines(d.goroutines));
        expect(got).toBe(want);
      });
      it('decodes as a goroutine profile whose total is the goroutine count', () => {
        const p = decodeProfile(Buffer.from(t));
        expect(p.sampleType).toEqual([{ type: 'goroutine', unit: 'count' }]);
        const top = computeTop(p, {}, { nodeFraction: 0 });
        expect(top.total).toBe(d.goroutines.length);
        const states = computeTags(p, { tagShow: '^state$' });
        expect(states.keys.map((k) => k.key)).toEqual(['state']);
        expect(states.keys[0].total).toBe(d.goroutines.length);
      });
    });
  }
});

describe('what the dumps say', () => {
  it('dumpgen: states, wait minutes, creator, lock, labels frames (Go 1.23)', () => {
    const d = parseGoroutineDump(text('go1.23.debug2.txt'));
    const groups = groupGoroutines(d.goroutines);
    const send = groups.find((g) => g.frames[0].func === 'main.leakySend')!;
    expect(send.count).toBe(20);
    expect(send.state).toBe('chan send');
    expect(send.wait.min).toBeGreaterThanOrEqual(1);
    expect(send.createdBy?.func).toBe('main.main');
    expect(d.goroutines.find((g) => g.frames[0].func === 'main.pinned')?.lockedToThread).toBe(true);
    expect(d.goroutines.find((g) => g.frames.some((fr) => fr.func === 'main.accept'))?.state).toBe('IO wait');
    expect(d.goroutines.filter((g) => g.frames.some((fr) => fr.func === 'runtime/pprof.Do')).length).toBe(5);
    expect(d.goroutines.every((g) => g.createdBy === null || g.creatorGoroutine === 1)).toBe(true);
  });
  it('a panic names its message and the crashing goroutine comes first', () => {
    const d = parseGoroutineDump(text('go1.22.panic.txt'));
    expect(d.panic).toBe('panic: assignment to entry in nil map');
    expect(d.goroutines[0].frames[0].func).toBe('main.crash');
    expect(d.goroutines[0].state).toBe('running');
  });
  it('Go 1.19 dumps say "created by" without the goroutine', () => {
    const d = parseGoroutineDump(text('corpus-go1.19.debug2.txt'));
    const created = d.goroutines.filter((g) => g.createdBy);
    expect(created.length).toBeGreaterThan(100);
    expect(created.every((g) => g.creatorGoroutine === null)).toBe(true);
  });
  it('Go 1.27-style label blocks, flags and quoting', () => {
    const d = parseGoroutineDump(text('go1.27-style.labels.txt'));
    const byId = new Map(d.goroutines.map((g) => [g.id, g]));
    expect(byId.get(21)!.labels).toEqual({ job: 'sync', tenant: 'acme' });
    expect(byId.get(21)!.waitMinutes).toBe(3);
    expect(byId.get(30)!.labels).toEqual({ 'odd key': 'quote " and \\ and é', worker: '7' });
    expect(byId.get(30)!.lockedToThread).toBe(true);
    expect(byId.get(30)!.waitMinutes).toBe(12);
    expect(byId.get(31)!.state).toBe('chan send');
    expect(byId.get(31)!.labels).toEqual({});
    expect(parseLabelBlock('{a: "x", b: y}')).toEqual({ a: 'x', b: 'y' });
  });
});

describe('filters and comparison', () => {
  const d = parseGoroutineDump(text('go1.23.debug2.txt'));
  const p = decodeProfile(Buffer.from(text('go1.23.debug2.txt')));
  it('filters by state, minimum wait, creator and label', () => {
    expect(goroutinesView(p, { state: 'chan send' }).matched).toBe(20);
    expect(goroutinesView(p, { minWait: 1 }).matched).toBe(d.goroutines.filter((g) => g.waitMinutes >= 1).length);
    expect(goroutinesView(p, { minWait: 1000 }).matched).toBe(0);
    expect(goroutinesView(p, { creator: /^main\.main$/ }).matched).toBe(
      d.goroutines.filter((g) => g.createdBy?.func === 'main.main').length,
    );
    const labelled = goroutinesView(decodeProfile(Buffer.from(text('go1.27-style.labels.txt'))), { label: 'tenant=acme' });
    expect(labelled.matched).toBe(2);
    expect(labelled.groups[0].labels.tenant).toEqual({ acme: 2 });
  });
  it('tagfocus on the dump profile selects by state', () => {
    const top = computeTop(p, { tagFocus: 'state=^chan send$' }, { nodeFraction: 0 });
    expect(top.rows.find((r) => r.name === 'main.leakySend')?.flat).toBe(20);
    expect(top.rows.reduce((a, r) => a + r.flat, 0)).toBe(20);
  });
  it('compare: the group that grew comes first', () => {
    // "before": the same dump with 15 of the 20 chan-send goroutines cut out
    const blocks = text('go1.23.debug2.txt').split('\n\n');
    let cut = 0;
    const before = blocks.filter((b) => !(b.includes('main.leakySend') && cut++ < 15)).join('\n\n');
    const deltas = compareGroups(groupGoroutines(parseGoroutineDump(before).goroutines), groupGoroutines(d.goroutines));
    expect(deltas[0]).toMatchObject({ before: 5, after: 20, delta: 15, state: 'chan send' });
    expect(deltas.slice(1).every((x) => x.delta === 0)).toBe(true);
    const view = goroutinesView(p, {}, decodeProfile(Buffer.from(before)));
    expect(view.compare?.[0].delta).toBe(15);
  });
  it('the leak rule reads state and wait minutes', () => {
    const r = computeInsights(decodeProfile(Buffer.from(text('corpus-go1.26.debug2.txt'))));
    const leak = r.findings.find((f) => f.rule === 'goroutine.leak' && f.title.includes('main.leakSend'));
    expect(leak?.value).toBe(100);
    expect(leak?.title).toContain('chan send');
    // 3 minutes x 12 goroutines in one group: long waits alone make it a finding
    const many = Array.from(
      { length: 12 },
      (_, i) =>
        `goroutine ${i + 10} [chan receive, 15 minutes]:\nmain.wait(...)\n\texample.com/x/main.go:9\ncreated by main.main in goroutine 1\n\texample.com/x/main.go:20 +0x25\n`,
    ).join('\n');
    const r2 = computeInsights(decodeProfile(Buffer.from(many)));
    const f2 = r2.findings.find((f) => f.rule === 'goroutine.leak');
    expect(f2?.confidence).toBe('high');
    expect(f2?.evidence.join('\n')).toContain('waiting 15 minutes');
  });
});

describe('hostile input', () => {
  it('reads what it can and never throws', () => {
    const evil = [
      'goroutine 1 [' + '['.repeat(100000) + ':',
      'goroutine 2 [running] {' + '"'.repeat(50000) + ':',
      'goroutine 3 [running]:',
      'f' + '('.repeat(100000),
      '\t' + ':'.repeat(100000),
      'goroutine 99999999999999999999999 [x]:',
      'created by ' + 'x in goroutine '.repeat(10000),
    ].join('\n');
    const d = parseGoroutineDump(evil);
    expect(d.goroutines.map((g) => g.id)).toEqual([2, 3]);
    expect(d.goroutines[0].labels).toEqual({});
  });
  it('text that is no dump is still refused by the decoder', () => {
    expect(() => decodeProfile(Buffer.from('hello\nworld\n'))).toThrow(ProfileDecodeError);
    expect(() => decodeProfile(Buffer.from('goroutine 1 [running]:\n'))).toThrow(ProfileDecodeError);
  });
});

describe('live capture of a dump', () => {
  it('keeps debug=2 for the goroutine endpoint only', async () => {
    const { resolveCapture } = await import('../../server/src/live/target-url.js');
    expect(resolveCapture({ url: 'http://127.0.0.1:6060/debug/pprof/goroutine?debug=2' }).url.href).toBe(
      'http://127.0.0.1:6060/debug/pprof/goroutine?debug=2',
    );
    expect(resolveCapture({ url: 'http://127.0.0.1:6060/debug/pprof/heap?debug=2' }).url.href).toBe(
      'http://127.0.0.1:6060/debug/pprof/heap',
    );
  });
});

describe('pprof-lens goroutines', () => {
  it('prints the groups, filtered, and the change against a base', async () => {
    const { main } = await import('../../server/src/cli/main.js');
    const run = async (args: string[]) => {
      let out = '';
      let err = '';
      const code = await main(args, { out: (s) => void (out += s), err: (s) => void (err += s) });
      return { code, out, err };
    };
    const f = path.join(DIR, 'go1.22.debug2.txt');
    const all = await run(['goroutines', f]);
    expect(all.code).toBe(0);
    expect(all.out).toBe(`58 of 58 goroutines in 14 groups\n${text('go1.22.debug2.groups.txt')}`);
    const sel = await run(['goroutines', '-state=chan send', '-min_wait', '1', '-creator=^main\\.main$', f]);
    expect(sel.out.split('\n')[0]).toBe('20 of 58 goroutines in 1 groups');
    const cmp = await run(['goroutines', '-base', f, f]);
    expect(
      cmp.out
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .every((l) => l.startsWith('+0\t')),
    ).toBe(true);
    expect((await run(['goroutines', '-min_wait=x', f])).code).toBe(2);
  });
});

describe('crash messages', () => {
  it('keeps nested panics and the signal line, not the goroutines', () => {
    const t =
      'panic: first [recovered]\n\tpanic: second\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x45a1b2]\n\ngoroutine 1 [running]:\nmain.main()\n\t/x/main.go:5 +0x1d\nexit status 2\n';
    const d = parseGoroutineDump(t);
    expect(d.panic).toBe(
      'panic: first [recovered]\n\tpanic: second\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x45a1b2]',
    );
    expect(d.goroutines.map((g) => [g.id, g.frames[0].func])).toEqual([[1, 'main.main']]);
  });
});
