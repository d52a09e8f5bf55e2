// `go tool pprof -peek REGEX` (report.printTree restricted to matching nodes): for each
// node whose printable name matches, in the report's order, its callers and callees with
// the edge weights. Peek never trims (pprof forces -trim=false), so no edge is residual.
import type { Profile } from '../model/profile.js';
import type { PeekOptions, Query } from '../../../contract/query.js';
import { QueryError } from '../model/query.js';
import type { PeekEdge, PeekEntry, PeekReport } from '../../../contract/views.js';
import { buildEdges } from '../analysis/edges.js';
import { compileRegexp } from '../analysis/regex.js';
import { edgeComparator } from './callgraph.js';
import { padRunes, percentage, scaledLabel, selectOutputUnit } from '../../../contract/format.js';
import { activeFilterLines, profileLabels } from './legend.js';
import { nameCache, nodeComparator } from './node-order.js';
import { sharedGraph } from './pipeline.js';

export function computePeek(raw: Profile, q: Query, regex: string, opts: PeekOptions = {}): PeekReport {
  const rx = compileRegexp(regex, regex);
  const { pr, table, values: v } = sharedGraph(raw, q, { values: true });
  const values = v!;
  const st = pr.p.sampleType[pr.idx];
  const { infos } = table;
  const { flat, cum, flatX, cumX, flatDiv, cumDiv } = values;
  const nameOf = nameCache(infos);
  const shown = (arr: Float64Array, d: Float64Array | null, i: number): number => (d && d[i] !== 0 ? Math.trunc(arr[i] / d[i]) : arr[i]);

  const present: number[] = [];
  const marked = new Uint8Array(infos.length);
  for (let i = 0; i < infos.length; i++) {
    if (flat[i] === 0 && cum[i] === 0) continue;
    present.push(i);
    if (rx.test(nameOf(i))) marked[i] = 1;
  }
  const cumSort = opts.sort === 'cum';
  const order = nodeComparator(
    infos,
    nameOf,
    cumSort ? { prim: cum, sec: flat, primX: cumX, secX: flatX } : { prim: flat, sec: cum, primX: flatX, secX: cumX },
  );
  const matched = present.filter((i) => marked[i] === 1).sort(order);

  // Only edges touching a matched node are printed, so only those are built.
  const edges = buildEdges(pr.work, table, pr.sv, { kept: null, marked, mode: 'touching' });
  const ins: number[][] = matched.map(() => []);
  const outs: number[][] = matched.map(() => []);
  const slot = new Map<number, number>();
  matched.forEach((i, k) => slot.set(i, k));
  for (let e = 0; e < edges.n; e++) {
    const d = slot.get(edges.dst[e]);
    if (d !== undefined) ins[d].push(e);
    const s = slot.get(edges.src[e]);
    if (s !== undefined) outs[s].push(e);
  }
  const byWeight = edgeComparator(edges, nameOf);
  const edgeRow = (e: number, other: number): PeekEdge => ({ name: nameOf(other), weight: edges.weight[e], inline: edges.inline[e] === 1 });

  let flatSum = 0;
  const entries: PeekEntry[] = matched.map((i, k) => {
    const f = shown(flat, flatDiv, i);
    flatSum += f;
    const info = infos[i];
    return {
      name: nameOf(i),
      function: info.name,
      file: info.file,
      line: info.lineno,
      flat: f,
      cum: shown(cum, cumDiv, i),
      flatSum,
      callers: ins[k].sort(byWeight).map((e) => edgeRow(e, edges.src[e])),
      callees: outs[k].sort(byWeight).map((e) => edgeRow(e, edges.dst[e])),
    };
  });

  // The unit and the "Showing nodes" line cover the whole graph, as printTree's do.
  const all = present.map((i) => ({ flat: shown(flat, flatDiv, i), cum: shown(cum, cumDiv, i) }));
  const unit = selectOutputUnit(opts.unit ?? 'minimum', st.unit, all, pr.total);
  const fmt = (v: number): string => scaledLabel(v, st.unit, unit);
  const typeName = q.mean ? 'mean_' + st.type : st.type;
  const legend = opts.compactLabels ? [] : profileLabels(pr.p, typeName, st.unit, pr.total, fmt);
  legend.push(...activeFilterLines(pr.activeFilters));
  let graphFlat = 0;
  for (const n of all) graphFlat += n.flat;
  legend.push(`Showing nodes accounting for ${fmt(graphFlat)}, ${percentage(graphFlat, pr.total).trim()} of ${fmt(pr.total)} total`);
  return {
    sampleType: { type: typeName, unit: st.unit },
    total: pr.total,
    unit,
    legend,
    entries,
    graphNodes: present.length,
    warnings: pr.warnings,
  };
}

const SEPARATOR = '----------------------------------------------------------+-------------';
const HEADER = '      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ';

/** The text `go tool pprof -peek` prints (pprof fails instead when nothing matched). */
export function formatPeekText(r: PeekReport, regex: string): string {
  if (r.entries.length === 0) throw new QueryError(`no matches found for regexp: ${regex}`);
  const fmt = (v: number): string => scaledLabel(v, r.sampleType.unit, r.unit);
  const out: string[] = [...r.legend, SEPARATOR, HEADER];
  const edgeLine = (e: PeekEdge, cum: number): string =>
    `${padRunes(fmt(e.weight), 50)} ${percentage(e.weight, cum)} |   ${e.name}${e.inline ? ' (inline)' : ''}`;
  for (const n of r.entries) {
    out.push(SEPARATOR);
    for (const e of n.callers) out.push(edgeLine(e, n.cum));
    out.push(
      `${padRunes(fmt(n.flat), 10)} ${percentage(n.flat, r.total)} ${percentage(n.flatSum, r.total)} ${padRunes(fmt(n.cum), 10)} ${percentage(n.cum, r.total)}                | ${n.name}`,
    );
    for (const e of n.callees) out.push(edgeLine(e, n.cum));
  }
  if (r.graphNodes > 0) out.push(SEPARATOR);
  return out.join('\n') + '\n';
}
