// The Top tab: pprof's -top table (flat, flat%, sum%, cum, cum%, name) from the API,
// formatted in the report's single unit, sortable, filterable and virtualised so
// 10,000+ rows scroll smoothly (only the visible rows exist in the DOM). Rows come a page
// at a time, in the order and search shown (the server sorts and searches: report/top-page.ts),
// so the first screen needs one page whatever the table's size; scrolling loads the pages
// that come into view. "Download table" still gives every row.
import { explainColumn } from '../../../contract/explain.js';
import { exportFileName } from '../../../contract/file-name.js';
import type { TopReport, TopRow } from '../../../contract/views.js';
import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { fmtIn, fmtPct } from '../fmt.js';
import type { ProfilePageContext, ProfileState } from '../registry.js';
import { exactName } from '../../../contract/go-regexp.js';
import { apiParams } from '../state.js';
import { attachExplain, hideExplain } from './explain-tip.js';
import { attachRegexCheck } from '../widgets/regex-field.js';
import { watchProgress } from './progress-watch.js';

const ROW_H = 24;
/** Rows per page: a few screens. */
export const TOP_PAGE = 200;
const OVERSCAN = 12;

interface ViewRow {
  row: TopRow;
  /** Running flat in the shown order (sum%). */
  sum: number;
  /** Place in pprof's order (stays the row's identity across sorts and searches). */
  index: number;
  /** Place in the shown list. */
  at: number;
}

interface Page {
  rows: TopRow[];
  sums: number[];
  indices: number[];
}

