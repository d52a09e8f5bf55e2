// A single-file HTML snapshot of the current view: the flame graph (pruned as the app
// prunes it) and the top table, with click-to-zoom and regexp search, readable offline
// from disk. Its Content-Security-Policy allows nothing but its own inline script and style
// (by hash) and data: images: no network request can leave it, and the app's rule of no
// unhashed inline script holds. Data travels as a JSON block (never executed).
import { createHash } from 'node:crypto';
import type { Profile } from '../model/profile.js';
import type { Query } from '../../../contract/query.js';
import { computeFlameGraph, computeTop } from '../report/index.js';
import { percentage, scaledLabel } from '../../../contract/format.js';
import { snapshotViewer } from './snapshot-viewer.js';
import { toJson } from '../model/json-text.js';
import type { FlameNode } from '../../../contract/views.js';
import { frameColor, packageOf } from '../../../contract/frame-colors.js';

export interface SnapshotView {
  zoom?: string[];
  search?: string;
  theme?: 'light' | 'dark';
}

/** Frames narrower than this share of the root are left out, as a ~2000-px-wide view would. */
const MIN_FRACTION = 0.0005;
const TOP_ROWS = 200;

const STYLE = `
:root { color-scheme: light dark; }
body { margin: 0; font: 13px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; background: #fff; color: #1d1f23; }
body.dark { background: #1e1e1e; color: #e6e7ea; }
header { padding: 10px 16px; border-bottom: 1px solid #8884; }
h1 { font-size: 16px; margin: 0 0 6px; }
.bar { display: flex; gap: 8px; align-items: center; }
input, button { font: inherit; padding: 3px 8px; }
#info, #crumbs { opacity: 0.75; }
#flame { margin: 8px 16px; overflow-x: auto; }
#flame text { font-size: 12px; fill: currentColor; pointer-events: none; }
#flame .frame { cursor: pointer; }
#flame rect { stroke: #fff; stroke-width: 1px; }
body.dark #flame rect { stroke: #1e1e1e; }
pre { margin: 8px 16px; opacity: 0.8; }
table { margin: 0 16px 24px; border-collapse: collapse; font-variant-numeric: tabular-nums; }
td { padding: 2px 8px; white-space: pre; }
td:not(:last-child) { text-align: right; }
tr { cursor: pointer; }
tr:hover { background: #8882; }
`;

function escHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

export function htmlSnapshot(p: Profile, q: Query, name: string, view: SnapshotView = {}): string {
  const fg = computeFlameGraph(p, q, { minFraction: MIN_FRACTION });
  const top = computeTop(p, q, { nodeCount: TOP_ROWS, nodeFraction: 0, sort: 'flat' });
  const fmt = (v: number) => scaledLabel(v, top.sampleType.unit, top.unit);
  let sum = 0;
  const rows = top.rows.map((r) => {
    sum += r.flat;
    return {
      flat: fmt(r.flat),
      flatPct: percentage(r.flat, top.total).trim(),
      sumPct: percentage(sum, top.total).trim(),
      cum: fmt(r.cum),
      cumPct: percentage(r.cum, top.total).trim(),
      name: r.inline ? `${r.name} ${r.inline}` : r.name,
    };
  });
  const filters = top.legend.filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim());
  const title = [name, fg.sampleType.type, ...filters].join(' · ');
  const dark = view.theme === 'dark';
  // Colours from the app's palette, so the snapshot looks like the page it came from.
  // A loop, not recursion: stacks can be thousands of frames deep.
  const todo: FlameNode[] = [...fg.root.children];
  for (let n = todo.pop(); n; n = todo.pop()) {
    (n as FlameNode & { color?: string }).color = frameColor(packageOf(n.name), dark);
    for (const c of n.children) todo.push(c);
  }
  const data = {
    title,
    unit: fg.sampleType.unit,
    total: fg.root.value,
    dark,
    zoom: view.zoom ?? [],
    search: view.search ?? '',
    root: fg.root,
    top: rows,
    legend: top.legend,
  };
  // "</" inside the JSON block would end it early: escape every "<".
  const json = toJson(data).replace(/</g, '\\u003c');
  // tsx and esbuild may wrap named functions in __name(...): give it a no-op.
  const script = `var __name = function (f) { return f; };\n(${snapshotViewer.toString()})();\n`;
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(script)}'`,
    `style-src 'sha256-${sha256(STYLE)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body class="${data.dark ? 'dark' : 'light'}">
<header>
<h1>${escHtml(title)}</h1>
<div class="bar"><input id="search" type="search" placeholder="Search frames (regexp)" aria-label="Search frames"><button id="reset" type="button">Reset zoom</button><span id="info"></span></div>
<div id="crumbs"></div>
</header>
<div id="flame" role="img" aria-label="Flame graph"></div>
<pre id="legend"></pre>
<table id="top"><thead><tr><th>flat</th><th>flat%</th><th>sum%</th><th>cum</th><th>cum%</th><th></th></tr></thead><tbody></tbody></table>
<script type="application/json" id="snapshot-data">${json}</script>
<script>${script}</script>
</body>
</html>
`;
}
