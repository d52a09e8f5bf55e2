// The Flame graph tab: toolbar (search, orientation, breadcrumb, reset), the canvas,
// tooltip and package legend. Data comes pruned from the server (minFraction); zooming
// into a frame whose small children were pruned fetches that subtree (API `path`).
import type { HierarchyNode } from 'd3-hierarchy';
import { explainSampleType } from '../../../contract/explain.js';
import type { FlameGraph, FlameNode } from '../../../contract/views.js';
import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { fmtAuto, fmtPct1 } from '../fmt.js';
import type { ProfilePageContext, ProfileState } from '../registry.js';
import { exactName, quoteMeta, type GoRegexp } from '../../../contract/go-regexp.js';
import { apiParams, searchRegExp } from '../state.js';
import { attachRegexCheck } from '../widgets/regex-field.js';
import { effectiveTheme, onThemeChange } from '../theme.js';
import { frameColor, packageOf, pathOf, type FlameHover } from './flamegraph.js';
import { exportFileName } from '../../../contract/file-name.js';
import { flamePng, flameSvg, saveBlob } from './flame-export.js';
import { D3Flame } from './flamegraph-d3.js';
import { matchSummary, packageOfSearch } from './match-summary.js';
import { watchProgress } from './progress-watch.js';

/** Timings exposed for the browser test and bench (window.pprofLensDebug). */
export interface FlameTimings {
  /** navigationStart -> first flame graph painted. */
  firstDrawAt: number;
  /** Last zoom click -> canvas redrawn (sync part). */
  zoomRedrawMs: number;
  /** Last zoom click -> full detail shown (includes a subtree fetch when needed). */
  zoomDetailMs: number;
  fetchMs: number;
  drawMs: number;
  frames: number;
}

export const flameTimings: FlameTimings = { firstDrawAt: 0, zoomRedrawMs: 0, zoomDetailMs: 0, fetchMs: 0, drawMs: 0, frames: 0 };

const prefetched = new Map<string, Promise<FlameGraph>>();

/** The server's tasks whose answer the flame graph waits for: its own, and the upload's warm-up of the same graph. */
const FLAME_TASKS = ['flame', 'warm'] as const;

/** About half a pixel of the chart: everything narrower would not be drawn anyway. */
export function flameMinFraction(): number {
  const w = Math.max(400, window.innerWidth - 40);
  return Number((0.5 / w).toPrecision(2));
}

function flameQuery(s: ProfileState): URLSearchParams {
  const q = apiParams(s);
  // pprof's flame graph default: same-named functions from different files stay apart,
  // and frames carry their file for the tooltip.
  if (!q.has('granularity')) q.set('granularity', 'filefunctions');
  q.set('minFraction', String(flameMinFraction()));
  return q;
}

/** Start the flame graph request while the page is still fetching the profile's metadata. */
export function prefetchFlame(id: string, s: ProfileState): void {
  const q = flameQuery(s);
  const k = `${id}?${q}`;
  if (!prefetched.has(k)) {
    const p = api.flame(id, q);
    p.catch(() => prefetched.delete(k));
    prefetched.set(k, p);
  }
}

function takeFlame(id: string, q: URLSearchParams, signal: AbortSignal): Promise<FlameGraph> {
  const k = `${id}?${q}`;
  const p = prefetched.get(k);
  if (p) {
    prefetched.delete(k);
    return p;
  }
  return api.flame(id, q, signal);
}

function dataKey(s: ProfileState): string {
  return apiParams(s).toString();
}

