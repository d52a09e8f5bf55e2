// The pruning flame tree builder (server/src/analysis/flame-tree.ts, behind
// computeFlameGraph) against the previous builder kept as an oracle
// (tests/unit/flame-oracle.ts: the full call tree, then pruned), on synthetic profiles
// from scripts/gen-profile.ts in both shapes.
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import type { Profile } from '../../server/src/model/profile.js';
import type { Query } from '../../contract/query.js';
import type { FlameGraph, FlameNode } from '../../contract/views.js';
import { computeFlameGraph, flameGraphJson, prepareProfile } from '../../server/src/report/index.js';
import { flameStacks } from '../../server/src/report/flame.js';
import { generateProfile, type ProfileShape } from '../../scripts/gen-profile.js';
import { oracleFlameGraph } from './flame-oracle.js';
import { buildFlameTree, stackPrefix, type FlameTree, type StackInput, type TreeOptions } from '../../server/src/analysis/flame-tree.js';
import { sharedGraph } from '../../server/src/report/pipeline.js';

function gen(shape: ProfileShape, samples: number, seed = 7): Profile {
  return prepareProfile(decodeProfile(generateProfile({ samples, shape, seed, functions: 400 })));
}

/** The oracle's graph as the new builder reports it (droppedNodes at the cut). */
function oracle(p: Profile, q: Query, opts: { minFraction?: number; path?: string[] }): FlameGraph {
  const g = oracleFlameGraph(p, q, opts) as FlameGraph & { allDroppedNodes?: number };
  delete g.allDroppedNodes;
  return g;
}

function walk(n: FlameNode, f: (n: FlameNode, path: string[]) => void): void {
  const stack: [FlameNode, string[]][] = [[n, []]];
  while (stack.length) {
    const [x, ps] = stack.pop()!;
    f(x, ps);
    for (const c of x.children) stack.push([c, [...ps, c.name]]);
  }
}

const profiles = {
  realistic: gen('realistic', 2500),
  worst: gen('worst', 2500),
};

describe('pruning flame tree builder', () => {
  for (const [shape, p] of Object.entries(profiles)) {
    for (const minFraction of [0, 0.001, 0.005, 0.02]) {
      it(`${shape}, minFraction ${minFraction}: frames, values and pruned sums equal the full tree's`, () => {
        const got = computeFlameGraph(p, {}, { minFraction });
        const want = oracle(p, {}, { minFraction });
        expect(got).toEqual(want);
        let pruned = 0;
        walk(got.root, (n) => (pruned += n.prunedCount ?? 0));
        expect(got.droppedNodes).toBe(pruned);
        if (minFraction >= 0.005) expect(pruned).toBeGreaterThan(0);
      });
    }
  }

  const queries: [string, Query][] = [
    ['focus', { focus: 'Method1[0-9]' }],
    ['ignore + hide', { ignore: 'Method2', hide: 'inl' }],
    ['lines', { granularity: 'lines' }],
    ['noinlines', { noInlines: true }],
    ['samples type', { sampleIndex: 'samples' }],
  ];
  for (const [name, q] of queries) {
    it(`query ${name}: equal to the full tree's`, () => {
      expect(computeFlameGraph(profiles.realistic, q, { minFraction: 0.002 })).toEqual(
        oracle(profiles.realistic, q, { minFraction: 0.002 }),
      );
    });
  }

  it("a pruned frame's subtree, fetched by path, equals the same subtree of the unpruned tree", () => {
    for (const p of Object.values(profiles)) {
      const pruned = computeFlameGraph(p, {}, { minFraction: 0.01 });
      const full = oracle(p, {}, { minFraction: 0 });
      // The node a path resolves to: the first same-named child at each step.
      const resolve = (path: string[]): FlameNode => {
        let n = full.root;
        for (const name of path) n = n.children.find((c) => c.name === name)!;
        return n;
      };
      // Paths (from the root's child) of frames the pruned view left out.
      const targets: string[][] = [];
      const visit = (n: FlameNode, ps: string[]): void => {
        if (targets.length >= 4) return;
        if (n.prunedCount) {
          const kept = new Set(n.children.map((c) => c.name));
          for (const c of resolve(ps).children) if (!kept.has(c.name) && c.children.length > 0) targets.push([...ps, c.name]);
        }
        for (const c of n.children) visit(c, [...ps, c.name]);
      };
      visit(pruned.root, []);
      expect(targets.length).toBeGreaterThan(0);
      for (const path of targets.slice(0, 4)) {
        const want = resolve(path);
        const sub = computeFlameGraph(p, {}, { minFraction: 0, path });
        expect(sub.root).toEqual(want);
        // pruned relative to the zoomed frame: same as the oracle's
        expect(computeFlameGraph(p, {}, { minFraction: 0.05, path })).toEqual(oracle(p, {}, { minFraction: 0.05, path }));
      }
    }
  });

  it("a zoom started from the last whole tree's samples equals one walked from the root", () => {
    for (const shape of ['realistic', 'worst'] as const) {
      // Two decodes of one profile: the first has a whole tree (and its index) to start
      // from, the second has none and follows the path from the root.
      const indexed = gen(shape, 2500);
      const fresh = gen(shape, 2500);
      const g = computeFlameGraph(indexed, {}, { minFraction: 0.001 });
      const paths: string[][] = [];
      walk(g.root, (_n, ps) => {
        if (ps.length > 0) paths.push(ps);
      });
      expect(paths.length).toBeGreaterThan(4);
      const step = Math.max(1, Math.floor(paths.length / 16));
      for (let i = 0; i < paths.length; i += step) {
        const path = paths[i];
        const minFraction = i === 0 ? 0 : 0.01;
        expect(computeFlameGraph(indexed, {}, { minFraction, path })).toEqual(computeFlameGraph(fresh, {}, { minFraction, path }));
      }
      // A path through a pruned frame goes on from its parent's samples.
      expect(() => computeFlameGraph(indexed, {}, { path: [...paths[0], 'no such frame'] })).toThrow(/path not found/);
    }
  });

  it('a path that does not exist is a query error', () => {
    expect(() => computeFlameGraph(profiles.worst, {}, { path: ['runtime.goexit', 'no such frame'] })).toThrow(/path not found/);
  });

  it('builds and serialises a 30,000-frame stack without recursion (tests/api/huge-profiles.test.ts: 100,000 over HTTP)', () => {
    const p = prepareProfile(
      decodeProfile(generateProfile({ samples: 2, shape: 'worst', minDepth: 30_000, maxDepth: 30_000, functions: 1000 })),
    );
    const g = computeFlameGraph(p, {}, {});
    let depth = 0;
    let n = g.root;
    while (n.children.length > 0) {
      n = n.children[0];
      depth++;
    }
    // 30,000 frames, plus the inlined helper lines of every 8th location
    expect(depth).toBeGreaterThanOrEqual(30_000);
    const text = flameGraphJson(g);
    expect(text.startsWith('{"sampleType":')).toBe(true);
    const back = JSON.parse(text) as FlameGraph;
    expect(back.total).toBe(g.total);
    expect(back.root.value).toBe(g.root.value);
  });

  it('flameGraphJson writes what JSON.stringify writes', () => {
    const g = computeFlameGraph(profiles.realistic, {}, { minFraction: 0.01 });
    expect(JSON.parse(flameGraphJson(g))).toEqual(JSON.parse(JSON.stringify(g)));
  });
});

