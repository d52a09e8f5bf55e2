// Differential flame graph on a canvas. Width by the new profile, by the base, or combined
// (each frame as wide as the larger of its base and new values, the part that shrank or
// vanished drawn hatched at its real size); colours from the change (colors.ts). Click
// zooms into a frame (its ancestors stay full width); the caller keeps the zoom path in
// the URL. Layout is iterative: a stack may be thousands of frames deep.
import type { DiffFlameNode } from '../../../../contract/diff.js';
import { changeColor, relativeChange, type Palette } from './colors.js';

export const ROW = 18;
const MIN_DRAW_PX = 0.35;
const MIN_LABEL_PX = 26;
/** Canvas height stays under browsers' limit (32,767 px); deeper rows need a zoom. */
export const MAX_ROWS = 1500;

export type WidthMode = 'new' | 'base' | 'combined';

interface Placed {
  node: DiffFlameNode;
  /** Index of the parent in `placed` (-1 for the root). */
  parent: number;
  x: number;
  w: number;
  depth: number;
  /** Combined mode: width of the new value, and of the hatched part (base beyond new). */
  solid: number;
  hatched: number;
}

export interface DiffFlameHover {
  node: DiffFlameNode;
  path: string[];
  clientX: number;
  clientY: number;
}

export interface DrawnFrame {
  name: string;
  path: string[];
  x: number;
  w: number;
  depth: number;
  value: number;
  base: number;
  solid: number;
  hatched: number;
  match: boolean;
}

const pos = (v: number): number => (v > 0 ? v : 0);

/** Combined widths: max(base, new), widened where the children need more room (work moved between siblings). */
function combinedWidths(root: DiffFlameNode): Map<DiffFlameNode, number> {
  const out = new Map<DiffFlameNode, number>();
  const order: DiffFlameNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    order.push(n);
    for (const c of n.children) stack.push(c);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    let inner = Math.max(pos(n.self), pos(n.baseSelf)) + Math.max(pos(n.prunedValue ?? 0), pos(n.prunedBase ?? 0));
    for (const c of n.children) inner += out.get(c)!;
    out.set(n, Math.max(pos(n.value), pos(n.base), inner));
  }
  return out;
}

export class DiffFlameCanvas {
  readonly canvas: HTMLCanvasElement;
  private g: CanvasRenderingContext2D;
  private root: DiffFlameNode | null = null;
  private zoom: string[] = [];
  private placed: Placed[] = [];
  private rows = 0;
  private hover: DiffFlameNode | null = null;
  private combined: Map<DiffFlameNode, number> | null = null;
  private hatch: CanvasPattern | null = null;
  private hatchDark: boolean | null = null;
  palette: Palette = 'redgreen';
  dark = false;
  icicle = false;
  mode: WidthMode = 'new';
  /** Side-by-side: both graphs share one scale, the larger of base and new at the zoomed frame. */
  sharedScale = false;
  /** Search: frames whose name matches are outlined, the others dimmed. */
  search: { test(name: string): boolean } | null = null;
  /** The last draw stopped at MAX_ROWS rows: deeper frames need a zoom. */
  truncated = false;

  constructor(
    private host: HTMLElement,
    private onZoom: (path: string[]) => void,
    private onHover: (h: DiffFlameHover | null) => void,
    label = 'Differential flame graph',
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'diff-flame-canvas';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', label);
    host.appendChild(this.canvas);
    // The painted frames, for browser tests and tooling (a canvas has no DOM to query).
    (this.canvas as HTMLCanvasElement & { drawnFrames?: () => DrawnFrame[] }).drawnFrames = () => this.frames();
    const g = this.canvas.getContext('2d');
    if (!g) throw new Error('canvas 2d not available');
    this.g = g;
    this.canvas.addEventListener('mousemove', (e) => {
      const i = this.hit(e);
      const p = i < 0 ? null : this.placed[i]!;
      this.canvas.style.cursor = p ? 'pointer' : 'default';
      if ((p?.node ?? null) !== this.hover) {
        this.hover = p?.node ?? null;
        this.draw();
      }
      this.onHover(p ? { node: p.node, path: this.pathOf(i), clientX: e.clientX, clientY: e.clientY } : null);
    });
    this.canvas.addEventListener('mouseleave', () => {
      this.hover = null;
      this.onHover(null);
      this.draw();
    });
    this.canvas.addEventListener('click', (e) => {
      const i = this.hit(e);
      if (i >= 0) this.onZoom(this.pathOf(i));
    });
  }

