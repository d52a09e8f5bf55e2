// Views of one (profile, filters) share their front half (server/src/report/pipeline.ts
// sharedQuery / sharedGraph): the filtered samples, node tables and node values, and an
// untrimmed top table's inline labels come from the node-value walk (graph.ts accumulate
// with inEdgesOf) instead of a second pass (edges.ts inlineLabels). These check that the
// shortcuts give what the separate passes give, and that no view's output depends on
// which views of the same profile were computed before it.
import { describe, expect, it } from 'vitest';
import type { Query } from '../../contract/query.js';
import { decodeProfile } from '../../server/src/decode/index.js';
import type { Profile } from '../../server/src/model/profile.js';
import {
  computeCallGraph,
  computeFlameGraph,
  computePeek,
  computeTop,
  flameGraphJson,
  prepareProfile,
  prepareTop,
  topRows,
} from '../../server/src/report/index.js';
import { prepareQuery, sharedGraph, sharedQuery } from '../../server/src/report/pipeline.js';
import { accumulate, buildNodeTable, type NodeInfo, type NodeTable } from '../../server/src/analysis/graph.js';
import { buildEdges, inlineCandidates, inlineLabels, labelsFromEdges } from '../../server/src/analysis/edges.js';
import type { Granularity } from '../../contract/query.js';
import { generateProfile, type ProfileShape } from '../../scripts/gen-profile.js';
import { oracleFlameGraph } from './flame-oracle.js';

const bytes = {
  realistic: generateProfile({ samples: 2000, shape: 'realistic', seed: 3, functions: 300 }),
  worst: generateProfile({ samples: 2000, shape: 'worst', seed: 3, functions: 300 }),
};
const fresh = (shape: ProfileShape): Profile => prepareProfile(decodeProfile(bytes[shape]));

const GRANULARITIES: Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

function total(v: Float64Array): number {
  let t = 0;
  for (const x of v) t += Math.abs(x);
  return t;
}

describe('inline labels from the node-value walk', () => {
  for (const shape of ['realistic', 'worst'] as const) {
    const p = fresh(shape);
    for (const q of [{}, { mean: true }, { focus: 'Method1' }] as Query[]) {
      for (const granularity of GRANULARITIES) {
        for (const noInlines of [false, true]) {
          it(`${shape} ${JSON.stringify(q)} ${granularity}${noInlines ? ' noinlines' : ''}: labels and values equal the separate passes'`, () => {
            const pr = prepareQuery(p, q);
            const t: NodeTable = buildNodeTable(pr.work, { granularity, noInlines });
            const plain = accumulate(pr.work, t, pr.sv);
            const cand = inlineCandidates(t);
            const folded = accumulate(pr.work, t, pr.sv, cand);
            expect(folded.flat).toEqual(plain.flat);
            expect(folded.cum).toEqual(plain.cum);
            expect(folded.cumDiv).toEqual(plain.cumDiv);
            const n = t.infos.length;
            if (!cand) {
              expect(noInlines || granularity === 'files').toBe(true);
              return;
            }
            const tv = total(plain.flat);
            let labelled = 0;
            for (const cutoff of [0, Math.trunc(tv * 0.0001), Math.trunc(tv * 0.001), Math.trunc(tv * 0.01)]) {
              const got = labelsFromEdges(folded.inEdges!, n, cutoff);
              expect(got).toEqual(inlineLabels(pr.work, t, pr.sv, null, cutoff));
              // The pass bounded by the nodes' cum (edges under the cutoff not recorded).
              expect(inlineLabels(pr.work, t, pr.sv, null, cutoff, undefined, plain.cum)).toEqual(got);
              for (const l of got) if (l > 0) labelled++;
            }
            // The generated profiles inline a call at every 8th location: labels exist.
            if (!noInlines) expect(labelled).toBeGreaterThan(0);
          });
        }
      }
    }
  }

  it('a graph of fewer than two kept nodes has no edges, so no labels', () => {
    const p = fresh('realistic');
    const pr = prepareQuery(p, {});
    const t = buildNodeTable(pr.work, { granularity: 'functions', noInlines: false });
    const { cum } = accumulate(pr.work, t, pr.sv);
    const byCum = [...cum.keys()].sort((a, b) => cum[b] - cum[a]);
    let labelled = 0;
    for (const size of [1, 2, 10, 40, 200]) {
      const kept = new Uint8Array(t.infos.length);
      for (const i of byCum.slice(0, size)) kept[i] = 1;
      const cand = inlineCandidates(t)!;
      const want = labelsFromEdges(buildEdges(pr.work, t, pr.sv, { kept, marked: cand, mode: 'into' }), t.infos.length, 0);
      expect(inlineLabels(pr.work, t, pr.sv, kept, 0)).toEqual(want);
      // Trimmed graphs with a cutoff, with and without the cum bound.
      const tv = total(cum);
      for (const cutoff of [Math.trunc(tv * 0.001), Math.trunc(tv * 0.01)]) {
        const bounded = inlineLabels(pr.work, t, pr.sv, kept, cutoff, undefined, cum);
        const edges = buildEdges(pr.work, t, pr.sv, { kept, marked: cand, mode: 'into' });
        expect(bounded).toEqual(labelsFromEdges(edges, t.infos.length, cutoff));
        for (const l of bounded) if (l > 0) labelled++;
      }
    }
    expect(labelled).toBeGreaterThan(0);
  });

  it('an untrimmed top table labels its pages as the whole table does', () => {
    const p = fresh('realistic');
    const opts = { nodeFraction: 0, nodeCount: 0 };
    const whole = computeTop(p, {}, opts);
    expect(whole.rows.some((r) => r.inline !== '')).toBe(true);
    const t = prepareTop(fresh('realistic'), {}, opts);
    for (let off = 0; off < whole.rows.length; off += 37) {
      expect(topRows(t, off, 37).rows).toEqual(whole.rows.slice(off, off + 37));
    }
  });
});

