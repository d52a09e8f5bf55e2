// The Peek tab: `go tool pprof -peek REGEX` as a table. For each matching function, its
// callers above it, the function (flat, flat%, sum%, cum, cum%) and its callees below,
// with pprof's edge weights, percentages of the function's cum and "(inline)" marks.
// The regexp lives in the URL (`pk`); a caller or callee name peeks at that function.
import type { PeekEdge, PeekReport } from '../../../../contract/views.js';
import { clear, h } from '../../dom.js';
import { fmtIn, fmtPct } from '../../fmt.js';
import type { ProfilePageContext, ProfileState } from '../../registry.js';
import { apiParams } from '../../state.js';
import { attachRegexCheck } from '../../widgets/regex-field.js';
import { exactName } from '../../../../contract/go-regexp.js';
import { PEEK_KEY, SANDWICH_KEY, fetchView } from './links.js';

export class PeekView {
  private root = h('div.peek-view');
  private input = h('input.search', {
    type: 'search',
    placeholder: 'Functions to peek at (regexp)',
    'aria-label': 'Peek regexp',
    spellcheck: 'false',
  });
  private check = attachRegexCheck(this.input);
  private status = h('div.cg-status', { role: 'status' });
  private legend = h('details.legend-text', null, h('summary', null, 'Report header'));
  private legendPre = h('pre');
  private table = h('table.peek-table');
  private key: string | null = null;
  private abort: AbortController | null = null;

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    this.legend.append(this.legendPre);
    this.root.append(
      h('div.toolbar', null, h('div.search-wrap', null, this.input, this.check.el), this.legend),
      this.status,
      h('div.peek-scroll', null, this.table),
    );
    el.append(this.root);
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.ctx.setState({ extra: { [PEEK_KEY]: this.input.value } });
    });
    this.ctx.onStateChange((s) => this.apply(s));
    this.apply(this.ctx.state());
  }

  private apply(s: ProfileState): void {
    if (s.view !== 'peek') return;
    const re = s.extra[PEEK_KEY] ?? '';
    if (document.activeElement !== this.input) this.input.value = re;
    this.check.check();
    const q = apiParams(s);
    q.set('re', re);
    const key = q.toString();
    if (key === this.key) return;
    this.key = key;
    if (!re) {
      clear(this.table);
      this.status.textContent = 'Type a regexp, or pick "Peek" on a function in the flame graph or the top table.';
      return;
    }
    this.abort?.abort();
    this.abort = new AbortController();
    this.status.textContent = 'Loading…';
    fetchView<PeekReport>(this.ctx.profileId, 'peek', q, this.abort.signal).then(
      (r) => {
        if (key !== this.key) return;
        this.render(r);
      },
      (e: Error) => {
        if (e.name === 'AbortError' || key !== this.key) return;
        clear(this.table);
        this.status.textContent = e.message;
      },
    );
  }

  private render(r: PeekReport): void {
    this.legendPre.textContent = r.legend.join('\n');
    clear(this.table);
    if (r.entries.length === 0) {
      this.status.textContent = `No function matches ${this.ctx.state().extra[PEEK_KEY] ?? ''}`;
      return;
    }
    this.status.textContent = `${r.entries.length} function${r.entries.length === 1 ? '' : 's'}`;
    const fmt = (v: number): string => fmtIn(v, r.sampleType.unit, r.unit);
    this.table.append(
      h(
        'thead',
        null,
        h('tr', null, ...['flat', 'flat%', 'sum%', 'cum', 'cum%', 'calls', 'calls%', 'context'].map((t) => h('th', { scope: 'col' }, t))),
      ),
    );
    const nameCell = (name: string, inline: boolean, role: string): HTMLElement => {
      const b = h('button.peek-link', { type: 'button', title: `Peek at ${name}`, 'data-name': name }, name);
      b.addEventListener('click', () => this.ctx.setState({ extra: { [PEEK_KEY]: exactName(name) } }));
      return h('td.name', { 'data-role': role }, b, inline ? h('span.muted', null, ' (inline)') : null);
    };
    const edgeRow = (e: PeekEdge, cum: number, role: string): HTMLElement =>
      h(
        `tr.peek-${role}`,
        null,
        h('td'),
        h('td'),
        h('td'),
        h('td'),
        h('td'),
        h('td.num', null, fmt(e.weight)),
        h('td.num', null, fmtPct(e.weight, cum)),
        nameCell(e.name, e.inline, role),
      );
    for (const n of r.entries) {
      const group = h('tbody.peek-entry', { 'data-name': n.name });
      for (const e of n.callers) group.append(edgeRow(e, n.cum, 'caller'));
      const sw = h('button.btn.small', { type: 'button', title: 'Open the sandwich view of this function' }, 'Sandwich');
      sw.addEventListener('click', () => this.ctx.setState({ view: 'sandwich', extra: { [SANDWICH_KEY]: n.name } }));
      group.append(
        h(
          'tr.peek-self',
          null,
          h('td.num', null, fmt(n.flat)),
          h('td.num', null, fmtPct(n.flat, r.total)),
          h('td.num', null, fmtPct(n.flatSum, r.total)),
          h('td.num', null, fmt(n.cum)),
          h('td.num', null, fmtPct(n.cum, r.total)),
          h('td'),
          h('td'),
          h('td.name', { 'data-role': 'self' }, h('strong', null, n.name), ' ', sw),
        ),
      );
      for (const e of n.callees) group.append(edgeRow(e, n.cum, 'callee'));
      this.table.append(group);
    }
  }
}