  setTree(root: DiffFlameNode): void {
    if (root !== this.root) this.combined = null;
    this.root = root;
  }

  setZoom(path: string[]): void {
    this.zoom = path;
  }

  private pathOf(i: number): string[] {
    const out: string[] = [];
    for (let k = i; k > 0; k = this.placed[k]!.parent) out.push(this.placed[k]!.node.name);
    return out.reverse();
  }

  /** Painted frames (tests use this). */
  frames(): DrawnFrame[] {
    return this.placed.map((p, i) => ({
      name: p.node.name,
      path: this.pathOf(i),
      x: p.x,
      w: p.w,
      depth: p.depth,
      value: p.node.value,
      base: p.node.base,
      solid: p.solid,
      hatched: p.hatched,
      match: !!this.search && p.depth > 0 && this.search.test(p.node.name),
    }));
  }

  private sizeOf(n: DiffFlameNode): number {
    if (this.mode === 'new') return pos(n.value);
    if (this.mode === 'base') return pos(n.base);
    if (!this.combined) this.combined = combinedWidths(this.root!);
    return this.combined.get(n) ?? 0;
  }

  private rowY(depth: number): number {
    return this.icicle ? depth * ROW : (this.rows - 1 - depth) * ROW;
  }

  private hatchPattern(): CanvasPattern | null {
    if (this.hatch && this.hatchDark === this.dark) return this.hatch;
    const tile = document.createElement('canvas');
    tile.width = 6;
    tile.height = 6;
    const t = tile.getContext('2d');
    if (!t) return null;
    t.strokeStyle = this.dark ? 'rgba(255,255,255,0.75)' : 'rgba(0,0,0,0.55)';
    t.lineWidth = 1.2;
    t.beginPath();
    t.moveTo(0, 6);
    t.lineTo(6, 0);
    t.moveTo(-1, 1);
    t.lineTo(1, -1);
    t.moveTo(5, 7);
    t.lineTo(7, 5);
    t.stroke();
    this.hatch = this.g.createPattern(tile, 'repeat');
    this.hatchDark = this.dark;
    return this.hatch;
  }