describe('views of one profile share their front half', () => {
  it('one prepared query per set of filters, whatever the granularity', () => {
    const p = fresh('worst');
    const a = sharedQuery(p, {});
    expect(sharedQuery(p, { granularity: 'lines', noInlines: true })).toBe(a);
    expect(sharedQuery(p, { sampleIndex: '', focus: '', mean: false })).toBe(a);
    const f = sharedQuery(p, { focus: 'Method1' });
    expect(f).not.toBe(a);
    expect(sharedQuery(p, { granularity: 'files', focus: 'Method1' })).toBe(f);
    // The same work as an unshared prepareQuery.
    const own = prepareQuery(p, { focus: 'Method1' });
    expect(f.work.n).toBe(own.work.n);
    expect(f.sv.v).toEqual(own.sv.v);
    expect(f.total).toBe(own.total);
    // Node values are kept per granularity and computed once.
    const g1 = sharedGraph(p, { granularity: 'filefunctions' }, { values: true });
    expect(sharedGraph(p, { granularity: 'filefunctions' }, { values: true }).values).toBe(g1.values);
    expect(sharedGraph(p, { granularity: 'functions' }, { values: false }).table).not.toBe(g1.table);
  });

  for (const shape of ['realistic', 'worst'] as const) {
    it(`${shape}: flame graph, top, peek and call graph do not depend on the views computed before them`, () => {
      const q: Query = { granularity: 'filefunctions' };
      const alone = {
        flame: flameGraphJson(computeFlameGraph(fresh(shape), q, { minFraction: 0.002 })),
        top: computeTop(fresh(shape), q, { nodeFraction: 0, nodeCount: 0 }),
        header: computeTop(fresh(shape), q, { nodeFraction: 0, nodeCount: 1 }),
        peek: computePeek(fresh(shape), q, 'Method1'),
        graph: computeCallGraph(fresh(shape), q),
      };
      const p = fresh(shape);
      expect(computeTop(p, q, { nodeFraction: 0, nodeCount: 1 })).toEqual(alone.header);
      expect(computePeek(p, q, 'Method1')).toEqual(alone.peek);
      expect(computeCallGraph(p, q)).toEqual(alone.graph);
      expect(flameGraphJson(computeFlameGraph(p, q, { minFraction: 0.002 }))).toBe(alone.flame);
      expect(computeTop(p, q, { nodeFraction: 0, nodeCount: 0 })).toEqual(alone.top);
      // And the flame graph is still the unpruned reference builder's.
      const want = oracleFlameGraph(p, q, { minFraction: 0.002 }) as ReturnType<typeof computeFlameGraph> & { allDroppedNodes?: number };
      delete want.allDroppedNodes;
      expect(computeFlameGraph(p, q, { minFraction: 0.002 })).toEqual(want);
    });
  }
});

