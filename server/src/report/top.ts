// `go tool pprof -top`: report.TextItems + printText, with pprof's trimming,
// sorting, unit choice and legend.
import type { Profile } from '../model/profile.js';
import type { Query, TopOptions } from '../../../contract/query.js';
import type { InlineLabel, TopReport, TopRow } from '../../../contract/views.js';
import { inlineLabels, labelsFromEdges } from '../analysis/edges.js';
import type { NodeInfo } from '../analysis/graph.js';
import { padRunes, percentage, scaledLabel, selectOutputUnit } from '../../../contract/format.js';
import { activeFilterLines, profileLabels } from './legend.js';
import { nameCache, nodeComparator } from './node-order.js';
import { sharedGraph } from './pipeline.js';

/** Exact int64 figures (decimal strings) for profiles whose values exceed 2^53. */
export interface TopExact {
  total: string;
  flat: string[];
  cum: string[];
}

/** pprof's default -nodefraction for text and graph reports. */
const DEFAULT_NODE_FRACTION = 0.005;

/**
 * What every page of one top report shares: the graph's values, the row order and the
 * legend. Rows (names, inline labels) are made only for the pages asked for. An untrimmed
 * table's inline labels come with the node values; a trimmed one's (the CLI's) need a
 * pass over every sample's edges, restricted to the rows being shown.
 */
export interface TopTable {
  head: Omit<TopReport, 'rows' | 'offset' | 'totalRows'>;
  /** Node ids in display order (after trimming and the node count). */
  nodes: number[];
  /** Exact total (profiles beyond 2^53), else null. */
  totalX: string | null;
  rowOf: (i: number) => TopRow;
  exactOf: ((i: number) => [string, string]) | null;
  /** Computes the inline labels of these nodes that are not known yet. */
  label: (ids: ArrayLike<number>) => void;
  /** Rough size of what it holds, for caches. */
  bytes: number;
}