describe('stack prefix (the top levels read in sample order)', () => {
  /** The flame input as report/flame.ts builds it, without its prefix. */
  function stacks(p: Profile, q: Query): StackInput {
    const { pr, table } = sharedGraph(p, q, { values: false });
    return flameStacks(pr, table);
  }
  const options = (minFraction: number): TreeOptions => ({
    wide: (root) => (c, i) => !(Math.abs(c.sums[0][i]) < Math.abs(root[0]) * minFraction),
    compare: (c, i, j) => Math.abs(c.sums[0][j]) - Math.abs(c.sums[0][i]),
  });
  /** Every column of the tree, flattened (typed arrays compared in one go: the trees are large). */
  const columns = (t: FlameTree): Float64Array => {
    const cols: ArrayLike<number>[] = [t.key, t.parent, t.value[0], t.self[0], t.prunedCount, t.prunedValue[0], t.firstChild, t.childCount];
    const ix = t.index;
    if (ix) cols.push(ix.lo, ix.hi, ix.depth, ix.rank, ix.prunedOff, ix.prunedKey, ix.prunedRank);
    const out: number[] = [t.size];
    for (const c of cols)
      for (let i = 0; i < Math.min(c.length, c === ix?.prunedOff || c === ix?.prunedKey || c === ix?.prunedRank ? c.length : t.size); i++)
        out.push(c[i]);
    return Float64Array.from(out);
  };
  const same = (a: FlameTree, b: FlameTree): boolean => Buffer.from(columns(a).buffer).equals(Buffer.from(columns(b).buffer));

  for (const shape of ['realistic', 'worst'] as const) {
    it(`${shape}: trees and zooms are the same with a prefix of any depth`, () => {
      // Short stacks too (depth 1-12), so some samples end inside the prefix.
      const short = prepareProfile(
        decodeProfile(generateProfile({ samples: 1500, shape, seed: 5, functions: 200, minDepth: 1, maxDepth: 12 })),
      );
      for (const p of [profiles[shape], short]) {
        const input = stacks(p, { granularity: 'filefunctions' });
        for (const minFraction of p === short ? [0.0002, 0.005] : [0.001, 0.005]) {
          const want = buildFlameTree(input, { ...options(minFraction), index: true });
          // A zoom target: the deepest node (the worst shape's tree is shallow).
          let node = 0;
          for (let i = 1; i < want.size; i++) if (want.index!.depth[i] > want.index!.depth[node]) node = i;
          expect(node).toBeGreaterThan(0);
          const from = {
            samples: want.index!.order.slice(want.index!.lo[node], want.index!.hi[node]).sort(),
            depth: want.index!.depth[node],
            key: want.key[node],
          };
          const zoomWant = buildFlameTree(input, { ...options(minFraction), from });
          expect(want.size).toBeGreaterThan(5);
          for (const depth of [2, 8, 13]) {
            const withPrefix = { ...input, prefix: stackPrefix(input, depth) };
            expect(same(buildFlameTree(withPrefix, { ...options(minFraction), index: true }), want)).toBe(true);
            expect(same(buildFlameTree(withPrefix, { ...options(minFraction), from }), zoomWant)).toBe(true);
          }
        }
      }
    });
  }
});
