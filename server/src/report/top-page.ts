// Pages of a prepared top table in the order the web table shows (pprof's, by |cum|, by
// name) and restricted to the rows a search matches, so the page never needs the whole
// table to sort, filter or scroll: it asks for the rows on screen. Each row carries its
// sum% (running flat in that order, before the search, as the table shows it) and its
// place in pprof's order.
import { searchRegexp } from '../../../contract/go-regexp.js';
import type { TopOrder, TopPageRequest } from '../../../contract/query.js';
import type { TopReport } from '../../../contract/views.js';
import type { TopExact, TopTable } from './top.js';

/** A table's rows in one order and search: positions in `t.nodes` and their running sums. */
interface Listing {
  positions: Int32Array;
  sums: Float64Array;
}

/** Orders and searches of the last few pages per table (scrolling asks the same one again). */
const LISTINGS_PER_TABLE = 4;
const listings = new WeakMap<TopTable, { key: string; l: Listing }[]>();

function listing(t: TopTable, order: TopOrder, match: string): Listing {
  const key = JSON.stringify([order, match]);
  let list = listings.get(t);
  if (!list) listings.set(t, (list = []));
  const hit = list.find((e) => e.key === key);
  if (hit) return hit.l;
  const l = makeListing(t, order, match);
  list.unshift({ key, l });
  if (list.length > LISTINGS_PER_TABLE) list.length = LISTINGS_PER_TABLE;
  return l;
}

function makeListing(t: TopTable, order: TopOrder, match: string): Listing {
  const n = t.nodes.length;
  const re = searchRegexp(match);
  let positions = new Int32Array(n);
  for (let i = 0; i < n; i++) positions[i] = i;
  if (order !== 'flat' || re) {
    const rows = t.nodes.map(t.rowOf);
    if (order === 'cum') positions.sort((a, b) => Math.abs(rows[b].cum) - Math.abs(rows[a].cum) || a - b);
    else if (order === 'name') positions.sort((a, b) => (rows[a].name < rows[b].name ? -1 : rows[a].name > rows[b].name ? 1 : a - b));
    const sums = new Float64Array(n);
    let running = 0;
    let kept = 0;
    for (let k = 0; k < n; k++) {
      const pos = positions[k];
      running += rows[pos].flat;
      if (re && !re.test(rows[pos].name)) continue;
      positions[kept] = pos;
      sums[kept++] = running;
    }
    positions = positions.slice(0, kept);
    return { positions, sums: sums.slice(0, kept) };
  }
  const sums = new Float64Array(n);
  let running = 0;
  for (let i = 0; i < n; i++) sums[i] = running += t.rowOf(t.nodes[i]).flat;
  return { positions, sums };
}

/** Rows offset..offset+limit of `t` in `order` among those matching `match`. */
export function topPage(t: TopTable, req: TopPageRequest): TopReport & { exact?: TopExact } {
  const l = listing(t, req.order ?? 'flat', req.match ?? '');
  const end = Math.min(l.positions.length, req.offset + req.limit);
  const start = Math.min(req.offset, end);
  const at = Array.from(l.positions.subarray(start, end));
  const ids = at.map((pos) => t.nodes[pos]);
  t.label(ids);
  const { sampleType, total, unit, displayUnit, legend, ...rest } = t.head;
  const report: TopReport & { exact?: TopExact } = {
    sampleType,
    total,
    unit,
    displayUnit,
    legend,
    rows: ids.map(t.rowOf),
    ...rest,
    offset: req.offset,
    totalRows: l.positions.length,
    indices: at,
    sums: Array.from(l.sums.subarray(start, end)),
    tableRows: t.nodes.length,
  };
  if (t.exactOf && t.totalX !== null) {
    const ex = ids.map(t.exactOf);
    report.exact = { total: t.totalX, flat: ex.map((e) => e[0]), cum: ex.map((e) => e[1]) };
  }
  return report;
}