function pageParams(s: ProfileState, page: number): URLSearchParams {
  const q = apiParams(s);
  q.set('offset', String(page * TOP_PAGE));
  q.set('limit', String(TOP_PAGE));
  if (s.sort !== 'flat') q.set('order', s.sort);
  if (s.filter) q.set('match', s.filter);
  return q;
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
  private download = h(
    'a.btn',
    { href: '#', download: '', title: 'Every row of the table as JSON (pprof order)', 'data-testid': 'top-download' },
    'Download table',
  );
  private actions = h('div.row-actions', { hidden: true });
  private head = h('div.top-row.top-head', { role: 'row' });
  private scroller = h('div.top-scroll', {
    role: 'grid',
    'aria-label': 'Top functions: arrow keys select a row, Enter shows it in the flame graph',
    tabindex: 0,
  });
  private spacer = h('div.top-spacer');
  private body = h('div.top-body');
  /** The first page: units, total and legend of the table. */
  private report: TopReport | null = null;
  /** Rows in the shown list (after the search) and in the whole table. */
  private count = 0;
  private tableRows = 0;
  private pages = new Map<number, Page>();
  private loadingPages = new Map<number, Promise<boolean>>();
  private key = '';
  private selected = -1;
  private selectedAt = -1;
  private filterTimer = 0;

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    this.legend.append(this.legendPre);
    this.spacer.append(this.body);
    // The header row sits in the scroll box (sticky) so a narrow screen scrolls it sideways with the rows.
    this.scroller.append(this.head, this.spacer);
    this.root.append(
      h('div.toolbar', null, h('div.search-wrap', null, this.filterInput, this.info, this.filterCheck.el), this.legend, this.download),
      this.actions,
      this.scroller,
    );
    el.append(this.root);
    this.filterInput.addEventListener('input', () => {
      window.clearTimeout(this.filterTimer);
      const v = this.filterInput.value;
      this.filterTimer = window.setTimeout(() => this.ctx.setState({ filter: v }, { replace: true }), 120);
    });
    this.scroller.addEventListener('scroll', () => this.renderRows());
    this.scroller.addEventListener('keydown', (e) => void this.onKey(e));
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

  private apply(s: ProfileState): void {
    if (document.activeElement !== this.filterInput) this.filterInput.value = s.filter;
    this.filterCheck.check();
    const q = apiParams(s);
    this.download.setAttribute('href', `/api/profiles/${encodeURIComponent(this.ctx.profileId)}/top?${q}`);
    this.download.setAttribute('download', exportFileName(this.ctx.meta.name, '.top.json'));
    const key = pageParams(s, 0).toString();
    if (key === this.key) return;
    // A new list (filters, order or search): start again from its first page.
    this.key = key;
    this.pages.clear();
    this.loadingPages.clear();
    this.report = null;
    this.selectedAt = -1;
    this.root.dataset.ready = 'false';
    const loading = h('div.loading', null, 'Loading…');
    this.body.replaceChildren(loading);
    // A large profile's table takes a while on the server: say which stage it is in.
    const watch = new AbortController();
    watchProgress(this.ctx.profileId, ['top'], watch.signal, (u) => {
      loading.textContent = `Preparing the top table on the server. ${u.text}… ${Math.round(u.waitedMs / 1000)} s`;
      if (u.task) loading.dataset.stage = u.task.stage;
    });
    void this.loadPage(0).then(
      (ok) => {
        watch.abort();
        if (!ok || key !== this.key) return;
        this.root.dataset.ready = 'true';
      },
      (err: unknown) => {
        watch.abort();
        if (key !== this.key) return;
        this.body.replaceChildren(h('div.error', null, `Could not load the top table: ${(err as Error).message}`));
      },
    );
  }

  /** Fetches page `n` of the current list (once); false when the list changed meanwhile. */
  private loadPage(n: number): Promise<boolean> {
    if (this.pages.has(n)) return Promise.resolve(true);
    const inFlight = this.loadingPages.get(n);
    if (inFlight) return inFlight;
    const key = this.key;
    const s = this.ctx.state();
    const p = api.top(this.ctx.profileId, pageParams(s, n)).then(
      (rep) => {
        if (key !== this.key) return false;
        this.loadingPages.delete(n);
        this.pages.set(n, { rows: rep.rows, sums: rep.sums ?? [], indices: rep.indices ?? [] });
        if (!this.report) {
          this.report = rep;
          this.count = rep.totalRows ?? rep.rows.length;
          this.tableRows = rep.tableRows ?? this.count;
          this.legendPre.textContent = rep.legend.join('\n');
          this.build(s);
        } else {
          this.renderRows(true);
        }
        return true;
      },
      (err: unknown) => {
        if (key === this.key) this.loadingPages.delete(n);
        throw err;
      },
    );
    this.loadingPages.set(n, p);
    return p;
  }

  /** Row `at` of the shown list, when its page is here. */
  private rowAt(at: number): ViewRow | null {
    const p = this.pages.get(Math.floor(at / TOP_PAGE));
    const k = at % TOP_PAGE;
    if (!p || k >= p.rows.length) return null;
    return { row: p.rows[k]!, sum: p.sums[k] ?? 0, index: p.indices[k] ?? at, at };
  }

  private build(s: ProfileState): void {
    if (!this.report) return;
    this.info.textContent = s.filter ? `${this.count} of ${this.tableRows} rows` : `${this.count} rows`;
    this.renderHead(s);
    this.spacer.style.height = `${this.count * ROW_H}px`;
    // A new filter or order starts at the top (a stale scrollTop would show nothing).
    this.scroller.scrollTop = 0;
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
      // Above the header: below it the popover would hide the first rows it explains.
      attachExplain(
        el,
        `top-${label}`,
        () => {
          const text = explainColumn(kind, label);
          return text
            ? { term: label, kind, text, note: sort ? (s.sort === sort ? `Sorted by ${label}` : `Click to sort by ${label}`) : undefined }
            : null;
        },
        'above',
      );
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
    const last = Math.min(this.count, Math.ceil((top + height) / ROW_H) + OVERSCAN);
    const stamp = `${first}:${last}:${this.count}:${this.selected}`;
    if (!force && this.body.dataset.stamp === stamp) return;
    this.body.dataset.stamp = stamp;
    const unit = rep.displayUnit || rep.unit;
    const from = rep.sampleType.unit;
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const r = this.rowAt(i);
      if (!r) {
        // Its page is on its way: a placeholder of the same height keeps the scroll steady.
        void this.loadPage(Math.floor(i / TOP_PAGE)).catch(() => undefined);
        const el = h('div.top-row.pending', { role: 'row', 'aria-busy': 'true' }, h('div.cell.name', { role: 'gridcell' }, '…'));
        el.style.transform = `translateY(${i * ROW_H}px)`;
        frag.append(el);
        continue;
      }
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
      if (r.index === this.selected) {
        el.classList.add('selected');
        el.setAttribute('aria-selected', 'true');
      }
      el.addEventListener('click', () => this.select(r));
      const bar = h('div.bar');
      bar.style.width = `${Math.min(100, (100 * Math.abs(r.row.flat)) / (Math.abs(rep.total) || 1))}%`;
      el.prepend(bar);
      frag.append(el);
    }
    this.body.replaceChildren(frag);
  }

  /** Keyboard: arrows, Page Up/Down, Home/End move the selection; Enter shows it in the flame graph. */
  private async onKey(e: KeyboardEvent): Promise<void> {
    // Only on the table itself: the header's sort buttons keep their own keys.
    if (e.target !== this.scroller || e.altKey || e.ctrlKey || e.metaKey || !this.count) return;
    const cur = this.selectedAt >= 0 ? this.rowAt(this.selectedAt) : null;
    const at = cur && cur.index === this.selected ? this.selectedAt : -1;
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_H) - 2);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    let to: number;
    if (e.key in moves) to = at < 0 ? 0 : at + moves[e.key]!;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = this.count - 1;
    else if (e.key === 'Enter' && cur && at >= 0) {
      e.preventDefault();
      const fn = cur.row.function || cur.row.name;
      this.ctx.setState({ view: 'flame', search: exactName(fn) });
      return;
    } else return;
    e.preventDefault();
    to = Math.max(0, Math.min(this.count - 1, to));
    // Keep the row in sight below the sticky header.
    const top = to * ROW_H;
    const head = this.head.offsetHeight;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_H > this.scroller.scrollTop + this.scroller.clientHeight - head)
      this.scroller.scrollTop = top + ROW_H - this.scroller.clientHeight + head;
    const key = this.key;
    if (!(await this.loadPage(Math.floor(to / TOP_PAGE)).catch(() => false)) || key !== this.key) return;
    const r = this.rowAt(to);
    if (r) this.select(r);
  }

  private select(r: ViewRow): void {
    this.selected = r.index;
    this.selectedAt = r.at;
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

  /** Rows as displayed, as far as their pages are here without a gap (for tests). */
  displayed(): { name: string; flat: number; cum: number }[] {
    const out: { name: string; flat: number; cum: number }[] = [];
    for (let n = 0; this.pages.has(n); n++)
      for (const row of this.pages.get(n)!.rows) out.push({ name: row.name, flat: row.flat, cum: row.cum });
    return out;
  }
}
