// Flame graph drawn on a canvas over d3-hierarchy, with d3-flame-graph's interaction
// model (click to zoom, ancestors stay visible full width, breadcrumb/reset, hover
// tooltip, regexp search highlight, flame/icicle orientation, colour by package).
// Why not d3-flame-graph's SVG: it creates 5 DOM elements per frame and re-walks the
// tree on every zoom (libraries.md §1: 8.5 s for 100k frames; zoom 0.1-8 s), which
// misses the 200 ms zoom target on the large heap profile; a canvas redraw is a few ms.
import { hierarchy, type HierarchyNode } from 'd3-hierarchy';
import type { FlameNode } from '../../../server/src/model/views.js';

export const ROW = 18;
const MIN_DRAW_PX = 0.35;
const MIN_LABEL_PX = 24;

export interface Frame {
  node: HierarchyNode<FlameNode>;
  /** Start offset in value units inside the whole tree ([0, root.value]). */
  x0: number;
  x1: number;
}

interface Drawn {
  x: number;
  w: number;
  row: number;
  node: HierarchyNode<FlameNode>;
  /** A "pruned remainder" pseudo frame standing for the children left out by the server. */
  pruned: boolean;
}

export interface FlameHover {
  node: HierarchyNode<FlameNode>;
  pruned: boolean;
  clientX: number;
  clientY: number;
}

export interface FlameCallbacks {
  /** The user clicked a frame: zoom there (the page stores the path in the URL). */
  onZoom(path: string[]): void;
  onHover(h: FlameHover | null): void;
  /** Right click on a frame: the page shows its action menu. */
  onMenu(node: HierarchyNode<FlameNode>, clientX: number, clientY: number): void;
}

