// Flame graph drawn by d3-flame-graph 5 (SVG) on d3 7. The server prunes the tree
// (minFraction ≈ half a pixel) and minFrameSize(1.5) keeps the DOM to the frames a
// user can see, so a first draw and a zoom stay well under the targets
// (bench/RESULTS.md). Children the server left out show as a grey "+N small"
// frame; zooming into its parent fetches that subtree at full detail (flame-view.ts).
import flamegraph, { type FlameDatum, type FlameGraphChart, type FlameTooltip } from 'd3-flame-graph';
import type { HierarchyNode } from 'd3-hierarchy';
import { select } from 'd3-selection';
import type { FlameNode } from '../../../contract/views.js';
import { frameColor, packageOf, pathOf, type FlameCallbacks } from './flamegraph.js';
import { matchTotals, type MatchTotals } from './match-summary.js';

export const ROW = 18;
const MIN_FRAME_PX = 1.5;
/** How long a finger rests on a frame before its menu opens (Android's long-press time). */
const LONG_PRESS_MS = 500;

/** A tree node as the chart sees it: our FlameNode plus the pruned-remainder marker. */
interface ChartNode extends FlameNode {
  /** A pseudo frame standing for the children the server pruned away. */
  prunedOf?: FlameNode;
  hide?: boolean;
  fade?: boolean;
}

type Datum = FlameDatum<ChartNode>;

/**
 * The chart's copy of a tree, with "+N small" pseudo children where the server pruned
 * (kept out of the real data). Iterative: stacks can be tens of thousands of frames deep.
 */
function withPseudo(top: FlameNode): ChartNode {
  const copy = (n: FlameNode): ChartNode => {
    // A plain object: d3-flame-graph tells raw data from hierarchies by constructor name.
    const out: ChartNode & { source: FlameNode; full?: boolean } = {
      name: n.name,
      value: n.value,
      self: n.self,
      file: n.file,
      inline: n.inline,
      prunedValue: n.prunedValue,
      prunedCount: n.prunedCount,
      source: n,
      children: [],
    };
    // "Loaded at full detail" travels with the copy, so the view does not fetch it again.
    if ((n as FlameNode & { full?: boolean }).full) out.full = true;
    return out;
  };
  const root = copy(top);
  const stack: [FlameNode, ChartNode][] = [[top, root]];
  while (stack.length > 0) {
    const [n, out] = stack.pop()!;
    for (const c of n.children) {
      const k = copy(c);
      out.children.push(k);
      stack.push([c, k]);
    }
    if ((n.prunedCount ?? 0) > 0 && Math.abs(n.prunedValue ?? 0) > 0) {
      const pseudo: ChartNode = {
        name: `+${n.prunedCount} small`,
        value: Math.abs(n.prunedValue ?? 0),
        self: Math.abs(n.prunedValue ?? 0),
        children: [],
        prunedOf: n,
      };
      out.children.push(pseudo);
    }
  }
  return root;
}

function sourceOf(d: ChartNode): FlameNode {
  return (d as ChartNode & { source?: FlameNode }).source ?? d;
}

export class D3Flame {
  private holder: HTMLDivElement;
  private chart: FlameGraphChart<ChartNode>;
  private data: FlameNode | null = null;
  private root: Datum | null = null;
  private focus: Datum | null = null;
  private match: ((name: string) => boolean) | null = null;
  private width = 0;
  icicle = false;
  dark = false;
  lastDraw = { frames: 0, ms: 0 };

