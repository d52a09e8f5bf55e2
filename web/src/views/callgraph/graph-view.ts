// The Call graph tab: pprof's -dot graph (same node selection, weights and marks, from
// GET /api/profiles/:id/graph) laid out by Graphviz itself, compiled to WebAssembly
// (@hpcc-js/wasm-graphviz, loaded on first use). Hover shows the numbers; a click focuses
// on a node (pprof's -focus), right click offers focus / ignore / hide / peek / sandwich;
// drag pans and the wheel zooms. Trimming lives in the URL (gn, gnf, gef) with the filters.
import { zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import { select } from 'd3-selection';
import type { CallGraph } from '../../../../contract/views.js';
import { clear, h } from '../../dom.js';
import { fmtIn, fmtPct } from '../../fmt.js';
import type { ProfilePageContext, ProfileState } from '../../registry.js';
import { apiParams } from '../../state.js';
import { exactName } from '../../../../contract/go-regexp.js';
import { callGraphDot } from './dot-source.js';
import { GRAPH_KEYS, PEEK_KEY, SANDWICH_KEY, fetchView } from './links.js';

type Layout = (dot: string) => string;
let layoutEngine: Promise<Layout> | null = null;

/** Graphviz (wasm) on first use; the module is its own chunk. */
function graphviz(): Promise<Layout> {
  layoutEngine ??= import('@hpcc-js/wasm-graphviz').then(async (m) => {
    const gv = await m.Graphviz.load();
    return (dot: string) => gv.dot(dot, 'svg');
  });
  return layoutEngine;
}

export class GraphView {
  private root = h('div.graph-view');
  private nodeCount = h('input.cg-num', {
    type: 'number',
    min: '1',
    max: '2000',
    'aria-label': 'Node count',
    title: 'Nodes shown at most (pprof -nodecount)',
  });
  private status = h('div.cg-status', { role: 'status' });
  private legend = h('details.legend-text', null, h('summary', null, 'Report header'));
  private legendPre = h('pre');
  private canvas = h('div.graph-canvas');
  private tooltip = h('div.cg-tooltip', { hidden: true });
  private menu = h('div.menu', { role: 'menu', hidden: true });
  private data: CallGraph | null = null;
  private key: string | null = null;
  private abort: AbortController | null = null;
  private zoomer: ZoomBehavior<SVGSVGElement, unknown> | null = null;

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    this.legend.append(this.legendPre);
    const fit = h('button.btn', { type: 'button', title: 'Fit the graph to the window' }, 'Fit');
    fit.addEventListener('click', () => this.fit());
    this.root.append(
      h('div.toolbar', null, h('label.cg-label', null, 'Nodes ', this.nodeCount), fit, this.legend),
      this.status,
      this.canvas,
      this.tooltip,
      this.menu,
    );
    el.append(this.root);
    this.nodeCount.addEventListener('change', () => {
      const v = this.nodeCount.value.trim();
      this.ctx.setState({ extra: { [GRAPH_KEYS.nodeCount]: /^\d+$/.test(v) && v !== '80' ? v : '' } });
    });
    document.addEventListener('click', () => (this.menu.hidden = true));
    this.ctx.onStateChange((s) => this.apply(s));
    this.apply(this.ctx.state());
  }

  private apply(s: ProfileState): void {
    if (s.view !== 'graph') return;
    const q = apiParams(s);
    const n = s.extra[GRAPH_KEYS.nodeCount];
    if (n) q.set('n', n);
    const nf = s.extra[GRAPH_KEYS.nodeFraction];
    if (nf) q.set('nodeFraction', nf);
    const ef = s.extra[GRAPH_KEYS.edgeFraction];
    if (ef) q.set('edgeFraction', ef);
    if (document.activeElement !== this.nodeCount) this.nodeCount.value = n || '80';
    const key = q.toString();
    if (key === this.key) return;
    this.key = key;
    this.abort?.abort();
    this.abort = new AbortController();
    this.status.textContent = 'Loading…';
    const t0 = performance.now();
    Promise.all([fetchView<CallGraph>(this.ctx.profileId, 'graph', q, this.abort.signal), graphviz()]).then(
      ([g, layout]) => {
        if (key !== this.key) return;
        this.render(g, layout);
        this.root.dataset.drawnMs = String(Math.round(performance.now() - t0));
      },
      (e: Error) => {
        if (e.name === 'AbortError' || key !== this.key) return;
        clear(this.canvas);
        this.status.textContent = e.message;
      },
    );
  }

  private render(g: CallGraph, layout: Layout): void {
    this.data = g;
    this.legendPre.textContent = g.legend.join('\n');
    clear(this.canvas);
    if (g.nodes.length === 0) {
      this.status.textContent = 'No nodes: the filters leave no samples.';
      return;
    }
    this.status.textContent = g.legend.filter((l) => /^(Showing|Dropped)/.test(l)).join(' · ');
    const doc = new DOMParser().parseFromString(layout(callGraphDot(g)), 'image/svg+xml');
    const svgEl = document.importNode(doc.documentElement, true) as unknown as SVGSVGElement;
    // Drop Graphviz's <title> children: the hover box replaces them.
    for (const t of svgEl.querySelectorAll('title')) t.remove();
    svgEl.removeAttribute('width');
    svgEl.removeAttribute('height');
    svgEl.classList.add('graph-svg');
    const inner = svgEl.querySelector('g.graph');
    const pan = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    if (inner) {
      inner.replaceWith(pan);
      pan.append(inner);
    }
    this.canvas.append(svgEl);
    this.zoomer = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.1, 10])
      .on('zoom', (ev: { transform: { toString(): string } }) => pan.setAttribute('transform', ev.transform.toString()));
    select(svgEl).call(this.zoomer).on('dblclick.zoom', null);
    for (const el of svgEl.querySelectorAll<SVGGElement>('g.node')) {
      const i = Number(el.id.replace(/^node/, '')) - 1;
      const n = g.nodes[i];
      if (!n) continue;
      el.dataset.name = n.name;
      el.addEventListener('mousemove', (e) => this.hoverNode(i, e));
      el.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
      el.addEventListener('click', (e) => {
        e.stopPropagation();
        this.ctx.setState({ focus: exactName(n.function || n.name) });
      });
      el.addEventListener('contextmenu', (e) => {
        e.preventDefault();
        this.showMenu(i, e.clientX, e.clientY);
      });
    }
    for (const el of svgEl.querySelectorAll<SVGGElement>('g.edge')) {
      const i = Number(el.id.replace(/^edge/, '')) - 1;
      if (!g.edges[i]) continue;
      el.addEventListener('mousemove', (e) => this.hoverEdge(i, e));
      el.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
    }
    this.root.dataset.nodes = String(g.nodes.length);
    this.root.dataset.edges = String(g.edges.length);
  }

  private fit(): void {
    const svgEl = this.canvas.querySelector('svg');
    if (svgEl && this.zoomer) select(svgEl as SVGSVGElement).call(this.zoomer.transform, zoomIdentity);
  }

  private place(e: MouseEvent): void {
    const box = this.root.getBoundingClientRect();
    this.tooltip.style.left = `${e.clientX - box.left + 14}px`;
    this.tooltip.style.top = `${e.clientY - box.top + 14}px`;
    this.tooltip.hidden = false;
  }

  private hoverNode(i: number, e: MouseEvent): void {
    const g = this.data;
    if (!g || !this.menu.hidden) return;
    const n = g.nodes[i];
    const fmt = (v: number): string => fmtIn(v, g.sampleType.unit, g.unit);
    clear(this.tooltip);
    this.tooltip.append(
      h('div.tt-name', null, n.name),
      h('div', null, `flat ${fmt(n.flat)} (${fmtPct(n.flat, g.total)})`),
      h('div', null, `cum ${fmt(n.cum)} (${fmtPct(n.cum, g.total)})`),
      h('div.muted', null, 'Click to focus on it; right click for more'),
    );
    this.place(e);
  }

  private hoverEdge(i: number, e: MouseEvent): void {
    const g = this.data;
    if (!g || !this.menu.hidden) return;
    const ed = g.edges[i];
    const fmt = (v: number): string => fmtIn(v, g.sampleType.unit, g.unit);
    clear(this.tooltip);
    this.tooltip.append(
      h('div.tt-name', null, `${g.nodes[ed.from].name} ${ed.residual ? '…' : '→'} ${g.nodes[ed.to].name}`),
      h(
        'div',
        null,
        `${fmt(ed.weight)} (${fmtPct(ed.weight, g.total)})${ed.inline ? ' · inlined' : ''}${ed.residual ? ' · through nodes left out' : ''}`,
      ),
    );
    this.place(e);
  }

  private showMenu(i: number, x: number, y: number): void {
    const g = this.data;
    if (!g) return;
    const n = g.nodes[i];
    const re = exactName(n.function || n.name);
    this.tooltip.hidden = true;
    clear(this.menu);
    const item = (label: string, act: () => void): void => {
      const b = h('button.menu-item', { type: 'button', role: 'menuitem' }, label);
      b.addEventListener('click', (e) => {
        e.stopPropagation();
        this.menu.hidden = true;
        act();
      });
      this.menu.append(b);
    };
    const s = this.ctx.state();
    this.menu.append(h('div.menu-title', null, n.name));
    item('Focus on this function', () => this.ctx.setState({ focus: re }));
    item('Ignore this function', () => this.ctx.setState({ ignore: s.ignore ? `${re}|${s.ignore}` : re }));
    item('Hide this function', () => this.ctx.setState({ hide: s.hide ? `${re}|${s.hide}` : re }));
    item('Peek callers and callees', () => this.ctx.setState({ view: 'peek', extra: { [PEEK_KEY]: exactName(n.name) } }));
    item('Sandwich', () => this.ctx.setState({ view: 'sandwich', extra: { [SANDWICH_KEY]: n.name } }));
    item('Show source', () => this.ctx.openSource(n.function || n.name));
    this.menu.hidden = false;
    const r = this.menu.getBoundingClientRect();
    this.menu.style.left = `${Math.min(x, window.innerWidth - r.width - 8)}px`;
    this.menu.style.top = `${Math.min(y, window.innerHeight - r.height - 8)}px`;
  }
}