/** Package of a Go-style function name: text before the first '.' after the last '/'. */
export function packageOf(name: string): string {
  const slash = name.lastIndexOf('/');
  const rest = name.slice(slash + 1);
  const dot = rest.search(/\.|::/);
  const pkg = dot > 0 ? name.slice(0, slash + 1 + dot) : slash >= 0 ? name.slice(0, slash) : '';
  return pkg.replace(/^\(|\*$/, '');
}

function hash32(s: string): number {
  // FNV-1a: stable hue per package across sessions and profiles.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Fixed hues for the packages on nearly every Go stack, so they read the same everywhere.
const FIXED_HUES: Record<string, number> = { main: 24, runtime: 205, sync: 150, syscall: 265, reflect: 290, fmt: 50, strings: 95, bytes: 110 };

export function packageHue(pkg: string): number {
  const fixed = FIXED_HUES[pkg];
  if (fixed !== undefined) return fixed;
  return (hash32(pkg) % 3600) / 10;
}

export function frameColor(pkg: string, dark: boolean): string {
  const hue = packageHue(pkg);
  return dark ? `hsl(${hue.toFixed(0)} 40% 34%)` : `hsl(${hue.toFixed(0)} 70% 78%)`;
}

export function pathOf(node: HierarchyNode<FlameNode>): string[] {
  const names: string[] = [];
  for (let n: HierarchyNode<FlameNode> | null = node; n && n.parent; n = n.parent) names.push(n.data.name);
  return names.reverse();
}

export class FlameCanvas {
  readonly canvas: HTMLCanvasElement;
  private ctx: CanvasRenderingContext2D;
  private root: HierarchyNode<FlameNode> | null = null;
  private offsets = new Map<HierarchyNode<FlameNode>, number>();
  private focus: HierarchyNode<FlameNode> | null = null;
  private drawn: Drawn[][] = [];
  private match: ((name: string) => boolean) | null = null;
  private hoverNode: HierarchyNode<FlameNode> | null = null;
  icicle = false;
  dark = false;
  /** Last draw: frames painted and the time it took. */
  lastDraw = { frames: 0, ms: 0 };

  constructor(private host: HTMLElement, private cb: FlameCallbacks) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'flame-canvas';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Flame graph');
    host.appendChild(this.canvas);
    // Tests and the browser bench read painted frames through this (a canvas has no DOM per frame).
    (this.canvas as HTMLCanvasElement & { pprofFrames?: () => unknown }).pprofFrames = () => this.frames();
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('canvas 2d not available');
    this.ctx = ctx;
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => {
      this.hoverNode = null;
      this.cb.onHover(null);
      this.draw();
    });
    this.canvas.addEventListener('click', (e) => this.onClick(e));
    this.canvas.addEventListener('contextmenu', (e) => {
      const d = this.hit(e);
      if (!d || d.pruned || !d.node.parent) return;
      e.preventDefault();
      this.cb.onMenu(d.node, e.clientX, e.clientY);
    });
  }

  /** Replace the tree (new data from the server). */
  setTree(data: FlameNode): void {
    this.root = hierarchy<FlameNode>(data, (d) => d.children);
    this.offsets.clear();
    this.layout(this.root, 0);
    this.focus = this.root;
  }

  get rootNode(): HierarchyNode<FlameNode> | null {
    return this.root;
  }

  get focusNode(): HierarchyNode<FlameNode> | null {
    return this.focus;
  }

  private layout(node: HierarchyNode<FlameNode>, x0: number): void {
    this.offsets.set(node, x0);
    let x = x0;
    for (const c of node.children ?? []) {
      this.layout(c, x);
      x += Math.abs(c.data.value);
    }
  }

  /** Replace the children of `node` by those of `sub` (same frame at full detail). */
  graft(node: HierarchyNode<FlameNode>, sub: FlameNode): void {
    node.data.children = sub.children;
    node.data.prunedValue = sub.prunedValue;
    node.data.prunedCount = sub.prunedCount;
    // Rebuild the hierarchy so depth/parent links cover the new nodes.
    const path = pathOf(this.focus ?? node);
    if (!this.root) return;
    this.setTree(this.root.data);
    this.focus = this.find(path).node;
  }

  /** Walk a path of names from the root; stops at the deepest frame found. */
  find(path: string[]): { node: HierarchyNode<FlameNode>; matched: number } {
    let node = this.root!;
    let matched = 0;
    for (const name of path) {
      const next = node.children?.find((c) => c.data.name === name);
      if (!next) break;
      node = next;
      matched++;
    }
    return { node, matched };
  }

  /** True when frames under `node` were left out by the server's pruning. */
  hasPruned(node: HierarchyNode<FlameNode>): boolean {
    let found = false;
    node.each((n) => {
      if ((n.data.prunedCount ?? 0) > 0) found = true;
    });
    return found;
  }

  setFocus(node: HierarchyNode<FlameNode>): void {
    this.focus = node;
  }

  setMatch(fn: ((name: string) => boolean) | null): void {
    this.match = fn;
  }

  /** Sum of the values of the topmost frames matching the search (nested matches counted once). */
  matchedValue(): number {
    if (!this.root || !this.match) return 0;
    let sum = 0;
    const visit = (n: HierarchyNode<FlameNode>) => {
      if (n.parent && this.match!(n.data.name)) {
        sum += Math.abs(n.data.value);
        return;
      }
      for (const c of n.children ?? []) visit(c);
    };
    visit(this.root);
    return sum;
  }

  /** Frames currently painted, in CSS pixels relative to the canvas (tests and a11y use this). */
  frames(): { name: string; x: number; y: number; w: number; h: number; pruned: boolean }[] {
    const out: { name: string; x: number; y: number; w: number; h: number; pruned: boolean }[] = [];
    for (const row of this.drawn) for (const d of row ?? []) out.push({ name: d.node.data.name, x: d.x, y: this.rowY(d.row), w: d.w, h: ROW - 1, pruned: d.pruned });
    return out;
  }

  private rows = 0;

  private rowY(row: number): number {
    return this.icicle ? row * ROW : (this.rows - 1 - row) * ROW;
  }

  draw(): void {
    const t0 = performance.now();
    const root = this.root;
    const focus = this.focus ?? root;
    const cs = getComputedStyle(this.host);
    const width = Math.max(200, this.host.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight));
    this.drawn = [];
    if (!root || !focus) return;
    const fx0 = this.offsets.get(focus) ?? 0;
    const fv = Math.abs(focus.data.value) || 1;
    const scale = width / fv;

    // First pass: collect visible frames (ancestors full width, focus subtree scaled).
    const items: Drawn[] = [];
    for (const a of focus.ancestors()) items.push({ x: 0, w: width, row: a.depth, node: a, pruned: false });
    let maxRow = focus.depth;
    const stack: HierarchyNode<FlameNode>[] = [...(focus.children ?? [])];
    while (stack.length) {
      const n = stack.pop()!;
      const w = Math.abs(n.data.value) * scale;
      if (w < MIN_DRAW_PX) continue;
      const x = ((this.offsets.get(n) ?? 0) - fx0) * scale;
      items.push({ x, w, row: n.depth, node: n, pruned: false });
      if (n.depth > maxRow) maxRow = n.depth;
      for (const c of n.children ?? []) stack.push(c);
    }
    // Pseudo frames for children the server pruned: clicking them loads full detail.
    const withPruned: Drawn[] = [];
    for (const it of items) {
      const pv = Math.abs(it.node.data.prunedValue ?? 0);
      if (!pv || (it.node.data.prunedCount ?? 0) === 0) continue;
      const w = pv * scale;
      if (w < 2) continue;
      let childEnd = 0;
      for (const c of it.node.children ?? []) childEnd += Math.abs(c.data.value);
      if (it.node.depth < focus.depth) continue;
      const x = ((this.offsets.get(it.node) ?? 0) - fx0 + childEnd) * scale;
      withPruned.push({ x, w, row: it.node.depth + 1, node: it.node, pruned: true });
      if (it.node.depth + 1 > maxRow) maxRow = it.node.depth + 1;
    }
    items.push(...withPruned);
    this.rows = maxRow + 1;

    const dpr = window.devicePixelRatio || 1;
    const height = this.rows * ROW;
    const cw = Math.round(width * dpr);
    const ch = Math.round(height * dpr);
    if (this.canvas.width !== cw || this.canvas.height !== ch) {
      this.canvas.width = cw;
      this.canvas.height = ch;
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '12px system-ui, -apple-system, "Segoe UI", sans-serif';
    ctx.textBaseline = 'middle';
    const charW = ctx.measureText('abcdefghijklmnopqrstuvwxyz_.ABCDEF').width / 34;
    const dark = this.dark;
    const textColor = dark ? '#e8e8e8' : '#1a1a1a';
    const dimText = dark ? '#9a9a9a' : '#555';
    const matchFill = dark ? '#c2185b' : '#ff6ec7';
    const colorCache = new Map<string, string>();
    const searching = !!this.match;

    for (const it of items) {
      const y = this.rowY(it.row);
      const n = it.node;
      const isAncestor = n.depth < focus.depth;
      let fill: string;
      if (it.pruned) {
        fill = dark ? '#3a3a3a' : '#dcdcdc';
      } else if (!n.parent) {
        fill = dark ? '#555' : '#c8c8c8';
      } else if (searching && this.match!(n.data.name)) {
        fill = matchFill;
      } else {
        const pkg = packageOf(n.data.name);
        let c = colorCache.get(pkg);
        if (!c) {
          c = frameColor(pkg, dark);
          colorCache.set(pkg, c);
        }
        fill = c;
      }
      ctx.globalAlpha = isAncestor ? 0.55 : searching && !it.pruned && n.parent && !this.match!(n.data.name) ? 0.45 : 1;
      ctx.fillStyle = fill;
      const gap = it.w > 3 ? 1 : 0;
      ctx.fillRect(it.x, y, Math.max(it.w - gap, 0.5), ROW - 1);
      if (n === this.hoverNode && !it.pruned) {
        ctx.globalAlpha = 1;
        ctx.strokeStyle = dark ? '#fff' : '#000';
        ctx.lineWidth = 1;
        ctx.strokeRect(it.x + 0.5, y + 0.5, Math.max(it.w - gap - 1, 0.5), ROW - 2);
      }
      if (it.w >= MIN_LABEL_PX) {
        const label = it.pruned ? `+${n.data.prunedCount} small` : n.parent ? n.data.name : 'all';
        const maxChars = Math.floor((it.w - 6) / charW);
        if (maxChars >= 2) {
          const text = label.length > maxChars ? `${label.slice(0, maxChars - 1)}…` : label;
          ctx.globalAlpha = 1;
          ctx.fillStyle = it.pruned ? dimText : textColor;
          ctx.fillText(text, it.x + 3, y + ROW / 2);
        }
      }
      (this.drawn[it.row] ??= []).push(it);
    }
    ctx.globalAlpha = 1;
    for (const row of this.drawn) row?.sort((a, b) => a.x - b.x);
    this.lastDraw = { frames: items.length, ms: performance.now() - t0 };
    this.canvas.dataset.frames = String(items.length);
  }

  private hit(e: MouseEvent): Drawn | null {
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const rowFromTop = Math.floor(y / ROW);
    const row = this.icicle ? rowFromTop : this.rows - 1 - rowFromTop;
    const list = this.drawn[row];
    if (!list) return null;
    // Binary search by x.
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = list[mid]!;
      if (x < d.x) hi = mid - 1;
      else if (x > d.x + d.w) lo = mid + 1;
      else return d;
    }
    return null;
  }

  private onMove(e: MouseEvent): void {
    const d = this.hit(e);
    const node = d ? d.node : null;
    this.canvas.style.cursor = d ? 'pointer' : 'default';
    if (node !== this.hoverNode) {
      this.hoverNode = d && !d.pruned ? node : null;
      this.draw();
    }
    this.cb.onHover(d ? { node: d.node, pruned: d.pruned, clientX: e.clientX, clientY: e.clientY } : null);
  }

  private onClick(e: MouseEvent): void {
    const d = this.hit(e);
    if (!d) return;
    this.cb.onZoom(pathOf(d.node));
  }
}
