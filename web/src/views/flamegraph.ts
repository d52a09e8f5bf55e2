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
  /** Right click (or long press, or Shift+F10) on a frame: the page shows its action menu. */
  onMenu(node: HierarchyNode<FlameNode>, clientX: number, clientY: number, fromKeyboard?: boolean): void;
}

// Colours are shared with the server's exports (offline snapshot), so both look alike.
export { frameColor, packageHue, packageOf } from '../../../contract/frame-colors.js';

export function pathOf(node: HierarchyNode<FlameNode>): string[] {
  const names: string[] = [];
  for (let n: HierarchyNode<FlameNode> | null = node; n && n.parent; n = n.parent) names.push(n.data.name);
  return names.reverse();
}
