// The sandwich's numbers against pprof's own: its root is the function's cum (-top's cum
// column, recursion counted once), and for a function that never recurses its first-level
// callers and callees are -peek's caller and callee edges with the same weights.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProfileFile } from '../../server/src/cli/load.js';
import { computePeek, computeSandwich, computeTop } from '../../server/src/report/index.js';
import type { FlameNode } from '../../contract/views.js';
import { ROOT } from './engine-references.js';

const level1 = (n: FlameNode): [string, number][] =>
  n.children.map((c): [string, number] => [c.name, c.value]).sort((a, b) => (a[0] < b[0] ? -1 : 1));

describe.each([
  ['cpu/cpu.pb.gz', 25],
  ['growslice/allocs.pb.gz', 25],
  ['largeheap/heap.pb.gz', 6],
])('sandwich of %s', (file, rows) => {
  const p = readProfileFile(path.join(ROOT, 'samples', file));
  const top = computeTop(p, {}, { nodeFraction: 0 });

  it('has the cum of every function as its root value', () => {
    for (const row of top.rows.slice(0, rows)) {
      const s = computeSandwich(p, {}, row.name, { minFraction: 0 });
      expect(s.found).toBe(true);
      expect(s.cum, row.name).toBe(row.cum);
      expect(s.callers.value).toBe(row.cum);
      expect(s.callees.value).toBe(row.cum);
      expect(s.flat).toBe(row.flat);
    }
  });

  it("matches -peek's callers and callees for functions that do not recurse", () => {
    let checked = 0;
    for (const row of top.rows.slice(0, rows)) {
      const peek = computePeek(p, {}, `^${row.name.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}$`);
      const e = peek.entries[0];
      const s = computeSandwich(p, {}, row.name, { minFraction: 0 });
      const recursive = (n: FlameNode): boolean => n.children.some((c) => c.name === row.name || recursive(c));
      if (recursive(s.callees)) continue;
      checked++;
      const byName = (xs: { name: string; weight: number }[]): [string, number][] =>
        xs.map((x): [string, number] => [x.name, x.weight]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      expect(level1(s.callers), row.name).toEqual(byName(e.callers));
      expect(level1(s.callees), row.name).toEqual(byName(e.callees));
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('answers found=false for a name the profile lacks', () => {
    const s = computeSandwich(p, {}, 'no.such.function');
    expect(s.found).toBe(false);
    expect(s.callers.children).toEqual([]);
  });
});
