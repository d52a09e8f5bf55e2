// The differential flame tree against `go tool pprof -top -nodefraction=0 -diff_base`
// printed in exact base units: for every function, the tree's self values (new - base)
// summed over its frames equal pprof's flat, and its outermost frames' deltas equal cum.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import type { Profile } from '../../server/src/model/profile.js';
import { computeDiffFlameGraph } from '../../server/src/report/diff-flame.js';
import type { DiffFlameNode } from '../../contract/diff.js';
import { diffCases, optionsFor, refPath } from './diff-references.js';

function load(path: string): Profile {
  return decodeProfile(new Uint8Array(readFileSync(path)));
}

interface ExactRow {
  flat: number;
  cum: number;
}

/** Parses `-top` text whose values are plain integers with an optional unit suffix. */
function parseExactTop(text: string): Map<string, ExactRow> {
  const rows = new Map<string, ExactRow>();
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s+flat\s+flat%/.test(l));
  expect(start).toBeGreaterThan(0);
  for (const line of lines.slice(start + 1)) {
    if (!line.trim()) continue;
    const m = /^\s*(-?\d+)[A-Za-z]*\s+\S+\s+\S+\s+(-?\d+)[A-Za-z]*\s+\S+\s\s(.*?)( \((?:partial-)?inline\))?$/.exec(line);
    expect(m, line).not.toBeNull();
    rows.set(m![3]!, { flat: Number(m![1]), cum: Number(m![2]) });
  }
  return rows;
}

function collect(n: DiffFlameNode, ancestors: Set<string>, flat: Map<string, number>, cum: Map<string, number>): void {
  for (const c of n.children) {
    flat.set(c.name, (flat.get(c.name) ?? 0) + c.self - c.baseSelf);
    if (!ancestors.has(c.name)) cum.set(c.name, (cum.get(c.name) ?? 0) + c.delta);
    const next = new Set(ancestors);
    next.add(c.name);
    collect(c, next, flat, cum);
  }
}

// The tree's frames are function names, so compare with pprof's functions granularity.
const cases = diffCases().filter((c) => !c.error && !c.name.endsWith('.addresses'));

describe('differential flame tree agrees with pprof -diff_base', () => {
  for (const c of cases) {
    for (const out of c.outputs.filter((o) => /^diff_base\.si_.*\.exact\.top\.txt$/.test(o))) {
      const { q } = optionsFor(out)!;
      it(`${c.name} ${out}`, () => {
        const want = parseExactTop(readFileSync(refPath(c, out), 'utf8'));
        const g = computeDiffFlameGraph(load(c.newer), load(c.base), q, { mode: 'diff_base', minFraction: 0 });
        expect(g.droppedNodes).toBe(0);
        const flat = new Map<string, number>();
        const cum = new Map<string, number>();
        collect(g.root, new Set(), flat, cum);
        // Every pprof row is in the tree with the same flat and cum ...
        for (const [name, row] of want) {
          expect({ name, flat: flat.get(name) ?? 0, cum: cum.get(name) ?? 0 }).toEqual({ name, ...row });
        }
        // ... and every frame with a non-zero change is a pprof row.
        for (const [name, v] of cum) if (v !== 0) expect(want.has(name), name).toBe(true);
        // Width is the new profile, and vanished frames stay with value 0.
        expect(g.root.value).toBe(g.root.children.reduce((a, k) => a + k.value, 0) + g.root.self);
        expect(g.root.delta).toBe(g.root.value - g.root.base);
      });
    }
  }

  it('vanished frames are present with value 0 and their base value', () => {
    const c = cases.find((k) => k.name.startsWith('go.heap'))!;
    const g = computeDiffFlameGraph(load(c.newer), load(c.base), { sampleIndex: 'alloc_space' }, { mode: 'diff_base', minFraction: 0 });
    const vanished: DiffFlameNode[] = [];
    const walk = (n: DiffFlameNode) => {
      if (n.value === 0 && n.base !== 0) vanished.push(n);
      n.children.forEach(walk);
    };
    walk(g.root);
    expect(vanished.length).toBeGreaterThan(0);
    for (const v of vanished) expect(v.delta).toBe(-v.base);
  });

  it('pruning keeps totals and counts what it dropped', () => {
    const c = cases.find((k) => k.name.startsWith('go.cpu'))!;
    const full = computeDiffFlameGraph(load(c.newer), load(c.base), {}, { mode: 'diff_base', minFraction: 0 });
    const pruned = computeDiffFlameGraph(load(c.newer), load(c.base), {}, { mode: 'diff_base', minFraction: 0.05 });
    expect(pruned.root.value).toBe(full.root.value);
    expect(pruned.root.base).toBe(full.root.base);
    expect(pruned.droppedNodes).toBeGreaterThan(0);
    const sub = computeDiffFlameGraph(
      load(c.newer),
      load(c.base),
      {},
      { mode: 'diff_base', minFraction: 0, path: [full.root.children[0]!.name] },
    );
    expect(sub.root.value).toBe(full.root.children[0]!.value);
  });
});
