// Issue 17: the web's filter banner and units, against go tool pprof (tests/.references,
// scripts/make-references.sh). The banner's "Showing nodes accounting for X, Y% of Z total"
// takes X = TopReport.kept from the header's one-row request: it must equal what
// `go tool pprof -top -nodefraction=0` prints for the same filters. The web views format
// values in TopReport.displayUnit: every row of pprof's default `-top` must read the same.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../server/src/cli/flags.js';
import { loadMerged } from '../../server/src/cli/load.js';
import { computeTop } from '../../server/src/report/index.js';
import { keptSentence, percentage, scaledLabel } from '../../contract/format.js';
import { ROOT, loadManifest, type RefCase } from './engine-references.js';

const SHOWING = /^Showing nodes accounting for (\S+), (\S+) of (\S+) total$/m;

let cases: RefCase[] = [];
let loadError: Error | null = null;
try {
  cases = loadManifest().cases.filter((c) => c.mode === 'top' && c.rc === 0);
} catch (e) {
  loadError = e as Error;
}

function engine(c: RefCase, extra: string[] = []) {
  const f = parseFlags([...c.args.filter((a) => !a.startsWith('-nodefraction')), ...extra, path.resolve(ROOT, c.input)]);
  return { p: loadMerged(f.positional), query: f.query };
}

describe('filter banner: what the filters kept equals go tool pprof -nodefraction=0', () => {
  const banner = cases.filter((c) => /_nf0$/.test(c.name));
  it('has references with filters', () => {
    if (loadError) throw loadError;
    expect(banner.length).toBeGreaterThan(40);
  });
  for (const c of banner) {
    it(`${c.slug} ${c.args.join(' ')}`, () => {
      const m = SHOWING.exec(readFileSync(path.join(ROOT, c.expected), 'utf8'));
      expect(m, 'pprof prints the Showing line').not.toBeNull();
      const { p, query } = engine(c);
      // What the page header asks for: one row, every node (the API's default), the filters.
      const head = computeTop(p, query, { nodeFraction: 0, nodeCount: 1 });
      // pprof's unit for this report, to read its figures with.
      const unit = computeTop(p, query, { nodeFraction: 0 }).unit;
      const st = head.sampleType.unit;
      expect(scaledLabel(head.kept, st, unit)).toBe(m![1]);
      expect(percentage(head.kept, head.total).trim()).toBe(m![2]);
      expect(scaledLabel(head.total, st, unit)).toBe(m![3]);
      // The banner's sentence is pprof's, in the display unit.
      expect(keptSentence(head)).toMatch(SHOWING);
    });
  }
});

describe("display unit: the web's rows read as go tool pprof -top's default output", () => {
  const defaults = cases.filter((c) => c.name === 'top' || c.name === 'focus_main' || c.name === 'hide_runtime');
  it('has references', () => {
    if (loadError) throw loadError;
    expect(defaults.length).toBeGreaterThan(40);
  });
  let changed = 0;
  for (const c of defaults) {
    it(`${c.slug} ${c.name}`, () => {
      const text = readFileSync(path.join(ROOT, c.expected), 'utf8');
      const { p, query } = engine(c);
      // The web's table: every row (-nodefraction=0), formatted in displayUnit.
      const web = computeTop(p, query, { nodeFraction: 0 });
      const byName = new Map(web.rows.map((r) => [r.inline ? `${r.name} ${r.inline}` : r.name, r]));
      const st = web.sampleType.unit;
      const rows = text.split('\n').filter((l) => /^ *\S+ +\S+% +\S+% +\S+ +\S+% {2}/.test(l));
      for (const line of rows.slice(0, 50)) {
        const [flat, , , cum] = line.trim().split(/ +/);
        const name = line.replace(/^ *\S+ +\S+% +\S+% +\S+ +\S+% {2}/, '');
        const r = byName.get(name);
        expect(r, name).toBeDefined();
        expect(scaledLabel(r!.flat, st, web.displayUnit), name).toBe(flat);
        expect(scaledLabel(r!.cum, st, web.displayUnit), name).toBe(cum);
      }
      if (web.displayUnit !== web.unit) changed++;
    });
  }
  it('differs from the every-row unit somewhere (the heap case of the issue)', () => {
    if (defaults.length) expect(changed).toBeGreaterThan(0);
  });
});