export class FlameView {
  private root = h('div.flame-view');
  private searchInput = h('input.search', {
    type: 'search',
    placeholder: 'Search frames (regexp)  /',
    'aria-label': 'Search frames',
    spellcheck: 'false',
  });
  private matchInfo = h('span.match-info', { 'aria-live': 'polite' });
  private crumbs = h('nav.crumbs', { 'aria-label': 'Zoom path' });
  private resetBtn = h('button.btn', { type: 'button', title: 'Reset zoom (Esc)' }, 'Reset zoom');
  private orientBtn = h('button.btn', { type: 'button', title: 'Toggle flame (root at bottom) / icicle (root at top)' });
  private legend = h('div.legend', { 'aria-label': 'Colour by package' });
  private status = h('div.flame-status');
  private scroller = h('div.flame-scroll');
  private tooltip = h('div.tooltip', { role: 'tooltip', hidden: true });
  private sourceBtn = h('button.btn', { type: 'button', title: 'Annotated source of the zoomed frame' }, 'Source of zoomed');
  private svgBtn = h(
    'button.btn',
    { type: 'button', title: 'Save the flame graph as shown (zoom, search, theme) as SVG', 'data-testid': 'export-svg' },
    'SVG',
  );
  private pngBtn = h('button.btn', { type: 'button', title: 'Save the flame graph as shown as PNG', 'data-testid': 'export-png' }, 'PNG');
  private menu = h('div.menu', { role: 'menu', hidden: true });
  private peekBtn = h(
    'button.btn',
    { type: 'button', title: 'Callers and callees of the functions the search matches (pprof -peek)' },
    'Peek',
  );
  private canvas: D3Flame;
  private data: FlameGraph | null = null;
  private key = '';
  private loading: AbortController | null = null;
  private highlightOverride: GoRegexp | string[] | null = null;
  private zoomClickAt = 0;
  private subtreeCache = new Map<string, Promise<FlameNode>>();
  private searchTimer = 0;
  private searchCheck = attachRegexCheck(this.searchInput, { fallback: 'matching the text literally' });

