// The differential top table, line by line, against `go tool pprof -top -diff_base` /
// `-base` (with -normalize, -cum, -nodefraction=0, -unit and every -sample_index), and
// the per-row base/new values against each side on its own.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import type { Profile } from '../../server/src/model/profile.js';
import { computeDiffTop } from '../../server/src/report/diff.js';
import { formatTopText } from '../../server/src/report/index.js';
import { diffCases, optionsFor, refPath } from './diff-references.js';

function load(path: string): Profile {
  return decodeProfile(new Uint8Array(readFileSync(path)));
}

const cases = diffCases().filter((c) => !c.error);

describe('computeDiffTop prints exactly what go tool pprof prints', () => {
  for (const c of cases) {
    for (const out of c.outputs) {
      const o = optionsFor(out);
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