export function prepareTop(raw: Profile, q: Query, opts: TopOptions = {}): TopTable {
  const trim = opts.trim !== false;
  const nodeFraction = trim ? (opts.nodeFraction ?? 0.005) : 0;
  const edgeFraction = trim ? (opts.edgeFraction ?? 0.001) : 0;
  const nodeCount = trim ? (opts.nodeCount ?? 0) : 0;
  // An untrimmed table (the API's default) whose node values are not computed yet gets
  // them with the in-edges of the inline-label candidates, one walk for both: its pages
  // then cost the rows they show. A trimmed one (the header's one row, the CLI's) labels
  // its rows from its kept nodes.
  const untrimmed = nodeFraction === 0 && nodeCount === 0;
  const { pr, table, values: v } = sharedGraph(raw, q, { values: true, foldInEdges: untrimmed });
  const values = v!;
  const st = pr.p.sampleType[pr.idx];
  const { infos } = table;
  const { flat, cum, flatX, cumX } = values;
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

  // Inline labels come from the in-edges of the final graph (its kept nodes).
  let kept: Uint8Array | null = null;
  if (rebuilt) {
    kept = new Uint8Array(infos.length);
    for (const i of nodes) kept[i] = 1;
  }
  const labels = new Int8Array(infos.length).fill(-1);
  if (!kept && values.inEdges) labels.set(labelsFromEdges(values.inEdges, infos.length, edgeCutoff));
  const label = (ids: ArrayLike<number>): void => {
    const want: number[] = [];
    for (let k = 0; k < ids.length; k++) if (labels[ids[k]] < 0) want.push(ids[k]);
    if (want.length === 0) return;
    // Untrimmed, with node values computed before (for the header's total): every row's
    // label in one pass, so the other pages cost only their rows. Trimmed: these rows'.
    const got = inlineLabels(pr.work, table, pr.sv, kept, edgeCutoff, kept ? want : undefined, cum);
    if (kept) for (const i of want) labels[i] = got[i];
    else labels.set(got);
  };
  const LABELS: InlineLabel[] = ['', '(inline)', '(partial-inline)'];

  // pprof -mean: shown values are FlatValue()/CumValue() = trunc(sum / summed divisor);
  // sorting and cutoffs above used the raw sums, as pprof does.
  const { flatDiv, cumDiv, flatDivX, cumDivX } = values;
  const shownX = (arr: BigInt64Array, d: BigInt64Array | null, i: number): bigint => (d && d[i] !== 0n ? arr[i] / d[i] : arr[i]);
  const shown = (arr: Float64Array, d: Float64Array | null, i: number): number => (d && d[i] !== 0 ? Math.trunc(arr[i] / d[i]) : arr[i]);
  const flatShown = (i: number): number => (flatX ? Number(shownX(flatX, flatDivX, i)) : shown(flat, flatDiv, i));
  const cumShown = (i: number): number => (cumX ? Number(shownX(cumX, cumDivX, i)) : shown(cum, cumDiv, i));
  const rowOf = (i: number): TopRow => {
    const info: NodeInfo = infos[i];
    return {
      name: nameOf(i),
      flat: flatShown(i),
      cum: cumShown(i),
      inline: LABELS[labels[i]],
      function: info.name,
      file: info.file,
      line: info.lineno,
      address: info.address === 0n ? '' : '0x' + info.address.toString(16),
    };
  };

  /** Sum of the shown flat values of `ids` (exact, wrapping as Go's int64, when the values are). */
  const flatSum = (ids: Iterable<number>): number => {
    let sum = 0;
    let sumX = 0n;
    for (const i of ids) {
      sum += shown(flat, flatDiv, i);
      if (flatX) sumX = BigInt.asIntN(64, sumX + shownX(flatX, flatDivX, i));
    }
    return flatX ? Number(sumX) : sum;
  };
  const shownFlat = flatSum(nodes);

  // The unit looks at every row's figures, not at their names or labels.
  const unit = selectOutputUnit(
    opts.unit ?? 'minimum',
    st.unit,
    nodes.map((i) => ({ flat: flatShown(i), cum: cumShown(i) })),
    pr.total,
  );
  // What the filters kept: every node's flat (pprof's "Showing nodes accounting for" at
  // -nodefraction=0), whatever trimming or paging shows of them.
  const keptFlat = flatSum(present);
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

  const exact = flatX && cumX && pr.totalX !== null;
  return {
    head: {
      sampleType: { type: typeName, unit: st.unit },
      total: pr.total,
      unit,
      displayUnit,
      legend,
      shownFlat,
      kept: keptFlat,
      droppedNodes,
      nodesBeforeLimit: origCount,
      warnings: pr.warnings,
    },
    nodes,
    totalX: exact ? pr.totalX!.toString() : null,
    rowOf,
    exactOf: exact ? (i) => [shownX(flatX, flatDivX, i).toString(), shownX(cumX, cumDivX, i).toString()] : null,
    label,
    bytes: nodes.length * 320 + infos.length * 24 + 4096,
  };
}

/**
 * Rows offset..offset+limit of a prepared top table (all of them by default); a page
 * (`limit` given) carries its `offset` and every row's count as `totalRows`.
 */
export function topRows(t: TopTable, offset = 0, limit?: number): TopReport & { exact?: TopExact } {
  const ids = limit === undefined ? t.nodes : t.nodes.slice(offset, offset + limit);
  t.label(ids);
  const { sampleType, total, unit, displayUnit, legend, ...rest } = t.head;
  const report: TopReport & { exact?: TopExact } = { sampleType, total, unit, displayUnit, legend, rows: ids.map(t.rowOf), ...rest };
  if (limit !== undefined) {
    report.offset = offset;
    report.totalRows = t.nodes.length;
  }
  if (t.exactOf && t.totalX !== null) {
    const ex = ids.map(t.exactOf);
    report.exact = { total: t.totalX, flat: ex.map((e) => e[0]), cum: ex.map((e) => e[1]) };
  }
  return report;
}

export function computeTop(raw: Profile, q: Query, opts: TopOptions = {}): TopReport & { exact?: TopExact } {
  return topRows(prepareTop(raw, q, opts));
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