  /** `beforeDraw`: what a drawing waits for once its data is at hand (the page header's total). */
  constructor(
    private el: HTMLElement,
    private ctx: ProfilePageContext,
    private beforeDraw: Promise<void> = Promise.resolve(),
  ) {
    const toolbar = h(
      'div.toolbar',
      null,
      h('div.search-wrap', null, this.searchInput, this.matchInfo, this.searchCheck.el),
      this.peekBtn,
      this.orientBtn,
      this.sourceBtn,
      this.resetBtn,
      this.svgBtn,
      this.pngBtn,
    );
    this.root.append(toolbar, h('div.crumb-row', null, this.crumbs, this.legend), this.status, this.scroller, this.tooltip, this.menu);
    el.appendChild(this.root);
    this.canvas = new D3Flame(this.scroller, {
      onZoom: (path) => {
        this.zoomClickAt = performance.now();
        const cur = this.ctx.state().zoom;
        // Clicking the zoomed frame itself zooms out one level, like d3-flame-graph's root click.
        const same = path.length === cur.length && path.every((p, i) => p === cur[i]);
        this.ctx.setState({ zoom: same ? path.slice(0, -1) : path });
      },
      onHover: (hv) => this.showTooltip(hv),
      onMenu: (node, x, y, fromKeyboard) => this.showMenu(node, x, y, fromKeyboard),
    });
    this.sourceBtn.addEventListener('click', () => {
      const f = this.canvas.focusNode;
      if (f && f.parent) this.ctx.openSource(f.data.name);
    });
    this.peekBtn.addEventListener('click', () => {
      const re = this.searchInput.value || this.ctx.state().search;
      if (re) this.ctx.setState({ view: 'peek', extra: { pk: re } });
      else this.searchInput.focus();
    });
    document.addEventListener('click', () => this.hideMenu());
    // In the menu: arrows move between its items, Esc closes it and returns to the chart
    // (without also resetting the zoom, which Esc does elsewhere on the page).
    this.menu.addEventListener('keydown', (e) => {
      const items = [...this.menu.querySelectorAll<HTMLElement>('.menu-item')];
      const i = items.indexOf(document.activeElement as HTMLElement);
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.hideMenu();
        this.scroller.querySelector<HTMLElement>('.flame-canvas')?.focus();
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
      }
    });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.hideMenu();
    });
    this.canvas.dark = effectiveTheme() === 'dark';
    onThemeChange(() => {
      this.canvas.dark = effectiveTheme() === 'dark';
      this.renderLegend();
      this.canvas.draw();
    });
    this.searchInput.addEventListener('input', () => {
      window.clearTimeout(this.searchTimer);
      const v = this.searchInput.value;
      this.searchTimer = window.setTimeout(() => this.ctx.setState({ search: v }, { replace: true }), 150);
    });
    this.searchInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        window.clearTimeout(this.searchTimer);
        this.ctx.setState({ search: this.searchInput.value }, { replace: true });
      }
    });
    this.resetBtn.addEventListener('click', () => this.ctx.setState({ zoom: [] }));
    this.svgBtn.addEventListener('click', () => {
      const image = this.image();
      if (image) saveBlob(new Blob([image.svg], { type: 'image/svg+xml' }), exportFileName(this.ctx.meta.name, '.flame.svg'));
    });
    this.pngBtn.addEventListener('click', () => {
      const image = this.image();
      if (image) void flamePng(image).then((b) => saveBlob(b, exportFileName(this.ctx.meta.name, '.flame.png')));
    });
    this.orientBtn.addEventListener('click', () => this.ctx.setState({ icicle: !this.ctx.state().icicle }));
    new ResizeObserver(() => {
      if (this.data && this.el.offsetParent !== null) this.canvas.draw();
    }).observe(this.scroller);
    this.ctx.onStateChange((s, prev) => this.apply(s, prev));
    this.apply(this.ctx.state(), null);
  }

  /** The drawn chart as SVG, titled with the profile, sample type, filters, zoom and search. */
  private image(): ReturnType<typeof flameSvg> | null {
    const chart = this.scroller.querySelector('.flame-chart');
    if (!chart || !this.data) return null;
    const s = this.ctx.state();
    const parts = [this.ctx.meta.name || this.ctx.profileId, s.si || this.ctx.meta.defaultSampleType];
    const filters = (
      [
        ['focus', s.focus],
        ['ignore', s.ignore],
        ['hide', s.hide],
        ['show', s.show],
        ['show_from', s.showFrom],
        ['granularity', s.granularity],
      ] as const
    )
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${v}`);
    if (filters.length) parts.push(filters.join(' '));
    if (s.zoom.length) parts.push(`zoom: ${s.zoom[s.zoom.length - 1]}`);
    if (s.search) parts.push(`search: ${s.search}`);
    return flameSvg(chart, parts.join(' · '), this.canvas.dark);
  }

  focusSearch(): void {
    this.searchInput.focus();
    this.searchInput.select();
  }

  highlight(m: GoRegexp | string[] | null): void {
    this.highlightOverride = m;
    this.updateMatch();
    this.canvas.draw();
  }

  /** Draw again when the tab becomes visible (a hidden canvas has no width). */
  shown(): void {
    if (this.data) this.canvas.draw();
  }

  private async apply(s: ProfileState, prev: ProfileState | null): Promise<void> {
    if (document.activeElement !== this.searchInput) this.searchInput.value = s.search;
    this.searchCheck.check();
    this.orientBtn.textContent = s.icicle ? 'Icicle ▾' : 'Flame ▴';
    this.orientBtn.setAttribute('aria-pressed', String(s.icicle));
    this.canvas.icicle = s.icicle;
    const key = dataKey(s);
    if (!this.data || key !== this.key) {
      await this.load(s);
      return;
    }
    if (!prev || prev.search !== s.search) this.highlightOverride = null;
    if (!prev || prev.zoom.join('\u0000') !== s.zoom.join('\u0000')) {
      await this.zoomTo(s.zoom);
      return;
    }
    this.updateMatch();
    this.canvas.draw();
  }

  private async load(s: ProfileState): Promise<void> {
    this.loading?.abort();
    const ac = new AbortController();
    this.loading = ac;
    this.key = dataKey(s);
    this.subtreeCache.clear();
    this.status.textContent = 'Loading flame graph…';
    this.status.className = 'flame-status';
    const q = flameQuery(s);
    const t0 = performance.now();
    // A large profile takes seconds on the server (decoding, then building the tree): say
    // which stage the server is in (as it reports it), rather than leave a blank area.
    const stopWatch = watchProgress(this.ctx.profileId, FLAME_TASKS, ac.signal, (u) => {
      this.status.textContent = `Preparing the flame graph on the server. ${u.text}… ${Math.round(u.waitedMs / 1000)} s`;
      if (u.task) {
        this.status.dataset.stage = u.task.stage;
        this.status.dataset.fraction = u.task.fraction === null ? '' : String(u.task.fraction);
      }
    });
    try {
      const fg = await takeFlame(this.ctx.profileId, q, ac.signal).finally(() => {
        stopWatch();
        delete this.status.dataset.stage;
        delete this.status.dataset.fraction;
      });
      if (ac.signal.aborted) return;
      flameTimings.fetchMs = performance.now() - t0;
      await this.beforeDraw;
      if (ac.signal.aborted) return;
      this.status.textContent = 'Drawing the flame graph…';
      this.data = fg;
      this.canvas.setTree(fg.root);
      this.status.textContent = '';
      this.renderLegend();
      await this.zoomTo(s.zoom);
      // zoomTo waited for the next animation frame, so the first picture is on screen.
      if (!flameTimings.firstDrawAt) flameTimings.firstDrawAt = performance.now();
      this.el.dataset.ready = 'true';
    } catch (err) {
      if (ac.signal.aborted) return;
      this.status.textContent = `Could not load the flame graph: ${(err as Error).message}`;
      this.status.className = 'flame-status error';
    }
  }

  private fetchSubtree(path: string[]): Promise<FlameNode> {
    const k = JSON.stringify(path);
    let p = this.subtreeCache.get(k);
    if (!p) {
      const q = flameQuery(this.ctx.state());
      q.set('path', k);
      p = api.flame(this.ctx.profileId, q).then((fg) => {
        // The server answers with the tree from the root down to that frame; take the frame.
        let n: FlameNode | undefined = fg.root;
        if (n.name !== path[path.length - 1] || path.length === 0) {
          for (const name of path) {
            n = n?.children.find((c) => c.name === name);
            if (!n) break;
          }
        }
        if (!n) throw new Error('frame not found in subtree');
        return n;
      });
      p.catch(() => this.subtreeCache.delete(k));
      this.subtreeCache.set(k, p);
    }
    return p;
  }

  private zoomSeq = 0;

  /** Zoom to a path, drawing at once and again when pruned children arrive. */
  private async zoomTo(path: string[]): Promise<void> {
    const seq = ++this.zoomSeq;
    const t0 = this.zoomClickAt || performance.now();
    let { node, matched } = this.canvas.find(path);
    this.canvas.setFocus(node);
    this.finishDraw();
    // Count until the next animation frame: style, layout and paint of the redrawn chart.
    await new Promise<void>((r) => requestAnimationFrame(() => r()));
    flameTimings.zoomRedrawMs = performance.now() - t0;
    // Load hidden detail: where the path goes beyond what we have, or where the
    // zoomed frame still has pruned descendants, fetch that subtree at full detail.
    for (let guard = 0; guard < 32; guard++) {
      const data = node.data as FlameNode & { full?: boolean };
      if (!node.parent || data.full) break;
      const needMore = matched < path.length ? (data.prunedCount ?? 0) > 0 : this.canvas.hasPruned(node);
      if (!needMore) break;
      const p = pathOf(node);
      try {
        this.status.textContent = 'Loading detail…';
        const sub = await this.fetchSubtree(p);
        if (seq !== this.zoomSeq) return;
        this.canvas.graft(node, sub);
        data.full = true;
      } catch (err) {
        this.status.textContent = `Could not load detail: ${(err as Error).message}`;
        break;
      }
      this.status.textContent = '';
      ({ node, matched } = this.canvas.find(path));
      this.canvas.setFocus(node);
      this.finishDraw();
      // The zoomed frame itself is now at full detail; deeper levels load when zoomed into.
      if (matched === path.length) break;
    }
    if (seq !== this.zoomSeq) return;
    this.status.textContent = '';
    flameTimings.zoomDetailMs = performance.now() - t0;
    this.zoomClickAt = 0;
    this.el.dataset.zoomed = JSON.stringify(pathOf(node));
  }

  private finishDraw(): void {
    this.updateMatch();
    this.canvas.draw();
    flameTimings.drawMs = this.canvas.lastDraw.ms;
    flameTimings.frames = this.canvas.lastDraw.frames;
    this.renderCrumbs();
  }

  private updateMatch(): void {
    const ov = this.highlightOverride;
    let fn: ((n: string) => boolean) | null = null;
    if (Array.isArray(ov)) {
      const set = new Set(ov);
      fn = (n) => set.has(n);
    } else if (ov) fn = (n) => ov.test(n);
    else {
      const re = searchRegExp(this.ctx.state().search);
      if (re) fn = (n) => re.test(n);
    }
    this.canvas.setMatch(fn);
    if (!fn || !this.data) {
      this.matchInfo.textContent = '';
      this.matchInfo.hidden = true;
      return;
    }
    const t = this.canvas.matchTotals()!;
    const summary = matchSummary({
      unit: this.data.sampleType.unit,
      total: this.data.total,
      whole: t.whole,
      zoom: t.zoom ?? undefined,
      pkg: ov ? null : packageOfSearch(this.ctx.state().search),
    });
    this.matchInfo.hidden = false;
    this.matchInfo.textContent = summary.text;
    this.matchInfo.title = summary.title;
    this.matchInfo.classList.toggle('none', summary.none);
  }

  private renderCrumbs(): void {
    clear(this.crumbs);
    const focus = this.canvas.focusNode;
    if (!focus || !focus.parent) {
      this.crumbs.append(h('span.crumb.current', null, 'root'));
      this.resetBtn.disabled = true;
      this.sourceBtn.disabled = true;
      return;
    }
    this.resetBtn.disabled = false;
    this.sourceBtn.disabled = false;
    const chain = focus.ancestors().reverse();
    const shown = chain.length > 6 ? [chain[0]!, null, ...chain.slice(-4)] : chain;
    shown.forEach((n, i) => {
      if (i > 0) this.crumbs.append(h('span.sep', null, '›'));
      if (!n) {
        this.crumbs.append(h('span.crumb.ellipsis', null, '…'));
        return;
      }
      if (n === focus) {
        this.crumbs.append(h('span.crumb.current', { title: n.data.name }, n.data.name));
        return;
      }
      const b = h('button.crumb', { type: 'button', title: n.data.name }, n.parent ? n.data.name : 'root');
      b.addEventListener('click', () => this.ctx.setState({ zoom: pathOf(n) }));
      this.crumbs.append(b);
    });
  }

  private renderLegend(): void {
    clear(this.legend);
    const root = this.canvas.rootNode;
    if (!root) return;
    // Packages weighted by self value: what the colours mostly mean on screen.
    const weight = new Map<string, number>();
    root.each((n) => {
      if (!n.parent || (n.data as FlameNode & { prunedOf?: unknown }).prunedOf) return;
      const pkg = packageOf(n.data.name) || '(none)';
      weight.set(pkg, (weight.get(pkg) ?? 0) + Math.abs(n.data.self) + Math.abs(n.data.prunedValue ?? 0));
    });
    const top = [...weight.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    const dark = effectiveTheme() === 'dark';
    for (const [pkg] of top) {
      const b = h(
        'button.legend-item',
        { type: 'button', title: `Highlight package ${pkg} and show its own (flat) share` },
        h('span.swatch'),
        pkg,
      );
      (b.firstChild as HTMLElement).style.background = frameColor(pkg === '(none)' ? '' : pkg, dark);
      b.addEventListener('click', () => this.ctx.setState({ search: `^${quoteMeta(pkg)}\\.` }, { replace: true }));
      this.legend.append(b);
    }
  }

  private hideMenu(): void {
    this.menu.hidden = true;
  }

  /** pprof's right-click actions: source, zoom, and refine (focus / ignore / hide). */
  private showMenu(node: HierarchyNode<FlameNode>, x: number, y: number, fromKeyboard = false): void {
    this.tooltip.hidden = true;
    clear(this.menu);
    const name = node.data.name;
    const re = exactName(name);
    const item = (label: string, act: () => void) => {
      const b = h('button.menu-item', { type: 'button', role: 'menuitem' }, label);
      b.addEventListener('click', (e) => {
        e.stopPropagation();
        this.hideMenu();
        act();
      });
      this.menu.append(b);
    };
    this.menu.append(h('div.menu-title', null, name));
    item('Show source', () => this.ctx.openSource(name));
    item('Zoom here', () => this.ctx.setState({ zoom: pathOf(node) }));
    item('Peek callers and callees', () => this.ctx.setState({ view: 'peek', extra: { pk: re } }));
    item('Sandwich', () => this.ctx.setState({ view: 'sandwich', extra: { sw: name } }));
    item('Focus on this function', () => this.ctx.setState({ focus: re, zoom: [] }));
    item('Ignore this function', () => {
      const cur = this.ctx.state().ignore;
      this.ctx.setState({ ignore: cur ? `${re}|${cur}` : re, zoom: [] });
    });
    item('Hide this frame', () => {
      const cur = this.ctx.state().hide;
      this.ctx.setState({ hide: cur ? `${re}|${cur}` : re, zoom: [] });
    });
    this.menu.hidden = false;
    const r = this.menu.getBoundingClientRect();
    this.menu.style.left = `${Math.max(8, Math.min(x, window.innerWidth - r.width - 8))}px`;
    this.menu.style.top = `${Math.max(8, Math.min(y, window.innerHeight - r.height - 8))}px`;
    if (fromKeyboard) this.menu.querySelector<HTMLElement>('.menu-item')?.focus();
  }

  private showTooltip(hv: FlameHover | null): void {
    if (!this.menu.hidden) return;
    const tip = this.tooltip;
    if (!hv || !this.data) {
      tip.hidden = true;
      return;
    }
    const unit = this.data.sampleType.unit;
    const total = this.data.total;
    const d = hv.node.data;
    const focus = this.canvas.focusNode;
    clear(tip);
    if (hv.pruned) {
      const pv = d.prunedValue ?? 0;
      tip.append(
        h('div.tt-name', null, `${d.prunedCount ?? 0} small frames under ${d.name}`),
        h('div.tt-row', null, `${fmtAuto(pv, unit)} · ${fmtPct1(pv, total)} of total`),
        h('div.tt-hint', null, 'Click to load them at full detail'),
      );
    } else {
      const rows: HTMLElement[] = [h('div.tt-name', null, hv.node.parent ? d.name : 'root')];
      if (d.file) rows.push(h('div.tt-file', null, d.file));
      if (d.inline) rows.push(h('div.tt-file', null, '(inlined)'));
      rows.push(h('div.tt-row', null, h('b', null, fmtAuto(d.value, unit)), ` · ${fmtPct1(d.value, total)} of total`));
      if (focus && focus.parent && focus !== hv.node && hv.node.depth > focus.depth) {
        rows.push(h('div.tt-row', null, `${fmtPct1(d.value, focus.data.value)} of ${focus.data.name}`));
      }
      if (hv.node.parent && hv.node.parent.parent)
        rows.push(h('div.tt-row', null, `${fmtPct1(d.value, hv.node.parent.data.value)} of caller`));
      rows.push(h('div.tt-row.muted', null, `self ${fmtAuto(d.self, unit)}`));
      // What a frame's width stands for in this profile (CPU time, bytes still in use, ...).
      const what = explainSampleType(this.ctx.meta.kind, this.data.sampleType.type);
      if (what)
        rows.push(
          h(
            'div.tt-explain',
            null,
            h('span.tt-explain-label', null, `Width · ${this.data.sampleType.type}: `),
            h('span.tt-explain-text', null, what),
          ),
        );
      tip.append(...rows);
    }
    tip.hidden = false;
    const pad = 14;
    const r = tip.getBoundingClientRect();
    let x = hv.clientX + pad;
    let y = hv.clientY + pad;
    if (x + r.width > window.innerWidth - 8) x = hv.clientX - r.width - pad;
    if (y + r.height > window.innerHeight - 8) y = hv.clientY - r.height - pad;
    tip.style.left = `${Math.max(4, x)}px`;
    tip.style.top = `${Math.max(4, y)}px`;
  }

  get node(): HierarchyNode<FlameNode> | null {
    return this.canvas.focusNode;
  }

  /** Painted frames (for tests). */
  frames() {
    return this.canvas.frames();
  }
}
