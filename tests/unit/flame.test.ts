// Flame tree invariants on real profiles, and consistency with the top report
// (whose rows are checked against go tool pprof in top-references.test.ts).
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import type { Profile } from '../../server/src/model/profile.js';
import type { FlameNode } from '../../contract/views.js';
import { computeFlameGraph, computeTop, prepareProfile, resolveSampleIndex } from '../../server/src/report/index.js';
import { ROOT } from './engine-references.js';

const CPU = path.join(ROOT, 'samples/cpu/cpu.pb.gz');
const HEAP = path.join(ROOT, 'samples/largeheap/heap.pb.gz');
const LARGE = path.resolve(ROOT, '../shared/corpus/google-pprof/internal/proftest/testdata/large.cpu');
const UNSYM = path.resolve(ROOT, '../shared/corpus/google-pprof/internal/driver/testdata/cppbench.cpu_no_samples_type');

const load = (f: string): Profile => decodeProfile(readFileSync(f));

function walk(n: FlameNode, fn: (n: FlameNode, parents: FlameNode[]) => void, parents: FlameNode[] = []): void {
  fn(n, parents);
  for (const c of n.children) walk(c, fn, [...parents, n]);
}

function sumOfSamples(p: Profile, si?: string): number {
  const pp = prepareProfile(p);
  const idx = resolveSampleIndex(pp, si);
  return pp.sample.reduce((a, s) => a + s.value[idx], 0);
}

describe('flame graph tree', () => {
  for (const f of [CPU, LARGE]) {
    it(`${path.basename(f)}: values add up at every node (value = self + children + pruned)`, () => {
      expect(existsSync(f), f).toBe(true);
      const p = load(f);
      for (const minFraction of [0, 0.001, 0.05]) {
        const g = computeFlameGraph(p, {}, { minFraction });
        expect(g.root.name).toBe('root');
        expect(g.root.value).toBe(sumOfSamples(p));
        const bad: string[] = [];
        walk(g.root, (n) => {
          const kids = n.children.reduce((a, c) => a + c.value, 0);
          if (Math.abs(n.self + kids + (n.prunedValue ?? 0) - n.value) > 1e-6 * Math.max(1, Math.abs(n.value))) bad.push(n.name);
        });
        expect(bad).toEqual([]);
        if (minFraction === 0) expect(g.droppedNodes).toBe(0);
      }
    });
  }

  it('pruning keeps values and drops only frames below the threshold', () => {
    const p = load(LARGE);
    const full = computeFlameGraph(p, {}, { minFraction: 0 });
    const pruned = computeFlameGraph(p, {}, { minFraction: 0.01 });
    expect(pruned.droppedNodes).toBeGreaterThan(0);
    const byPath = new Map<string, number>();
    walk(full.root, (n, ps) => byPath.set([...ps.map((x) => x.name), n.name].join(';'), n.value));
    let kept = 0;
    let prunedCount = 0;
    const bad: string[] = [];
    walk(pruned.root, (n, ps) => {
      kept++;
      prunedCount += n.prunedCount ?? 0;
      const key = [...ps.map((x) => x.name), n.name].join(';');
      if (byPath.get(key) !== n.value) bad.push(`value changed: ${key}`);
      if (ps.length > 0 && Math.abs(n.value) < 0.01 * Math.abs(pruned.root.value)) bad.push(`too narrow: ${key}`);
    });
    expect(bad).toEqual([]);
    // droppedNodes counts the pruned children (the frames below them are never expanded)
    expect(pruned.droppedNodes).toBe(prunedCount);
    expect(prunedCount).toBeGreaterThan(0);
    expect(kept).toBeLessThan(byPath.size);
  });

  it('path returns the subtree at full detail, pruned relative to it', () => {
    const p = load(LARGE);
    const top = computeFlameGraph(p, {}, { minFraction: 0.01 });
    // descend along the widest children to a node that has pruned children
    // a frame with a child too narrow for the whole-profile view but wide enough
    // relative to that frame: its subtree view must show the child
    const whole = computeFlameGraph(p, {}, { minFraction: 0 });
    const rootAbs = Math.abs(whole.root.value);
    let pathNames: string[] = [];
    let n = top.root;
    let childName = '';
    walk(whole.root, (x, ps) => {
      if (pathNames.length || ps.length === 0) return;
      const c = x.children.find((y) => Math.abs(y.value) >= 0.01 * Math.abs(x.value) && Math.abs(y.value) < 0.01 * rootAbs);
      if (!c) return;
      const names = [...ps.slice(1).map((y) => y.name), x.name];
      // the first same-named sibling is the one a path resolves to
      let cur = whole.root;
      for (const nm of names) cur = cur.children.find((y) => y.name === nm)!;
      if (cur !== x) return;
      pathNames = names;
      n = x;
      childName = c.name;
    });
    expect(pathNames.length).toBeGreaterThan(0);
    const sub = computeFlameGraph(p, {}, { minFraction: 0.01, path: pathNames });
    expect(sub.root.name).toBe(pathNames[pathNames.length - 1]);
    expect(sub.root.value).toBe(n.value);
    expect(sub.root.children.map((c) => c.name)).toContain(childName);
    const full = computeFlameGraph(p, {}, { minFraction: 0, path: pathNames });
    expect(full.root.value).toBe(n.value);
    let narrow = 0;
    walk(sub.root, (x, ps) => {
      if (ps.length > 0 && Math.abs(x.value) < 0.01 * Math.abs(sub.root.value)) narrow++;
    });
    expect(narrow).toBe(0);
    expect(() => computeFlameGraph(p, {}, { path: ['no such frame'] })).toThrow(/path/);
  });

  it('a function cum equals the sum of its outermost flame frames (top cum, checked against pprof)', () => {
    const p = load(CPU);
    const g = computeFlameGraph(p, { noInlines: false }, { minFraction: 0 });
    const outer = new Map<string, number>();
    walk(g.root, (n, ps) => {
      if (ps.length === 0 || ps.some((x) => x.name === n.name)) return;
      outer.set(n.name, (outer.get(n.name) ?? 0) + n.value);
    });
    const top = computeTop(p, {}, { nodeFraction: 0 });
    expect(top.rows.length).toBeGreaterThan(5);
    for (const r of top.rows) expect(outer.get(r.name), r.name).toBe(r.cum);
    expect(g.total).toBe(top.total);
  });

  it('unsymbolized profiles render as root only, like pprof web flame graph', () => {
    const p = load(UNSYM);
    const g = computeFlameGraph(p, {}, {});
    expect(g.root.children).toEqual([]);
    expect(g.root.self).toBe(g.root.value);
    expect(g.root.value).toBe(sumOfSamples(p));
  });

  it('filters apply: focus keeps only matching stacks', () => {
    const p = load(HEAP);
    const all = computeFlameGraph(p, {}, {});
    const f = computeFlameGraph(p, { focus: 'main\\.f0' }, { minFraction: 0 });
    expect(f.root.value).toBeLessThan(all.root.value);
    expect(f.total).toBe(all.total);
    const top = computeTop(p, { focus: 'main\\.f0' }, { nodeFraction: 0 });
    expect(f.root.value).toBe(top.rows.find((r) => r.name === 'main.f0')?.cum);
  });
});
