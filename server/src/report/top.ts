// `go tool pprof -top`: report.TextItems + printText, with pprof's trimming,
// sorting, unit choice and legend.
import type { Profile } from '../model/profile.js';
import type { Query, TopOptions } from '../../../contract/query.js';
import type { InlineLabel, TopReport, TopRow } from '../../../contract/views.js';
import { inlineLabels } from '../analysis/edges.js';
import type { NodeInfo } from '../analysis/graph.js';
import { padRunes, percentage, scaledLabel, selectOutputUnit } from '../../../contract/format.js';
import { activeFilterLines, profileLabels } from './legend.js';
import { nameCache, nodeComparator } from './node-order.js';
import { graphFor, prepareQuery } from './pipeline.js';

/** Exact int64 figures (decimal strings) for profiles whose values exceed 2^53. */
export interface TopExact {
  total: string;
  flat: string[];
  cum: string[];
}

/** pprof's default -nodefraction for text and graph reports. */
const DEFAULT_NODE_FRACTION = 0.005;

export function computeTop(raw: Profile, q: Query, opts: TopOptions = {}): TopReport & { exact?: TopExact } {
  const pr = prepareQuery(raw, q);
  const st = pr.p.sampleType[pr.idx];
  const gran = q.granularity ?? 'functions';
  const { table, values } = graphFor(pr, gran, !!q.noInlines);
  const { infos } = table;
  const { flat, cum, flatX, cumX } = values;
  const trim = opts.trim !== false;
  const nodeFraction = trim ? (opts.nodeFraction ?? 0.005) : 0;
  const edgeFraction = trim ? (opts.edgeFraction ?? 0.001) : 0;
  const nodeCount = trim ? (opts.nodeCount ?? 0) : 0;
  const cumSort = opts.sort === 'cum';

  // nodes present in the graph (pprof drops flat==0 && cum==0)
  const present: number[] = [];
  let totalValue = 0;
  let totalValueX = 0n;
  for (let i = 0; i < infos.length; i++) {
    if (flat[i] === 0 && cum[i] === 0 && (!flatX || (flatX[i] === 0n && cumX![i] === 0n))) continue;
    present.push(i);
    totalValue += flat[i];
    if (flatX) totalValueX = BigInt.asIntN(64, totalValueX + flatX[i]);
  }
  const tv = flatX ? Number(totalValueX) : totalValue;
  const nodeCutoff = Math.abs(Math.trunc(tv * nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(tv * edgeFraction));

  let nodes = present;
  let droppedNodes = 0;
  let rebuilt = false;
  if (nodeCutoff > 0) {
    nodes = present.filter((i) => Math.abs(cum[i]) >= nodeCutoff);
    droppedNodes = present.length - nodes.length;
    if (droppedNodes > 0) rebuilt = true;
  }
  const nameOf = nameCache(infos);
  // Sort keys: |primary| desc, printable name asc, |secondary| desc, fmt.Sprint(NodeInfo) asc.
  const order = nodeComparator(
    infos,
    nameOf,
    cumSort ? { prim: cum, sec: flat, primX: cumX, secX: flatX } : { prim: flat, sec: cum, primX: flatX, secX: cumX },
  );
  nodes = nodes.slice().sort(order);
  const origCount = nodes.length;
  if (nodeCount > 0 && nodeCount < nodes.length) {
    nodes = nodes.slice(0, nodeCount);
    rebuilt = true;
  }

  // Inline labels from the in-edges of the final graph.
  let kept: Uint8Array | null = null;
  if (rebuilt) {
    kept = new Uint8Array(infos.length);
    for (const i of nodes) kept[i] = 1;
  }
  const labels = inlineLabels(pr.work, table, pr.sv, kept, edgeCutoff);
  const LABELS: InlineLabel[] = ['', '(inline)', '(partial-inline)'];
  const inlineOf = (i: number): InlineLabel => LABELS[labels[i]];

  // pprof -mean: shown values are FlatValue()/CumValue() = trunc(sum / summed divisor);
  // sorting and cutoffs above used the raw sums, as pprof does.
  const { flatDiv, cumDiv, flatDivX, cumDivX } = values;
  const shownX = (arr: BigInt64Array, d: BigInt64Array | null, i: number): bigint => (d && d[i] !== 0n ? arr[i] / d[i] : arr[i]);
  const shown = (arr: Float64Array, d: Float64Array | null, i: number): number => (d && d[i] !== 0 ? Math.trunc(arr[i] / d[i]) : arr[i]);
  const flatShown = (i: number): number => (flatX ? Number(shownX(flatX, flatDivX, i)) : shown(flat, flatDiv, i));
  const cumShown = (i: number): number => (cumX ? Number(shownX(cumX, cumDivX, i)) : shown(cum, cumDiv, i));
  const rows: TopRow[] = nodes.map((i) => {
    const info: NodeInfo = infos[i];
    return {
      name: nameOf(i),
      flat: flatShown(i),
      cum: cumShown(i),
      inline: inlineOf(i),
      function: info.name,
      file: info.file,
      line: info.lineno,
      address: info.address === 0n ? '' : '0x' + info.address.toString(16),
    };
  });

  let shownFlat = 0;
  let shownFlatX = 0n;
  for (const i of nodes) {
    shownFlat += shown(flat, flatDiv, i);
    if (flatX) shownFlatX = BigInt.asIntN(64, shownFlatX + shownX(flatX, flatDivX, i));
  }
  if (flatX) shownFlat = Number(shownFlatX);

  const unit = selectOutputUnit(opts.unit ?? 'minimum', st.unit, rows, pr.total);
  // What the filters kept: every node's flat (pprof's "Showing nodes accounting for" at
  // -nodefraction=0), whatever trimming or paging shows of them.
  let keptFlat = 0;
  let keptX = 0n;
  for (const i of present) {
    keptFlat += shown(flat, flatDiv, i);
    if (flatX) keptX = BigInt.asIntN(64, keptX + shownX(flatX, flatDivX, i));
  }
  if (flatX) keptFlat = Number(keptX);
  // The unit `go tool pprof -top` picks by default: its "minimum" rule over the rows that
  // pass the default -nodefraction=0.005 (the API's own rows may include far smaller ones).
  const defaultCutoff = Math.abs(Math.trunc(tv * DEFAULT_NODE_FRACTION));
  const defaultRows = present.filter((i) => Math.abs(cum[i]) >= defaultCutoff).map((i) => ({ flat: flatShown(i), cum: cumShown(i) }));
  const displayUnit = selectOutputUnit(opts.unit ?? 'minimum', st.unit, defaultRows, pr.total);
  const fmt = (v: number): string => scaledLabel(v, st.unit, unit);
  const typeName = q.mean ? 'mean_' + st.type : st.type;
  const legend = opts.compactLabels ? [] : profileLabels(pr.p, typeName, st.unit, pr.total, fmt);
  legend.push(...activeFilterLines(pr.activeFilters));
  legend.push(`Showing nodes accounting for ${fmt(shownFlat)}, ${percentage(shownFlat, pr.total).trim()} of ${fmt(pr.total)} total`);
  if (pr.total !== 0) {
    if (droppedNodes > 0) {
      const f = fmt(Math.abs(Math.trunc(pr.total * nodeFraction)));
      legend.push(`Dropped ${droppedNodes} ${droppedNodes > 1 ? 'nodes' : 'node'} (cum <= ${f})`);
    }
    if (nodes.length > 0 && nodes.length < origCount) legend.push(`Showing top ${nodes.length} nodes out of ${origCount}`);
  }

  const report: TopReport & { exact?: TopExact } = {
    sampleType: { type: typeName, unit: st.unit },
    total: pr.total,
    unit,
    displayUnit,
    legend,
    rows,
    shownFlat,
    kept: keptFlat,
    droppedNodes,
    nodesBeforeLimit: origCount,
    warnings: pr.warnings,
  };
  if (flatX && cumX && pr.totalX !== null) {
    report.exact = {
      total: pr.totalX.toString(),
      flat: nodes.map((i) => shownX(flatX, flatDivX, i).toString()),
      cum: nodes.map((i) => shownX(cumX, cumDivX, i).toString()),
    };
  }
  return report;
}

export function formatTopText(r: TopReport & { exact?: TopExact }): string {
  const fmt = (v: number): string => scaledLabel(v, r.sampleType.unit, r.unit);
  const out: string[] = [...r.legend];
  out.push(`${padRunes('flat', 10)} ${padRunes('flat', 5)}% ${padRunes('sum', 5)}% ${padRunes('cum', 10)} ${padRunes('cum', 5)}%`);
  let sum = 0;
  let sumX = 0n;
  for (let k = 0; k < r.rows.length; k++) {
    const row = r.rows[k];
    let running: number;
    if (r.exact) {
      sumX = BigInt.asIntN(64, sumX + BigInt(r.exact.flat[k]));
      running = Number(sumX);
    } else {
      sum += row.flat;
      running = sum;
    }
    const inl = row.inline ? ' ' + row.inline : '';
    out.push(
      `${padRunes(fmt(row.flat), 10)} ${percentage(row.flat, r.total)} ${percentage(running, r.total)} ${padRunes(fmt(row.cum), 10)} ${percentage(row.cum, r.total)}  ${row.name}${inl}`,
    );
  }
  return out.join('\n') + '\n';
}