  constructor(
    private host: HTMLElement,
    private cb: FlameCallbacks,
  ) {
    this.holder = document.createElement('div');
    this.holder.className = 'flame-chart';
    host.appendChild(this.holder);
    const tip = ((_sel: unknown) => undefined) as unknown as FlameTooltip<ChartNode>;
    tip.show = (event, d) => this.hover(d, event);
    tip.hide = () => this.cb.onHover(null);
    this.chart = flamegraph<ChartNode>()
      .cellHeight(ROW)
      .transitionDuration(0)
      .minFrameSize(MIN_FRAME_PX)
      .sort(false)
      .tooltip(tip)
      .setColorMapper((d) => this.color(d));
    // Clicks are taken before they reach d3-flame-graph's own frame handler, whose zoom
    // recurses per level; the view zooms through draw() instead.
    this.holder.addEventListener(
      'click',
      (e) => {
        const g = (e.target as Element | null)?.closest?.('g.frame') as (SVGGElement & { __data__?: Datum }) | null;
        const d = g?.__data__;
        if (!d) return;
        e.stopPropagation();
        // A pruned pseudo frame stands for its parent's hidden children: zoom to the parent.
        const target = d.data.prunedOf && d.parent ? d.parent : d;
        this.cb.onZoom(pathOf(target as unknown as HierarchyNode<FlameNode>));
      },
      true,
    );
    // Tooltips follow the mouse; d3-flame-graph only reports mouseover.
    this.holder.addEventListener('mousemove', (e) => {
      const d = this.datumAt(e.target);
      if (d) this.hover(d, e);
    });
    this.holder.addEventListener('mouseleave', () => this.cb.onHover(null));
    this.holder.addEventListener('contextmenu', (e) => {
      const d = this.datumAt(e.target);
      if (!d || d.data.prunedOf || !d.parent) return;
      e.preventDefault();
      this.cb.onMenu(d as unknown as HierarchyNode<FlameNode>, e.clientX, e.clientY);
    });
    this.touchGestures();
    this.keyboard();
    // The canvas renderer's test hook, kept for the same tests.
    (this.holder as HTMLElement & { pprofFrames?: () => unknown }).pprofFrames = () => this.frames();
    this.holder.classList.add('flame-canvas');
    new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width ?? 0;
      if (w > 0) this.hostWidth = w;
    }).observe(this.host);
  }

  /**
   * Touch: a tap zooms (the browser turns it into a click); a long press opens the frame
   * menu, as a right click does with a mouse. The click that ends a long press is swallowed
   * wherever it lands (the menu may now be under the finger), so it neither zooms nor
   * closes the menu it just opened.
   */
  private touchGestures(): void {
    let press: { id: number; x: number; y: number; timer: number } | null = null;
    const swallowNextClick = () => {
      const swallow = (ev: Event) => {
        ev.stopPropagation();
        ev.preventDefault();
      };
      window.addEventListener('click', swallow, { capture: true, once: true });
      // A new gesture came without that click (the browser sent none): stop waiting for it.
      window.addEventListener('pointerdown', () => window.removeEventListener('click', swallow, true), { capture: true, once: true });
    };
    const cancel = () => {
      if (press) window.clearTimeout(press.timer);
      press = null;
    };
    this.holder.addEventListener('pointerdown', (e) => {
      cancel();
      if (e.pointerType !== 'touch') return;
      const d = this.datumAt(e.target);
      if (!d || d.data.prunedOf || !d.parent) return;
      const { clientX: x, clientY: y } = e;
      press = {
        id: e.pointerId,
        x,
        y,
        timer: window.setTimeout(() => {
          press = null;
          swallowNextClick();
          this.cb.onMenu(d as unknown as HierarchyNode<FlameNode>, x, y);
        }, LONG_PRESS_MS),
      };
    });
    this.holder.addEventListener('pointermove', (e) => {
      if (press && e.pointerId === press.id && Math.hypot(e.clientX - press.x, e.clientY - press.y) > 10) cancel();
    });
    this.holder.addEventListener('pointerup', cancel);
    this.holder.addEventListener('pointercancel', cancel);
  }

  /** The frame the keyboard is on (null until the chart gets focus). */
  private cursor: Datum | null = null;

  /**
   * Keyboard: the chart is one tab stop; arrows walk the frames (towards the leaves: up in
   * a flame graph, down in an icicle; left/right: siblings), Enter or Space zooms, Shift+F10
   * or the menu key opens the frame's actions. The frame under the cursor is outlined and
   * described by the tooltip.
   */
  private keyboard(): void {
    const h = this.holder;
    h.tabIndex = 0;
    h.setAttribute('role', 'application');
    h.setAttribute('aria-roledescription', 'flame graph');
    h.setAttribute('aria-label', 'Flame graph. Arrow keys move between frames, Enter zooms into a frame, Shift+F10 opens its actions.');
    // Focus that a mouse or finger gives (pressing a frame) must not scroll the chart to the
    // cursor: the press would end on another element and its click would be lost.
    let pressing = false;
    h.addEventListener('pointerdown', () => (pressing = true), { capture: true });
    h.addEventListener('pointerup', () => (pressing = false), { capture: true });
    h.addEventListener('pointercancel', () => (pressing = false), { capture: true });
    h.addEventListener('focus', () => {
      if (!this.cursor || !this.inTree(this.cursor)) this.cursor = this.focus ?? this.root;
      if (!pressing) this.showCursor();
    });
    h.addEventListener('blur', () => {
      this.markCursor(null);
      this.cb.onHover(null);
    });
    h.addEventListener('keydown', (e) => {
      const c = this.cursor;
      if (!c || e.altKey || e.ctrlKey || e.metaKey) return;
      const leafward = this.icicle ? 'ArrowDown' : 'ArrowUp';
      const rootward = this.icicle ? 'ArrowUp' : 'ArrowDown';
      const shown = (d: Datum) => !d.data.prunedOf && !d.data.hide;
      let next: Datum | null | undefined;
      if (e.key === leafward) next = (c.children ?? []).filter(shown).sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0];
      else if (e.key === rootward) next = c.parent;
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        const sibs = (c.parent?.children ?? []).filter(shown);
        next = sibs[sibs.indexOf(c) + (e.key === 'ArrowLeft' ? -1 : 1)];
      } else if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.cb.onZoom(pathOf(c as unknown as HierarchyNode<FlameNode>));
        return;
      } else if ((e.key === 'F10' && e.shiftKey) || e.key === 'ContextMenu') {
        if (!c.parent) return;
        e.preventDefault();
        const r = this.frameRect(c);
        this.cb.onMenu(c as unknown as HierarchyNode<FlameNode>, r ? r.left + 8 : 0, r ? r.bottom : 0, true);
        return;
      } else return;
      e.preventDefault();
      if (next) {
        this.cursor = next;
        this.showCursor();
      }
    });
  }

  private inTree(d: Datum): boolean {
    let n: Datum | null = d;
    while (n?.parent) n = n.parent;
    return n === this.root;
  }

  private frameOf(d: Datum): SVGGElement | null {
    for (const g of this.holder.querySelectorAll<SVGGElement & { __data__?: Datum }>('g.frame')) if (g.__data__ === d) return g;
    return null;
  }

  private frameRect(d: Datum): DOMRect | null {
    return this.frameOf(d)?.querySelector('rect')?.getBoundingClientRect() ?? null;
  }

  private markCursor(d: Datum | null): void {
    for (const g of this.holder.querySelectorAll('g.frame.kbd-cursor')) g.classList.remove('kbd-cursor');
    if (d) this.frameOf(d)?.classList.add('kbd-cursor');
  }

  /** Outline the keyboard's frame, scroll it into view and describe it in the tooltip. */
  private showCursor(): void {
    const d = this.cursor;
    if (!d || document.activeElement !== this.holder) return;
    this.markCursor(d);
    const g = this.frameOf(d);
    g?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const r = g?.querySelector('rect')?.getBoundingClientRect();
    if (r) this.cb.onHover({ node: d as unknown as HierarchyNode<FlameNode>, pruned: false, clientX: r.left + 8, clientY: r.bottom });
  }

  private datumAt(target: EventTarget | null): Datum | undefined {
    const g = (target as Element | null)?.closest?.('g.frame') as (SVGGElement & { __data__?: Datum }) | null;
    return g?.__data__;
  }

  /** Hovering a "+N small" frame describes its parent's pruned children. */
  private hover(d: Datum, e: MouseEvent): void {
    const pruned = !!d.data.prunedOf && !!d.parent;
    const node = (pruned ? d.parent : d) as unknown as HierarchyNode<FlameNode>;
    this.cb.onHover({ node, pruned, clientX: e.clientX, clientY: e.clientY });
  }

  private color(d: Datum): string {
    if (d.data.prunedOf) return this.dark ? '#3a3a3a' : '#dcdcdc';
    if (!d.parent) return this.dark ? '#555' : '#c8c8c8';
    if (this.match && this.match(d.data.name)) return this.dark ? '#c2185b' : '#ff6ec7';
    return frameColor(packageOf(d.data.name), this.dark);
  }

  private hostWidth = 0;

  /** The host's content width, cached (reading layout after SVG changes forces a costly reflow). */
  private chartWidth(): number {
    if (!this.hostWidth) {
      const cs = getComputedStyle(this.host);
      this.hostWidth = this.host.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    }
    return Math.max(200, Math.floor(this.hostWidth));
  }

  /** Replace the tree (new data from the server). */
  setTree(data: FlameNode): void {
    this.data = data;
    this.render(withPseudo(data));
    this.focus = this.root;
  }

  private attached = false;

  private render(chartData: ChartNode): void {
    const w = this.chartWidth();
    this.chart.inverted(this.icicle);
    if (this.attached && w === this.width) {
      // Same chart, new data: d3-flame-graph joins frames by id and only touches what changed.
      this.chart.update(chartData);
    } else {
      this.width = w;
      select(this.holder).selectAll('*').remove();
      this.chart.width(w);
      const sel = select(this.holder).datum(chartData) as unknown as Parameters<FlameGraphChart<ChartNode>>[0];
      this.chart(sel);
      this.attached = true;
    }
    this.root = (select(this.holder).datum() as unknown as Datum) ?? null;
  }

  get rootNode(): HierarchyNode<FlameNode> | null {
    return this.root as unknown as HierarchyNode<FlameNode> | null;
  }

  get focusNode(): HierarchyNode<FlameNode> | null {
    return this.focus as unknown as HierarchyNode<FlameNode> | null;
  }

  /** Replace the children of `node` by those of `sub` (same frame at full detail), keep the zoom. */
  graft(node: HierarchyNode<FlameNode>, sub: FlameNode): void {
    const target = sourceOf(node.data as ChartNode);
    target.children = sub.children;
    target.prunedValue = sub.prunedValue;
    target.prunedCount = sub.prunedCount;
    (target as FlameNode & { full?: boolean }).full = true;
    const path = pathOf((this.focus ?? node) as unknown as HierarchyNode<FlameNode>);
    if (!this.data) return;
    const chartData = withPseudo(this.data);
    // Mark the zoom in the new data (as d3-flame-graph's zoom does) so the first update
    // already draws the zoomed picture instead of the whole tree.
    let cur: ChartNode = chartData;
    for (const name of path) {
      const kids = cur.children as ChartNode[];
      const next = kids.find((c) => c.name === name && !c.prunedOf);
      if (!next) break;
      cur.fade = true;
      for (const c of kids) if (c !== next) c.hide = true;
      cur = next;
    }
    this.render(chartData);
    this.focus = this.find(path).node as unknown as Datum;
  }

  /** Walk a path of names from the root; stops at the deepest frame found. */
  find(path: string[]): { node: HierarchyNode<FlameNode>; matched: number } {
    let node = this.root!;
    let matched = 0;
    for (const name of path) {
      const next = node.children?.find((c) => c.data.name === name && !c.data.prunedOf);
      if (!next) break;
      node = next as Datum;
      matched++;
    }
    return { node: node as unknown as HierarchyNode<FlameNode>, matched };
  }

  hasPruned(node: HierarchyNode<FlameNode>): boolean {
    const stack: FlameNode[] = [sourceOf(node.data as ChartNode)];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if ((n.prunedCount ?? 0) > 0) return true;
      for (const c of n.children) stack.push(c);
    }
    return false;
  }

  setFocus(node: HierarchyNode<FlameNode>): void {
    this.focus = node as unknown as Datum;
  }

  setMatch(fn: ((name: string) => boolean) | null): void {
    this.match = fn;
  }

  /** What the search matches in the whole profile and, while zoomed, under the zoomed frame. */
  matchTotals(): { whole: MatchTotals; zoom: { name: string; value: number; totals: MatchTotals } | null } | null {
    if (!this.data || !this.match) return null;
    const whole = matchTotals(this.data, this.match, true);
    const f = this.focus;
    if (!f || !f.parent) return { whole, zoom: null };
    const node = sourceOf(f.data);
    return { whole, zoom: { name: node.name, value: Math.abs(node.value), totals: matchTotals(node, this.match, false) } };
  }

  /** d3-flame-graph's zoom marks: ancestors of the focus faded, their other children hidden. */
  private markZoom(focus: Datum): void {
    const stack: Datum[] = [this.root!];
    while (stack.length > 0) {
      const d = stack.pop()!;
      d.data.hide = false;
      d.data.fade = false;
      if (d.children) for (const c of d.children) stack.push(c as Datum);
    }
    for (let child = focus, parent = focus.parent; parent; child = parent, parent = parent.parent) {
      parent.data.fade = true;
      for (const c of parent.children ?? []) if (c !== child) c.data.hide = true;
    }
  }

  /** Apply zoom, orientation, search and width, and redraw. */
  draw(): void {
    const t0 = performance.now();
    if (!this.root) return;
    const w = this.chartWidth();
    if (w !== this.width) {
      // d3-flame-graph keeps the width it was created with: rebuild at the new width.
      const path = pathOf((this.focus ?? this.root) as unknown as HierarchyNode<FlameNode>);
      this.attached = false;
      if (this.data) this.render(withPseudo(this.data));
      this.focus = this.find(path).node as unknown as Datum;
    }
    this.chart.inverted(this.icicle);
    // d3-flame-graph's zoomTo marks the tree recursively (its show() and fadeAncestors()
    // recurse per level and overflow on deep stacks): mark it here with loops, then
    // re-lay out and repaint; colours (search matches) come from setColorMapper.
    this.markZoom(this.focus ?? this.root);
    this.chart.update();
    const frames = this.holder.querySelectorAll('g.frame').length;
    if (this.cursor && document.activeElement === this.holder) {
      // A redraw (zoom, new data) may have replaced the cursor's frame: find it again by path.
      if (!this.inTree(this.cursor))
        this.cursor = this.find(pathOf(this.cursor as unknown as HierarchyNode<FlameNode>)).node as unknown as Datum;
      this.markCursor(this.cursor);
    }
    this.lastDraw = { frames, ms: performance.now() - t0 };
    this.holder.dataset.frames = String(frames);
  }

  /** Frames on screen, in CSS pixels relative to the chart (tests use this). */
  frames(): { name: string; x: number; y: number; w: number; h: number; pruned: boolean }[] {
    const out: { name: string; x: number; y: number; w: number; h: number; pruned: boolean }[] = [];
    const base = this.holder.getBoundingClientRect();
    for (const g of this.holder.querySelectorAll<SVGGElement & { __data__?: Datum }>('g.frame')) {
      const d = g.__data__;
      if (!d) continue;
      const r = g.querySelector('rect')!.getBoundingClientRect();
      if (r.width <= 0) continue;
      out.push({
        name: d.parent ? d.data.name : 'root',
        x: r.left - base.left,
        y: r.top - base.top,
        w: r.width,
        h: r.height,
        pruned: !!d.data.prunedOf,
      });
    }
    return out;
  }
}
