// Every `-dot` case recorded from go tool pprof (scripts/make-references.sh): our call
// graph must select the same nodes in the same order, with the same flat/cum, the same
// edges with the same weights, inline and residual marks, the same legend, and the
// visual encoding pprof writes (font size, pen width, layout weight, colours).
// Edge order is pprof's (|weight| desc, then names); ties are compared as a set.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDot } from './dot-parse.js';
import { loadManifest, ROOT, type RefCase } from './engine-references.js';
import { ourDot } from './graph-compare.js';

process.env.TZ = 'UTC';

let cases: RefCase[] = [];
let loadError: Error | null = null;
try {
  cases = loadManifest().cases.filter((c) => c.mode === 'dot');
} catch (e) {
  loadError = e as Error;
}

describe('call graph matches go tool pprof -dot', () => {
  it('has references', () => {
    if (loadError) throw loadError;
    expect(cases.length).toBeGreaterThan(100);
  });
  const bySlug = new Map<string, RefCase[]>();
  for (const c of cases) bySlug.set(c.slug, [...(bySlug.get(c.slug) ?? []), c]);
  for (const [slug, list] of bySlug) {
    describe(slug, () => {
      for (const c of list) {
        it(`${c.name} ${c.args.join(' ')}`, () => {
          let ours: ReturnType<typeof ourDot> | null = null;
          let error: string | undefined;
          try {
            ours = ourDot(ROOT, c.args, c.input);
          } catch (e) {
            error = (e as Error).message;
          }
          if (c.rc !== 0) {
            expect(error, 'pprof failed, so must we').toBeTruthy();
            return;
          }
          expect(error).toBeUndefined();
          const theirs = parseDot(readFileSync(path.join(ROOT, c.expected), 'utf8'));
          expect(theirs.nodes.length + theirs.legend.length, 'parsed the DOT output').toBeGreaterThan(0);
          expect(ours!.legend).toEqual(theirs.legend);
          expect(ours!.nodes).toEqual(theirs.nodes);
          // Edges as a set: pprof collects them from Go maps, so edges whose weight and both
          // names tie come out in either order. An edge to "N0" is pprof writing an edge to a
          // node it dropped from the graph (flat and cum both 0, seen with -mean): not drawn.
          const key = (e: object): string => JSON.stringify(e);
          const edgeSet = (g: ReturnType<typeof parseDot>): string[] =>
            g.edges
              .filter((e) => e.from !== 0 && e.to !== 0)
              .map(key)
              .sort();
          const oursEdges = ours!.edges.map(key).sort();
          if (JSON.stringify(oursEdges) !== JSON.stringify(edgeSet(theirs))) {
            // pprof drops redundant residual edges in an order that depends on Go's map
            // iteration, so on a few graphs its edge set varies from run to run (seen:
            // graph-go1.22-cpu -files, 1 run in 12). Ours must then equal one of its outputs.
            const other = pprofRuns(c, 12).find((g) => JSON.stringify(edgeSet(g)) === JSON.stringify(oursEdges));
            if (other) {
              expect(ours!.nodes).toEqual(other.nodes);
              return;
            }
          }
          expect(oursEdges).toEqual(edgeSet(theirs));
        });
      }
    });
  }
});

let goBin: string | null = null;

/** `go tool pprof -dot` run again on a case, `times` times, as scripts/make-references.sh runs it. */
function pprofRuns(c: RefCase, times: number): ReturnType<typeof parseDot>[] {
  goBin ??= execFileSync('bash', [path.join(ROOT, 'scripts/ensure-go.sh')], { encoding: 'utf8' }).trim();
  const home = mkdtempSync(path.join(tmpdir(), 'pprof-dot-'));
  try {
    const env = { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC', PPROF_TMPDIR: home };
    const args = ['tool', 'pprof', '-dot', '-symbolize=none', ...c.args, c.input];
    return Array.from({ length: times }, () =>
      parseDot(execFileSync(goBin!, args, { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })),
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
