// Differential flame graph on a canvas: widths from the new profile, colours from the
// change against the base (colors.ts). Click zooms into a frame (its ancestors stay
// full width); the caller keeps the zoom path in the URL.
import type { DiffFlameNode } from '../../../../server/src/report/diff-flame.js';
import { changeColor, relativeChange, type Palette } from './colors.js';

export const ROW = 18;
const MIN_DRAW_PX = 0.35;
const MIN_LABEL_PX = 26;

interface Placed {
  node: DiffFlameNode;
  path: string[];
  x: number;
  w: number;
  depth: number;
}

export interface DiffFlameHover {
  node: DiffFlameNode;
  path: string[];
  clientX: number;
  clientY: number;
}

export class DiffFlameCanvas {
  readonly canvas: HTMLCanvasElement;
  private g: CanvasRenderingContext2D;
  private root: DiffFlameNode | null = null;
  private zoom: string[] = [];
  private placed: Placed[] = [];
  private rows = 0;
  private hover: DiffFlameNode | null = null;
  palette: Palette = 'redgreen';
  dark = false;
  icicle = false;

  constructor(
    private host: HTMLElement,
    private onZoom: (path: string[]) => void,
    private onHover: (h: DiffFlameHover | null) => void,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'diff-flame-canvas';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Differential flame graph');
    host.appendChild(this.canvas);
    const g = this.canvas.getContext('2d');
    if (!g) throw new Error('canvas 2d not available');
    this.g = g;
    this.canvas.addEventListener('mousemove', (e) => {
      const p = this.hit(e);
      this.canvas.style.cursor = p ? 'pointer' : 'default';
      if ((p?.node ?? null) !== this.hover) {
        this.hover = p?.node ?? null;
        this.draw();
      }
      this.onHover(p ? { node: p.node, path: p.path, clientX: e.clientX, clientY: e.clientY } : null);
    });
    this.canvas.addEventListener('mouseleave', () => {
      this.hover = null;
      this.onHover(null);
      this.draw();
    });
    this.canvas.addEventListener('click', (e) => {
      const p = this.hit(e);
      if (p) this.onZoom(p.path);
    });
  }

  setTree(root: DiffFlameNode): void {
    this.root = root;
  }

  setZoom(path: string[]): void {
    this.zoom = path;
  }

  /** Painted frames (tests use this). */
  frames(): { name: string; x: number; w: number; depth: number; value: number; base: number }[] {
    return this.placed.map((p) => ({ name: p.node.name, x: p.x, w: p.w, depth: p.depth, value: p.node.value, base: p.node.base }));
  }

  private rowY(depth: number): number {
    return this.icicle ? depth * ROW : (this.rows - 1 - depth) * ROW;
  }

  draw(): void {
    const root = this.root;
    this.placed = [];
    if (!root) return;
    const width = Math.max(200, this.host.clientWidth);
    // Ancestors of the zoomed frame span the full width.
    let focus = root;
    const focusPath: string[] = [];
    this.placed.push({ node: root, path: [], x: 0, w: width, depth: 0 });
    for (const name of this.zoom) {
      const next = focus.children.find((c) => c.name === name);
      if (!next) break;
      focus = next;
      focusPath.push(name);
      this.placed.push({ node: focus, path: [...focusPath], x: 0, w: width, depth: focusPath.length });
    }
    const scale = focus.value > 0 ? width / focus.value : 0;
    let maxDepth = focusPath.length;
    const walk = (n: DiffFlameNode, path: string[], x0: number, depth: number) => {
      let x = x0;
      for (const c of n.children) {
        const w = c.value * scale;
        const cp = [...path, c.name];
        if (w >= MIN_DRAW_PX) {
          this.placed.push({ node: c, path: cp, x, w, depth });
          if (depth > maxDepth) maxDepth = depth;
          walk(c, cp, x, depth + 1);
        }
        x += w;
      }
    };
    walk(focus, focusPath, 0, focusPath.length + 1);
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
    for (const p of this.placed) {
      const y = this.rowY(p.depth);
      const isAncestor = p.depth < focusPath.length;
      g.globalAlpha = isAncestor ? 0.6 : 1;
      g.fillStyle = changeColor(relativeChange(p.node.value, p.node.base), this.palette, this.dark);
      const gap = p.w > 3 ? 1 : 0;
      g.fillRect(p.x, y, Math.max(p.w - gap, 0.5), ROW - 1);
      if (p.node === this.hover) {
        g.globalAlpha = 1;
        g.strokeStyle = this.dark ? '#fff' : '#000';
        g.strokeRect(p.x + 0.5, y + 0.5, Math.max(p.w - gap - 1, 0.5), ROW - 2);
      }
      if (p.w >= MIN_LABEL_PX) {
        const label = p.depth === 0 ? 'all' : p.node.name;
        const maxChars = Math.floor((p.w - 6) / charW);
        if (maxChars >= 2) {
          g.globalAlpha = 1;
          g.fillStyle = this.dark ? '#f0f0f0' : '#111';
          g.fillText(label.length > maxChars ? `${label.slice(0, maxChars - 1)}…` : label, p.x + 3, y + ROW / 2);
        }
      }
    }
    g.globalAlpha = 1;
    this.canvas.dataset.frames = String(this.placed.length);
  }

  private hit(e: MouseEvent): Placed | null {
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const rowFromTop = Math.floor((e.clientY - r.top) / ROW);
    const depth = this.icicle ? rowFromTop : this.rows - 1 - rowFromTop;
    // The last placed frame at this depth wins (ancestors are placed first).
    for (let i = this.placed.length - 1; i >= 0; i--) {
      const p = this.placed[i]!;
      if (p.depth === depth && x >= p.x && x <= p.x + p.w) return p;
    }
    return null;
  }
}