describe('an unfiltered query reads the profile’s own sample arrays', () => {
  // makeWork hands out the profile's stack bounds and sample indices without copying them;
  // every filter that rewrites them must copy first (analysis/work.ts ownSamples).
  const snapshot = (q: Query, p: Profile): number[][] => {
    const w = prepareQuery(p, q).work;
    const out: number[][] = [];
    for (let k = 0; k < w.n; k++) out.push([w.sampleIdx[k]!, ...Array.from(w.buf.subarray(w.start[k], w.end[k]))]);
    return out;
  };
  for (const shape of ['realistic', 'worst'] as const) {
    it(`${shape}: filters that cut, drop or rewrite stacks leave the next query's samples as a fresh profile's`, () => {
      const p = fresh(shape);
      const before = snapshot({}, p);
      expect(prepareQuery(p, {}).work.sampleIdx).toBe(prepareQuery(p, {}).work.sampleIdx); // shared, not copied
      const filters: Query[] = [
        { focus: 'Method1' },
        { ignore: 'Method2' },
        { hide: 'Method3' },
        { showFrom: 'Method4' },
        { pruneFrom: 'main\\.main' },
      ];
      for (const q of filters) {
        const fresher = snapshot(q, fresh(shape));
        expect(snapshot(q, p)).toEqual(fresher);
        expect(fresher, JSON.stringify(q)).not.toEqual(before); // the filter did change the samples
        expect(snapshot({}, p)).toEqual(before);
      }
    });
  }
});

describe('a listing builds nodes only for the functions it lists', () => {
  // report/list.ts passes onlyFunctions: the other functions' lines share one elided node.
  // Every listed node must keep the flat and cum it has in the whole graph, also where an
  // inlined callee that is not listed is the innermost line of a leaf location.
  const key = (i: NodeInfo): string => JSON.stringify([i.name, i.file, i.lineno, i.startLine, i.objfile, String(i.address)]);
  for (const shape of ['realistic', 'worst'] as const) {
    for (const pattern of ['Method1', 'Method4$', 'inl', 'main']) {
      it(`${shape} /${pattern}/: listed nodes as in the whole lines graph`, () => {
        const pr = prepareQuery(fresh(shape), {});
        const re = new RegExp(pattern);
        const base = { granularity: 'lines' as const, noInlines: false, objNames: true };
        const whole = buildNodeTable(pr.work, base);
        const part = buildNodeTable(pr.work, { ...base, onlyFunctions: (n) => re.test(n) });
        const wv = accumulate(pr.work, whole, pr.sv);
        const pv = accumulate(pr.work, part, pr.sv);
        const byKey = new Map(whole.infos.map((info, i) => [key(info), i]));
        let listed = 0;
        for (let i = 0; i < part.infos.length; i++) {
          if (i === part.elided) continue;
          const j = byKey.get(key(part.infos[i]!))!;
          expect(j, key(part.infos[i]!)).toBeDefined();
          expect([pv.flat[i], pv.cum[i]]).toEqual([wv.flat[j], wv.cum[j]]);
          if (re.test(part.infos[i]!.name)) listed++;
        }
        expect(listed).toBe(whole.infos.filter((info) => info.name !== '' && re.test(info.name)).length);
        expect(part.infos.length).toBeLessThan(whole.infos.length);
      });
    }
  }
});
