// The differential top table, line by line, against `go tool pprof -top -diff_base` /
// `-base` (with -normalize, -cum, -nodefraction=0, -unit and every -sample_index), and
// the per-row base/new values against each side on its own.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import type { Profile } from '../../server/src/model/profile.js';
import type { Query } from '../../contract/query.js';
import { computeDiffTop } from '../../server/src/report/diff.js';
import type { DiffOptions } from '../../contract/diff.js';
import { formatTopText } from '../../server/src/report/index.js';
import { diffCases, optionsFor, refPath, ROOT } from './diff-references.js';

function load(path: string): Profile {
  return decodeProfile(new Uint8Array(readFileSync(path)));
}

const cases = diffCases().filter((c) => !c.error);

describe('computeDiffTop prints exactly what go tool pprof prints', () => {
  for (const c of cases) {
    for (const out of c.outputs) {
      const o = optionsFor(out, c.name);
      if (!o) continue;
      it(`${c.name} ${out}`, () => {
        const want = readFileSync(refPath(c, out), 'utf8');
        const report = computeDiffTop(load(c.newer), load(c.base), o.q, o.opts);
        expect(formatTopText(report).split('\n')).toEqual(want.split('\n'));
        for (const r of report.rows) {
          expect(r.newFlat - r.baseFlat, r.name).toBe(r.flat);
          expect(r.newCum - r.baseCum, r.name).toBe(r.cum);
        }
      });
    }
  }
});

describe('rows carry both sides', () => {
  it('vanished and appeared functions are rows, with 0 on the missing side', () => {
    const c = cases.find((k) => k.name.startsWith('go.heap'))!;
    const r = computeDiffTop(load(c.newer), load(c.base), { sampleIndex: 'alloc_space' }, { mode: 'diff_base', nodeFraction: 0 });
    expect(r.rows.some((x) => x.newCum === 0 && x.baseCum !== 0)).toBe(true);
    expect(r.rows.some((x) => x.baseCum === 0 && x.newCum !== 0)).toBe(true);
    // diff_base percentages are relative to the base total.
    expect(r.total).toBe(r.baseTotal);
  });
});

// The research corpus's own pprof outputs for diffs (generated/cli/diff__*, made with a
// newer google/pprof; these have no Time line). -drop_negative is not supported here.
const CORPUS = resolve(ROOT, 'tests/fixtures/corpus/google-pprof');
const SMALL = join(CORPUS, 'internal/driver/testdata/cppbench.small.contention');
const FULL = join(CORPUS, 'profile/testdata/cppbench.contention');
const SYN = join(CORPUS, 'generated/synthetic');
const GOLDENS: [string, string, string, DiffOptions, Query][] = [
  ['diff__cppbench.contention.base_small.top.addresses.txt', FULL, SMALL, { mode: 'base' }, { granularity: 'addresses' }],
  ['diff__cppbench.contention.diff_base_small.top.addresses.txt', FULL, SMALL, { mode: 'diff_base' }, { granularity: 'addresses' }],
  [
    'diff__cppbench.contention.diff_base_small.normalize.top.addresses.txt',
    FULL,
    SMALL,
    { mode: 'diff_base', normalize: true },
    { granularity: 'addresses' },
  ],
  ['diff__cppbench.small.contention.diff_base_full.top.addresses.txt', SMALL, FULL, { mode: 'diff_base' }, { granularity: 'addresses' }],
  [
    'diff__synthetic.cpu.diff_base_long_name_funcs.top.txt',
    join(SYN, 'cpu.pb.gz'),
    join(SYN, 'long_name_funcs.pb.gz'),
    { mode: 'diff_base' },
    {},
  ],
  ['diff__synthetic.long_name_funcs.base_cpu.top.txt', join(SYN, 'long_name_funcs.pb.gz'), join(SYN, 'cpu.pb.gz'), { mode: 'base' }, {}],
  [
    'diff__synthetic.long_name_funcs.diff_base_cpu.top.txt',
    join(SYN, 'long_name_funcs.pb.gz'),
    join(SYN, 'cpu.pb.gz'),
    { mode: 'diff_base' },
    {},
  ],
];

describe('corpus diff goldens (generated/cli/diff__*)', () => {
  for (const [file, newer, base, opts, q] of GOLDENS) {
    it(file, () => {
      const want = readFileSync(join(CORPUS, 'generated/cli', file), 'utf8');
      expect(formatTopText(computeDiffTop(load(newer), load(base), q, opts)).split('\n')).toEqual(want.split('\n'));
    });
  }
});

// Rows whose flat is non-zero while their cum nets to zero (a leaf in one profile, only a
// caller in the other): pprof prints them, with -diff_base and -base alike.
describe('zero-cum rows', () => {
  const ZERO_CUM = /^\s*(-?[\d.]+[a-zµA-Z]*)\s+\S+%\s+\S+%\s+0\s+0%\s+(.*)$/;
  const withZeroCum = cases.flatMap((c) =>
    c.outputs
      .filter((o) => optionsFor(o, c.name))
      .map((o) => ({
        c,
        o,
        rows: readFileSync(refPath(c, o), 'utf8')
          .split('\n')
          .filter((l) => ZERO_CUM.test(l) && !/^\s*0\s/.test(l)),
      }))
      .filter((x) => x.rows.length > 0),
  );

  it('the references hold such rows for -diff_base and -base pairs', () => {
    expect(withZeroCum.some((x) => x.o.startsWith('diff_base'))).toBe(true);
    expect(withZeroCum.some((x) => x.o.startsWith('base'))).toBe(true);
  });

  for (const { c, o, rows } of withZeroCum.filter((x) => /^(diff_base|base)\.top\.txt$/.test(x.o))) {
    it(`${c.name} ${o}: every row pprof prints with cum 0, in pprof's place`, () => {
      const { q, opts } = optionsFor(o, c.name)!;
      const report = computeDiffTop(load(c.newer), load(c.base), q, opts);
      const names = rows.map((l) => ZERO_CUM.exec(l)![2]!.replace(/ \((?:partial-)?inline\)$/, ''));
      const ours = report.rows.filter((r) => r.cum === 0 && r.flat !== 0).map((r) => r.name);
      expect(ours).toEqual(names);
      // Each side's own values are there too: the row is a leaf on one side only.
      for (const r of report.rows.filter((x) => x.cum === 0 && x.flat !== 0)) expect(r.newCum).toBe(r.baseCum);
    });
  }
});
