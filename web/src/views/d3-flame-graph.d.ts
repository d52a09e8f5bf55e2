// d3-flame-graph 5.0.0 publishes no type declarations (its index.d.ts is not in the
// package files), so this covers the part of the API the flame graph view uses.
declare module 'd3-flame-graph' {
  import type { HierarchyNode } from 'd3-hierarchy';
  import type { Selection } from 'd3-selection';

  export type FlameDatum<T = unknown> = HierarchyNode<T> & { id: number; x0: number; x1: number; highlight?: boolean };

  export interface FlameTooltip<T = unknown> {
    (selection: Selection<SVGSVGElement, unknown, null, undefined>): void;
    show(event: MouseEvent, d: FlameDatum<T>): void;
    hide(): void;
    destroy?(): void;
  }

  export interface FlameGraphChart<T = unknown> {
    (selection: Selection<HTMLElement, T, null, undefined>): void;
    width(w: number): FlameGraphChart<T>;
    height(h: number | null): FlameGraphChart<T>;
    cellHeight(h: number): FlameGraphChart<T>;
    minFrameSize(px: number): FlameGraphChart<T>;
    transitionDuration(ms: number): FlameGraphChart<T>;
    sort(s: boolean | ((a: FlameDatum<T>, b: FlameDatum<T>) => number)): FlameGraphChart<T>;
    inverted(b: boolean): FlameGraphChart<T>;
    selfValue(b: boolean): FlameGraphChart<T>;
    title(t: string): FlameGraphChart<T>;
    tooltip(t: FlameTooltip<T> | null): FlameGraphChart<T>;
    setColorMapper(fn: (d: FlameDatum<T>, original: string) => string): FlameGraphChart<T>;
    setSearchMatch(fn: (d: FlameDatum<T>, term: string, ignoreCase?: boolean) => boolean): FlameGraphChart<T>;
    setSearchHandler(fn: (results: FlameDatum<T>[], sum: number, total: number) => void): FlameGraphChart<T>;
    setDetailsHandler(fn: (text: string | null) => void): FlameGraphChart<T>;
    onClick(fn: (d: FlameDatum<T>) => void): FlameGraphChart<T>;
    onHover(fn: (d: FlameDatum<T>) => void): FlameGraphChart<T>;
    search(term: string): void;
    clear(): void;
    zoomTo(d: FlameDatum<T>): void;
    resetZoom(): void;
    update(data?: T): FlameGraphChart<T>;
    destroy(): void;
  }

  export default function flamegraph<T = unknown>(): FlameGraphChart<T>;
}
