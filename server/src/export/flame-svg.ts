// The flame graph as an SVG file without a browser (GET .../export/svg): laid out from the
// flame graph model the way the web UI draws it (children in the model's order, widths by
// value, frames under 1.5 px left out, "+N small" remainders grey, the zoom path's
// ancestors full width and faded, search matches highlighted, app colours by package),
// in the image format the page's SVG button writes (svg-document.ts).
import type { Profile } from '../model/profile.js';
import type { Query } from '../../../contract/query.js';
import type { FlameNode } from '../../../contract/views.js';
import { computeFlameGraph } from '../report/index.js';
import { frameColor, packageOf } from '../../../contract/frame-colors.js';
import { svgDocument, type SvgDocumentOptions, type SvgFrame } from '../../../contract/svg-document.js';
import { compileGoRegexp, quoteMeta, type GoRegexp } from '../../../contract/go-regexp.js';

export interface FlameSvgView {
  zoom?: string[];
  search?: string;
  theme?: 'light' | 'dark';
  icicle?: boolean;
  width?: number;
}

const ROW = 18;
const MIN_FRAME_PX = 1.5;

/** The app's search: the text as a Go regexp (linear time), or literally when it does not compile. */
function searchMatcher(text: string | undefined): GoRegexp | null {
  if (!text) return null;
  try {
    return compileGoRegexp(text);
  } catch {
    return compileGoRegexp(quoteMeta(text));
  }
}

/** The SVG document and its size in px. */
export function flameSvgFile(
  p: Profile,
  q: Query,
  title: string,
  view: FlameSvgView = {},
  options: SvgDocumentOptions = {},
): { svg: string; width: number; height: number } {
  const width = Math.max(200, Math.min(10_000, Math.round(view.width ?? 1200)));
  const zoom = view.zoom ?? [];
  // The zoomed subtree at full detail, pruned at half a pixel as the app asks for it.
  const fg = computeFlameGraph(p, q, { minFraction: 0.5 / width, path: zoom.length ? zoom : undefined });
  const dark = view.theme === 'dark';
  const match = searchMatcher(view.search);
  const top = fg.root;
  const total = Math.abs(top.value) || 1;
  const placed: {
    d: number;
    x: number;
    w: number;
    node: FlameNode | null;
    name: string;
    faded: boolean;
    isRoot: boolean;
    pruned: number;
  }[] = [];
  ['root', ...zoom.slice(0, -1)]
    .slice(0, zoom.length)
    .forEach((name, d) => placed.push({ d, x: 0, w: width, node: null, name, faded: true, isRoot: d === 0, pruned: 0 }));
  let maxDepth = zoom.length;
  // Depth first with an explicit stack (stacks can be thousands of frames deep); each frame's
  // children are placed left to right, as the page draws them.
  const todo: { n: FlameNode; x: number; w: number; d: number }[] = [{ n: top, x: 0, w: width, d: zoom.length }];
  for (let t = todo.pop(); t; t = todo.pop()) {
    const { n, x, w, d } = t;
    placed.push({ d, x, w, node: n, name: d === 0 ? 'root' : n.name, faded: false, isRoot: d === 0, pruned: 0 });
    maxDepth = Math.max(maxDepth, d);
    let cx = x;
    const kids: typeof todo = [];
    for (const c of n.children) {
      const cw = (Math.abs(c.value) / total) * width;
      if (cw >= MIN_FRAME_PX) kids.push({ n: c, x: cx, w: cw, d: d + 1 });
      cx += cw;
    }
    for (let i = kids.length - 1; i >= 0; i--) todo.push(kids[i]!);
    const pw = (Math.abs(n.prunedValue ?? 0) / total) * width;
    if ((n.prunedCount ?? 0) > 0 && pw >= MIN_FRAME_PX) {
      placed.push({
        d: d + 1,
        x: cx,
        w: pw,
        node: null,
        name: `+${n.prunedCount} small`,
        faded: false,
        isRoot: false,
        pruned: n.prunedCount ?? 0,
      });
      maxDepth = Math.max(maxDepth, d + 1);
    }
  }
  const frames: SvgFrame[] = placed.map((f) => {
    const fill = f.pruned
      ? dark
        ? '#3a3a3a'
        : '#dcdcdc'
      : f.isRoot
        ? dark
          ? '#555'
          : '#c8c8c8'
        : match && match.test(f.name)
          ? dark
            ? '#c2185b'
            : '#ff6ec7'
          : frameColor(packageOf(f.name), dark);
    return {
      x: f.x,
      y: (view.icicle ? f.d : maxDepth - f.d) * ROW,
      w: f.w,
      h: ROW - 1,
      fill,
      opacity: f.faded ? 0.55 : 1,
      label: f.name,
      tooltip: f.node ? `${f.name} (${((100 * Math.abs(f.node.value)) / (Math.abs(fg.total) || 1)).toFixed(2)}%)` : f.name,
    };
  });
  return svgDocument(frames, title, dark, width, (maxDepth + 1) * ROW, options);
}
