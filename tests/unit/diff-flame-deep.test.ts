// A stack of 100,000 frames through the differential flame tree and its JSON text:
// nothing in the path recurses (issue 12: 8,000+ frames answered "Maximum call stack
// size exceeded"). The profiles are built in memory: one function per frame.
import { describe, expect, it } from 'vitest';
import { computeDiffFlameGraph } from '../../server/src/report/diff-flame.js';
import type { DiffFlameNode } from '../../contract/diff.js';
import { diffFlameJson } from '../../server/src/workers/feature-ops.js';
import { deepProfile, DEPTH } from './deep-stack.js';

describe('differential flame tree of a 100,000-frame stack', () => {
  const newer = deepProfile([{ depth: DEPTH, value: 3 }]);
  const base = deepProfile([{ depth: DEPTH / 2, value: 5 }]);

  it('builds every level with both sides, iteratively', () => {
    const g = computeDiffFlameGraph(newer, base, {}, { mode: 'diff_base', minFraction: 0 });
    let n: DiffFlameNode = g.root;
    let depth = 0;
    let branching = 0;
    while (n.children.length > 0) {
      if (n.children.length !== 1) branching++;
      n = n.children[0]!;
      depth++;
      if (depth === DEPTH / 2) expect({ value: n.value, base: n.base, baseSelf: n.baseSelf }).toEqual({ value: 3, base: 5, baseSelf: 5 });
      if (depth === DEPTH / 2 + 1) expect({ value: n.value, base: n.base }).toEqual({ value: 3, base: 0 });
    }
    expect([depth, branching]).toEqual([DEPTH, 0]);
    expect({ name: n.name, self: n.self, delta: n.delta }).toEqual({ name: `main.f${DEPTH - 1}`, self: 3, delta: 3 });
  });

  it('writes its JSON and the text parses back to the same tree', () => {
    const text = diffFlameJson('new', 'base', newer, base, {}, { mode: 'diff_base', minFraction: 0 });
    const body = JSON.parse(text) as { id: string; base: string; root: DiffFlameNode; newTotal: number };
    expect([body.id, body.base, body.newTotal]).toEqual(['new', 'base', 3]);
    let n = body.root;
    let depth = 0;
    while (n.children.length > 0) {
      n = n.children[0]!;
      depth++;
    }
    expect([depth, n.name, n.value]).toEqual([DEPTH, `main.f${DEPTH - 1}`, 3]);
  });

  it('answers a zoom path deep in the stack', () => {
    const path = Array.from({ length: DEPTH - 2 }, (_, i) => `main.f${i}`);
    const g = computeDiffFlameGraph(newer, base, {}, { mode: 'diff_base', minFraction: 0, path });
    expect(g.root.name).toBe(`main.f${DEPTH - 3}`);
    expect(g.root.children[0]!.children[0]!.name).toBe(`main.f${DEPTH - 1}`);
  });
});
