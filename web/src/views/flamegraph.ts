// Shared flame graph helpers: package colours, zoom paths, renderer callbacks.
import type { HierarchyNode } from 'd3-hierarchy';
import type { FlameNode } from '../../../contract/views.js';

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
