// Our call graph for a `go tool pprof -dot` case, in the parsed DOT's terms, so a test
// can require the same nodes (in pprof's order), edges, weights, marks and styling.
import path from 'node:path';
import { parseFlags } from '../../server/src/cli/flags.js';
import { readProfileFile } from '../../server/src/cli/load.js';
import { computeCallGraph } from '../../server/src/report/callgraph.js';
import { scaledLabel } from '../../contract/format.js';
import { dotColor, edgeLayoutWeight, edgePenWidth, nodeFontSize } from '../../contract/graph-style.js';
import type { CallGraph } from '../../contract/views.js';
import type { Dot } from './dot-parse.js';

export function ourDot(root: string, args: string[], input: string): Dot & { warnings: string[] } {
  const f = parseFlags(args);
  const p = readProfileFile(path.resolve(root, input));
  const g = computeCallGraph(p, f.query, {
    nodeCount: f.top.nodeCount,
    nodeFraction: f.top.nodeFraction,
    edgeFraction: f.top.edgeFraction,
    trim: f.top.trim,
    unit: f.top.unit,
  });
  return { ...dotView(g), warnings: g.warnings };
}

/** A call graph as the DOT parser sees pprof's: ids from 1, values formatted in the report's unit. */
export function dotView(g: CallGraph): Dot {
  const fmt = (v: number): string => scaledLabel(v, g.sampleType.unit, g.unit);
  let maxFlat = g.nodes.length ? Math.abs(g.nodes[0].flat) : 0;
  for (const n of g.nodes) maxFlat = Math.max(maxFlat, Math.abs(n.flat));
  const share = (v: number): number => v / Math.abs(g.total);
  return {
    legend: g.legend,
    nodes: g.nodes.map((n) => ({
      id: n.id + 1,
      name: n.name,
      flat: n.flat === 0 ? '0' : fmt(n.flat),
      cum: n.cum === n.flat ? (n.flat === 0 ? '0' : fmt(n.flat)) : fmt(n.cum),
      fontSize: nodeFontSize(n.flat, maxFlat),
      color: dotColor(share(n.cum), false),
      fillColor: dotColor(share(n.cum), true),
    })),
    edges: g.edges.map((e) => ({
      from: e.from + 1,
      to: e.to + 1,
      weight: fmt(e.weight),
      inline: e.inline,
      residual: e.residual,
      layoutWeight: edgeLayoutWeight(e.weight, g.total),
      penWidth: edgePenWidth(e.weight, g.total),
      color: g.total === 0 ? '' : dotColor(e.weight / Math.abs(g.total), false),
    })),
  };
}
