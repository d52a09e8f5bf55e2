// DOT text for a call graph, written the way pprof's dotgraph.go writes it (node labels,
// font size by flat, pen width and layout weight by edge weight, colours by share of the
// total), so Graphviz lays it out as pprof users know it. Edges of inlined calls are
// dashed and residual edges (over nodes left out) dotted. Every name goes through
// quote(); tooltips are ours (hover), so none are written.
import type { CallGraph } from '../../../../contract/views.js';
import { percentage, scaledLabel } from '../../../../contract/format.js';
import { dotColor, edgeLayoutWeight, edgePenWidth, nodeFontSize } from '../../../../contract/graph-style.js';

/** escapeForDot: backslashes and quotes escaped, newlines as left-justified breaks. */
function quote(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\l');
}

/** multilinePrintableName, near enough: the package path dropped, one line per name part. */
function multiline(name: string, fn: string, file: string, line: number): string {
  const parts: string[] = [];
  if (fn) {
    const slash = fn.lastIndexOf('/');
    const short = fn.slice(slash + 1).replace(/\[\.\.\.\]/g, '[…]');
    parts.push(quote(short).replace(/::/g, '\\n').replace(/\./g, '\\n'));
    if (line) parts.push(quote(`${file.split('/').pop()}:${line}`));
  } else parts.push(quote(name));
  return parts.join('\\n') + '\\n';
}

export function callGraphDot(g: CallGraph): string {
  const fmt = (v: number): string => scaledLabel(v, g.sampleType.unit, g.unit);
  const pct = (v: number): string => percentage(v, g.total).trim();
  let maxFlat = g.nodes.length ? Math.abs(g.nodes[0].flat) : 0;
  for (const n of g.nodes) maxFlat = Math.max(maxFlat, Math.abs(n.flat));
  const share = (v: number): number => (g.total === 0 ? 0 : v / Math.abs(g.total));
  const out: string[] = [
    'digraph "callgraph" {',
    'node [style=filled fillcolor="#f8f8f8" fontname="Helvetica"]',
    'edge [fontname="Helvetica"]',
  ];
  for (const n of g.nodes) {
    let label = multiline(n.name, n.function, n.file, n.line);
    label += n.flat !== 0 ? `${fmt(n.flat)} (${pct(n.flat)})` : '0';
    if (n.cum !== n.flat) label += `${n.flat !== 0 ? '\\n' : ' '}of ${fmt(n.cum)} (${pct(n.cum)})`;
    out.push(
      `N${n.id + 1} [label="${label}" id="node${n.id + 1}" fontsize=${nodeFontSize(n.flat, maxFlat)} shape=box color="${dotColor(share(n.cum), false)}" fillcolor="${dotColor(share(n.cum), true)}"]`,
    );
  }
  g.edges.forEach((e, i) => {
    let attr = `label=" ${fmt(e.weight)}${e.inline ? '\\n (inline)' : ''}" id="edge${i + 1}"`;
    const lw = edgeLayoutWeight(e.weight, g.total);
    if (lw > 1) attr += ` weight=${lw}`;
    const pw = edgePenWidth(e.weight, g.total);
    if (pw > 1) attr += ` penwidth=${pw}`;
    if (g.total !== 0) attr += ` color="${dotColor(share(e.weight), false)}"`;
    if (e.residual) attr += ' style="dotted"';
    else if (e.inline) attr += ' style="dashed"';
    out.push(`N${e.from + 1} -> N${e.to + 1} [${attr}]`);
  });
  out.push('}');
  return out.join('\n') + '\n';
}
