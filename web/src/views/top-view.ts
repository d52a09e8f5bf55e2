// The Top tab: pprof's -top table (flat, flat%, sum%, cum, cum%, name) from the API,
// formatted in the report's single unit, sortable, filterable and virtualised so
// 10,000+ rows scroll smoothly (only the visible rows exist in the DOM).
import { explainColumn } from '../../../contract/explain.js';
import type { TopReport, TopRow } from '../../../contract/views.js';
import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { fmtIn, fmtPct } from '../fmt.js';
import type { ProfilePageContext, ProfileState } from '../registry.js';
import { exactName } from '../../../contract/go-regexp.js';
import { apiParams, searchRegExp } from '../state.js';
import { attachExplain, hideExplain } from './explain-tip.js';
import { attachRegexCheck } from '../widgets/regex-field.js';

const ROW_H = 24;
/** Rows in the first page: a screen or two. */
const FIRST_PAGE = 200;

function pageParams(s: ProfileState): URLSearchParams {
  const q = apiParams(s);
  q.set('offset', '0');
  q.set('limit', String(FIRST_PAGE));
  return q;
}
const OVERSCAN = 12;

interface ViewRow {
  row: TopRow;
  sum: number;
  index: number;
}

export class TopView {
  private root = h('div.top-view');
  private filterInput = h('input.search', {
    type: 'search',
    placeholder: 'Filter functions (regexp)  /',
    'aria-label': 'Filter rows',
    spellcheck: 'false',
  });
  private info = h('span.match-info');
  private filterCheck = attachRegexCheck(this.filterInput, { fallback: 'matching the text literally' });
  private legend = h('details.legend-text', null, h('summary', null, 'Report header'));
  private legendPre = h('pre');
  private actions = h('div.row-actions', { hidden: true });
  private head = h('div.top-row.top-head', { role: 'row' });
  private scroller = h('div.top-scroll', { role: 'grid', 'aria-label': 'Top functions' });
  private spacer = h('div.top-spacer');
  private body = h('div.top-body');
  private report: TopReport | null = null;
  private rows: ViewRow[] = [];
  private key = '';
  private selected = -1;
  private filterTimer = 0;
  private shape = '';

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    this.legend.append(this.legendPre);
    this.spacer.append(this.body);
    this.scroller.append(this.spacer);
    this.root.append(
      h('div.toolbar', null, h('div.search-wrap', null, this.filterInput, this.info, this.filterCheck.el), this.legend),
      this.actions,
      this.head,
      this.scroller,
    );
    el.append(this.root);
    this.filterInput.addEventListener('input', () => {
      window.clearTimeout(this.filterTimer);
      const v = this.filterInput.value;
      this.filterTimer = window.setTimeout(() => this.ctx.setState({ filter: v }, { replace: true }), 120);
    });
    this.scroller.addEventListener('scroll', () => this.renderRows());
    new ResizeObserver(() => this.renderRows()).observe(this.scroller);
    this.ctx.onStateChange((s) => this.apply(s));
    this.apply(this.ctx.state());
  }

  focusSearch(): void {
    this.filterInput.focus();
    this.filterInput.select();
  }

  shown(): void {
    this.renderRows();
  }

  private async apply(s: ProfileState): Promise<void> {
    if (document.activeElement !== this.filterInput) this.filterInput.value = s.filter;
    this.filterCheck.check();
    const key = apiParams(s).toString();
    if (key !== this.key || !this.report) {
      this.key = key;
      this.body.replaceChildren(h('div.loading', null, 'Loading…'));
      this.report = null;
      try {
        // First screen: one page of rows in pprof's order, shown at once; the whole
        // table (which sorting by another column and filtering need) follows.
        // The page is asked first: the server computes the report once for it and keeps it.
        const page = api.top(this.ctx.profileId, pageParams(s));
        const full = api.top(this.ctx.profileId, apiParams(s));
        page.catch(() => undefined); // its failure shows through `full`
        const first = await Promise.race([full, page]);
        if (key !== this.key) return;
        // The page is pprof's flat order: it stands for the table only in that order, unfiltered.
        const usable = s.sort === 'flat' && !s.filter;
        if (usable && first.totalRows !== undefined && first.totalRows > first.rows.length && !this.report) {
          this.report = first;
          this.legendPre.textContent = first.legend.join('\n');
          this.build(s);
        }
        const rep = await full;
        if (key !== this.key) return;
        this.report = rep;
        this.legendPre.textContent = rep.legend.join('\n');
        this.root.dataset.ready = 'true';
      } catch (err) {
        this.body.replaceChildren(h('div.error', null, `Could not load the top table: ${(err as Error).message}`));
        return;
      }
    }
    this.build(s);
  }

  private build(s: ProfileState): void {
    const rep = this.report;
    if (!rep) return;
    // sum% follows the displayed order, as pprof's -top / -top -cum do.
    const order = rep.rows.map((row, index) => ({ row, index }));
    if (s.sort === 'cum') order.sort((a, b) => Math.abs(b.row.cum) - Math.abs(a.row.cum) || a.index - b.index);
    else if (s.sort === 'name') order.sort((a, b) => (a.row.name < b.row.name ? -1 : a.row.name > b.row.name ? 1 : a.index - b.index));
    let running = 0;
    const all: ViewRow[] = order.map(({ row, index }) => {
      running += row.flat;
      return { row, index, sum: running };
    });
    const re = searchRegExp(s.filter);
    this.rows = re ? all.filter((r) => re.test(r.row.name)) : all;
    const partial = rep.totalRows !== undefined && rep.totalRows > rep.rows.length;
    this.info.textContent = partial
      ? `first ${all.length} of ${rep.totalRows} rows (loading the rest…)`
      : re
        ? `${this.rows.length} of ${all.length} rows`
        : `${all.length} rows`;
    this.renderHead(s);
    this.spacer.style.height = `${this.rows.length * ROW_H}px`;
    // A new filter or order starts at the top (a stale scrollTop would show nothing).
    const shape = `${s.filter}\u0000${s.sort}\u0000${this.key}`;
    if (shape !== this.shape) {
      this.shape = shape;
      this.scroller.scrollTop = 0;
    }
    this.renderRows(true);
  }

  private renderHead(s: ProfileState): void {
    // Sorting re-renders the header: keep keyboard focus on the same column.
    const focused = (document.activeElement as HTMLElement | null)?.closest?.('.top-head')
      ? (document.activeElement as HTMLElement).dataset.col
      : undefined;
    hideExplain();
    clear(this.head);
    const kind = this.ctx.meta.kind;
    const col = (label: string, cls: string, sort?: 'flat' | 'cum' | 'name') => {
      let el: HTMLElement;
      if (!sort) {
        // Focusable so keyboard users can read the explanation too.
        el = h('div', { class: `cell ${cls}`, role: 'columnheader', tabindex: 0, 'data-col': label }, label);
      } else {
        const active = s.sort === sort;
        el = h(
          'button',
          {
            type: 'button',
            class: `cell ${cls} sort${active ? ' active' : ''}`,
            role: 'columnheader',
            'aria-sort': active ? (sort === 'name' ? 'ascending' : 'descending') : 'none',
            'data-col': label,
          },
          label + (active ? (sort === 'name' ? ' ▴' : ' ▾') : ''),
        );
        el.addEventListener('click', () => this.ctx.setState({ sort }));
      }
      attachExplain(el, `top-${label}`, () => {
        const text = explainColumn(kind, label);
        return text
          ? { term: label, kind, text, note: sort ? (s.sort === sort ? `Sorted by ${label}` : `Click to sort by ${label}`) : undefined }
          : null;
      });
      return el;
    };
    this.head.append(
      col('flat', 'num', 'flat'),
      col('flat%', 'num'),
      col('sum%', 'num'),
      col('cum', 'num', 'cum'),
      col('cum%', 'num'),
      col('name', 'name', 'name'),
    );
    if (focused) this.head.querySelector<HTMLElement>(`[data-col="${CSS.escape(focused)}"]`)?.focus();
  }

  private renderRows(force = false): void {
    const rep = this.report;
    if (!rep) return;
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW_H) + OVERSCAN);
    const stamp = `${first}:${last}:${this.rows.length}:${this.selected}`;
    if (!force && this.body.dataset.stamp === stamp) return;
    this.body.dataset.stamp = stamp;
    const unit = rep.displayUnit || rep.unit;
    const from = rep.sampleType.unit;
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const r = this.rows[i]!;
      const name = r.row.inline ? `${r.row.name} ${r.row.inline}` : r.row.name;
      const el = h(
        'div.top-row',
        { role: 'row', 'data-index': r.index },
        h('div.cell.num', { role: 'gridcell' }, fmtIn(r.row.flat, from, unit)),
        h('div.cell.num', { role: 'gridcell' }, fmtPct(r.row.flat, rep.total)),
        h('div.cell.num', { role: 'gridcell' }, fmtPct(r.sum, rep.total)),
        h('div.cell.num', { role: 'gridcell' }, fmtIn(r.row.cum, from, unit)),
        h('div.cell.num', { role: 'gridcell' }, fmtPct(r.row.cum, rep.total)),
        h(
          'div.cell.name',
          { role: 'gridcell', title: r.row.file ? `${name}\n${r.row.file}${r.row.line ? `:${r.row.line}` : ''}` : name },
          name,
        ),
      );
      el.style.transform = `translateY(${i * ROW_H}px)`;
      if (r.index === this.selected) el.classList.add('selected');
      el.addEventListener('click', () => this.select(r));
      const bar = h('div.bar');
      bar.style.width = `${Math.min(100, (100 * Math.abs(r.row.flat)) / (Math.abs(rep.total) || 1))}%`;
      el.prepend(bar);
      frag.append(el);
    }
    this.body.replaceChildren(frag);
  }

  private select(r: ViewRow): void {
    this.selected = r.index;
    const fn = r.row.function || r.row.name;
    this.ctx.highlight([fn, r.row.name]);
    clear(this.actions);
    const toFlame = h('button.btn', { type: 'button' }, 'Show in flame graph');
    toFlame.addEventListener('click', () => this.ctx.setState({ view: 'flame', search: exactName(fn) }));
    const toSource = h('button.btn', { type: 'button' }, 'Show source');
    toSource.addEventListener('click', () => this.ctx.openSource(fn));
    const toPeek = h('button.btn', { type: 'button' }, 'Peek');
    toPeek.addEventListener('click', () => this.ctx.setState({ view: 'peek', extra: { pk: exactName(r.row.name) } }));
    const toSandwich = h('button.btn', { type: 'button' }, 'Sandwich');
    toSandwich.addEventListener('click', () => this.ctx.setState({ view: 'sandwich', extra: { sw: r.row.name } }));
    this.actions.append(h('span.sel-name', null, fn), toFlame, toSource, toPeek, toSandwich);
    this.actions.hidden = false;
    this.renderRows(true);
  }

  /** Rows as displayed (for tests). */
  displayed(): { name: string; flat: number; cum: number }[] {
    return this.rows.map((r) => ({ name: r.row.name, flat: r.row.flat, cum: r.row.cum }));
  }
}