  draw(): void {
    const root = this.root;
    this.placed = [];
    this.truncated = false;
    if (!root) return;
    const width = Math.max(200, this.host.clientWidth);
    // Ancestors of the zoomed frame span the full width.
    let focus = root;
    let depth0 = 0;
    const full = (n: DiffFlameNode, parent: number, depth: number): void => {
      this.placed.push({ node: n, parent, x: 0, w: width, depth, solid: width, hatched: 0 });
    };
    full(root, -1, 0);
    for (const name of this.zoom) {
      const next = focus.children.find((c) => c.name === name);
      if (!next) break;
      focus = next;
      depth0++;
      full(focus, this.placed.length - 1, depth0);
    }
    const focusSize = this.sharedScale ? Math.max(pos(focus.value), pos(focus.base)) : this.sizeOf(focus);
    const scale = focusSize > 0 ? width / focusSize : 0;
    // The zoomed frame itself, in combined mode, shows its own split too.
    const fp = this.placed[this.placed.length - 1]!;
    this.split(fp, scale);
    // On a shared scale the zoomed frame and its ancestors show this side's own size.
    if (this.sharedScale) for (const p of this.placed) p.w = Math.min(width, this.sizeOf(p.node) * scale);
    let maxDepth = depth0;
    const stack: { n: DiffFlameNode; at: number; x0: number; depth: number }[] = [
      { n: focus, at: this.placed.length - 1, x0: 0, depth: depth0 + 1 },
    ];
    while (stack.length) {
      const { n, at, x0, depth } = stack.pop()!;
      if (depth >= MAX_ROWS) {
        if (n.children.length) this.truncated = true;
        continue;
      }
      let x = x0;
      for (const c of n.children) {
        const w = this.sizeOf(c) * scale;
        if (w >= MIN_DRAW_PX) {
          const p: Placed = { node: c, parent: at, x, w, depth, solid: w, hatched: 0 };
          this.split(p, scale);
          this.placed.push(p);
          if (depth > maxDepth) maxDepth = depth;
          stack.push({ n: c, at: this.placed.length - 1, x0: x, depth: depth + 1 });
        }
        x += w;
      }
    }
    this.rows = maxDepth + 1;

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
    const g = this.g;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = '12px system-ui, -apple-system, "Segoe UI", sans-serif';
    g.textBaseline = 'middle';
    const charW = g.measureText('abcdefghijklmnopqrstuvwxyz_.ABCDEF').width / 34;
    const hatch = this.mode === 'combined' ? this.hatchPattern() : null;
    for (const p of this.placed) {
      const y = this.rowY(p.depth);
      const isAncestor = p.depth < depth0;
      const match = this.search ? p.depth > 0 && this.search.test(p.node.name) : true;
      const alpha = (isAncestor ? 0.6 : 1) * (match ? 1 : 0.3);
      const gap = p.w > 3 ? 1 : 0;
      const fill = changeColor(relativeChange(p.node.value, p.node.base), this.palette, this.dark);
      g.globalAlpha = alpha;
      if (this.mode === 'combined' && !isAncestor) {
        // New value solid; shrunk or vanished part hatched at its real size; any room
        // left for children that moved between siblings faint.
        g.fillStyle = fill;
        g.globalAlpha = alpha * 0.25;
        g.fillRect(p.x, y, Math.max(p.w - gap, 0.5), ROW - 1);
        g.globalAlpha = alpha;
        if (p.solid > 0) g.fillRect(p.x, y, Math.max(Math.min(p.solid, p.w - gap), 0.5), ROW - 1);
        if (p.hatched > 0) {
          const hx = p.x + p.solid;
          const hw = Math.max(Math.min(p.hatched, p.x + p.w - gap - hx), 0.5);
          g.globalAlpha = alpha * 0.55;
          g.fillRect(hx, y, hw, ROW - 1);
          g.globalAlpha = alpha;
          if (hatch) {
            g.fillStyle = hatch;
            g.fillRect(hx, y, hw, ROW - 1);
          }
          g.strokeStyle = this.dark ? '#ddd' : '#333';
          g.lineWidth = 1;
          g.strokeRect(hx + 0.5, y + 0.5, Math.max(hw - 1, 0.5), ROW - 2);
        }
      } else {
        g.fillStyle = fill;
        g.fillRect(p.x, y, Math.max(p.w - gap, 0.5), ROW - 1);
      }
      if (p.node === this.hover || (this.search && match && p.depth > 0)) {
        g.globalAlpha = 1;
        g.strokeStyle = p.node === this.hover ? (this.dark ? '#fff' : '#000') : this.dark ? '#ffd54f' : '#6a1b9a';
        g.lineWidth = p.node === this.hover ? 1 : 2;
        g.strokeRect(p.x + 0.5, y + 0.5, Math.max(p.w - gap - 1, 0.5), ROW - 2);
        g.lineWidth = 1;
      }
      if (p.w >= MIN_LABEL_PX) {
        const label = p.depth === 0 ? 'all' : p.node.name;
        const maxChars = Math.floor((p.w - 6) / charW);
        if (maxChars >= 2) {
          g.globalAlpha = match ? 1 : 0.5;
          g.fillStyle = this.dark ? '#f0f0f0' : '#111';
          g.fillText(label.length > maxChars ? `${label.slice(0, maxChars - 1)}…` : label, p.x + 3, y + ROW / 2);
        }
      }
    }
    g.globalAlpha = 1;
    this.canvas.dataset.frames = String(this.placed.length);
    this.canvas.dataset.mode = this.mode;
  }

  /** Combined mode: the solid (new) and hatched (base beyond new) parts of a frame, in px. */
  private split(p: Placed, scale: number): void {
    if (this.mode !== 'combined') return;
    const nv = pos(p.node.value) * scale;
    const bv = pos(p.node.base) * scale;
    p.solid = Math.min(nv, p.w);
    p.hatched = Math.max(0, Math.min(bv, p.w) - p.solid);
  }

  private hit(e: MouseEvent): number {
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const rowFromTop = Math.floor((e.clientY - r.top) / ROW);
    const depth = this.icicle ? rowFromTop : this.rows - 1 - rowFromTop;
    // The last placed frame at this depth wins (ancestors are placed first).
    for (let i = this.placed.length - 1; i >= 0; i--) {
      const p = this.placed[i]!;
      if (p.depth === depth && x >= p.x && x <= p.x + p.w) return i;
    }
    return -1;
  }
}
