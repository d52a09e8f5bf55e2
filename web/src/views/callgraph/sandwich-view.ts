// The Sandwich tab: one function's callers drawn upward above it (the function at the
// bottom of the upper chart) and its callees drawn downward below it, both merged over
// every stack it appears on (each sample once, so the function's width is pprof's cum).
// Clicking a caller or callee moves the sandwich to that function; the function is in
// the URL (`sw`), so back/forward and copied links restore it.
import type { Sandwich } from '../../../../contract/views.js';
import { clear, h } from '../../dom.js';
import { fmtAuto, fmtPct1 } from '../../fmt.js';
import type { ProfilePageContext, ProfileState } from '../../registry.js';
import { apiParams } from '../../state.js';
import { exactName } from '../../../../contract/go-regexp.js';
import { D3Flame } from '../flamegraph-d3.js';
import type { FlameHover } from '../flamegraph.js';
import { PEEK_KEY, SANDWICH_KEY, fetchView } from './links.js';

export class SandwichView {
  private root = h('div.sandwich-view');
  private input = h('input.search', {
    type: 'search',
    placeholder: 'Function name',
    'aria-label': 'Sandwich function',
    spellcheck: 'false',
  });
  private title = h('div.sw-title');
  private status = h('div.cg-status', { role: 'status' });
  private upper = h('div.sw-half.sw-callers', { 'aria-label': 'Callers' });
  private lower = h('div.sw-half.sw-callees', { 'aria-label': 'Callees' });
  private tooltip = h('div.cg-tooltip', { hidden: true });
  private callers: D3Flame;
  private callees: D3Flame;
  private data: Sandwich | null = null;
  private key: string | null = null;
  private abort: AbortController | null = null;

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    const peek = h('button.btn', { type: 'button' }, 'Peek');
    peek.addEventListener('click', () => {
      const fn = this.ctx.state().extra[SANDWICH_KEY];
      if (fn) this.ctx.setState({ view: 'peek', extra: { [PEEK_KEY]: exactName(fn) } });
    });
    this.root.append(
      h('div.toolbar', null, h('div.search-wrap', null, this.input), peek),
      this.title,
      this.status,
      h('div.sw-label', null, 'Callers ↑'),
      this.upper,
      this.lower,
      h('div.sw-label', null, 'Callees ↓'),
      this.tooltip,
    );
    el.append(this.root);
    const callbacks = (which: 'callers' | 'callees') => ({
      onZoom: (path: string[]) => {
        const name = path[path.length - 1];
        if (name) this.ctx.setState({ extra: { [SANDWICH_KEY]: name } });
      },
      onHover: (hv: FlameHover | null) => this.hover(hv, which),
      onMenu: () => undefined,
    });
    this.callers = new D3Flame(this.upper, callbacks('callers'));
    this.callees = new D3Flame(this.lower, callbacks('callees'));
    this.callees.icicle = true;
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.ctx.setState({ extra: { [SANDWICH_KEY]: this.input.value } });
    });
    this.ctx.onStateChange((s) => this.apply(s));
    this.apply(this.ctx.state());
  }

  private apply(s: ProfileState): void {
    if (s.view !== 'sandwich') return;
    const fn = s.extra[SANDWICH_KEY] ?? '';
    if (document.activeElement !== this.input) this.input.value = fn;
    const q = apiParams(s);
    q.set('fn', fn);
    const key = q.toString();
    if (key === this.key) return;
    this.key = key;
    if (!fn) {
      this.status.textContent = 'Pick "Sandwich" on a function in the flame graph, the top table or the peek table.';
      this.upper.hidden = this.lower.hidden = true;
      return;
    }
    this.abort?.abort();
    this.abort = new AbortController();
    this.status.textContent = 'Loading…';
    const t0 = performance.now();
    fetchView<Sandwich>(this.ctx.profileId, 'sandwich', q, this.abort.signal).then(
      (r) => {
        if (key !== this.key) return;
        this.render(r);
        this.root.dataset.drawnMs = String(Math.round(performance.now() - t0));
      },
      (e: Error) => {
        if (e.name === 'AbortError' || key !== this.key) return;
        this.status.textContent = e.message;
      },
    );
  }

  private render(r: Sandwich): void {
    this.data = r;
    clear(this.title);
    if (!r.found) {
      this.status.textContent = `No function named ${r.name} in this view (check the granularity and filters).`;
      this.upper.hidden = this.lower.hidden = true;
      return;
    }
    this.status.textContent = '';
    const unit = r.sampleType.unit;
    this.title.append(
      h('strong', null, r.name),
      ` · cum ${fmtAuto(r.cum, unit)} (${fmtPct1(r.cum, r.total)}) · flat ${fmtAuto(r.flat, unit)} (${fmtPct1(r.flat, r.total)})`,
    );
    this.upper.hidden = this.lower.hidden = false;
    this.callers.setTree(r.callers);
    this.callees.setTree(r.callees);
    this.callers.draw();
    this.callees.draw();
    this.root.dataset.fn = r.name;
  }

  private hover(hv: FlameHover | null, which: 'callers' | 'callees'): void {
    const tip = this.tooltip;
    if (!hv || !this.data) {
      tip.hidden = true;
      return;
    }
    const d = hv.node.data;
    const unit = this.data.sampleType.unit;
    clear(tip);
    const rel = which === 'callers' ? 'through this caller' : 'in this callee';
    tip.append(
      h('div.tt-name', null, hv.pruned ? `${d.prunedCount ?? 0} small frames under ${d.name}` : d.name),
      h(
        'div',
        null,
        `${fmtAuto(hv.pruned ? (d.prunedValue ?? 0) : d.value, unit)} (${fmtPct1(hv.pruned ? (d.prunedValue ?? 0) : d.value, this.data.total)}) ${hv.node.parent ? rel : 'in total'}`,
      ),
    );
    if (hv.node.parent && !hv.pruned) tip.append(h('div.muted', null, 'Click to centre the sandwich on it'));
    tip.hidden = false;
    const box = this.root.getBoundingClientRect();
    tip.style.left = `${hv.clientX - box.left + 12}px`;
    tip.style.top = `${hv.clientY - box.top + 12}px`;
  }
}
