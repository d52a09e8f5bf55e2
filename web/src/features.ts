/*
 * Web UI extension points.
 *
 * Features add UI without touching the core pages. Each feature lives in its own
 * module (put yours under web/src/features/<area>/) and registers itself at import
 * time; add ONE import line for it at the bottom of this file.
 *
 *   import { registerPanel, registerView, registerStartSection, registerPage,
 *            registerSourceTool } from '../../features.js';   // or '../../registry.js'
 *
 *   registerPanel({ id: 'insights', title: 'Insights', order: 10,
 *     mount(el, ctx) { ... return () => cleanup(); } });      // side panel on /p/:id
 *   registerView({ id: 'compare', title: 'Compare',
 *     mount(el, ctx) { ... } });                              // extra tab on /p/:id
 *   registerStartSection({ id: 'capture', order: 10,
 *     mount(el, nav) { ... } });                              // section on the start page "/"
 *   registerPage({ id: 'concept', match: (p) => ..., mount(el, params, nav) { ... } });
 *                                                             // whole page, e.g. /concepts/:slug
 *   registerSourceTool({ id: 'upload-sources', mount(el, ctx) { ... } });
 *                                                             // control on the Source tab toolbar
 *
 * ProfilePageContext (registry.ts) gives: profileId, meta (ProfileMeta + id/name/size/
 * storedAt), state() (view, si, zoom, search, filters, granularity, icicle, fn, sort,
 * filter, panel, extra), setState(partial, {replace}) -- URL-backed, so anything set
 * there survives "Copy link" and back/forward --, onStateChange(cb), highlight(regexp |
 * names | null) (flame graph frames), openSource(fn), apiParams() (si + filters +
 * granularity for /api calls), formatValue(v) / formatPercent(v, total) in pprof style.
 * Feature-owned URL keys go in state().extra (e.g. setState({extra: {base: id}})).
 *
 * Rules: render profile-supplied strings with textContent / the helpers in dom.ts
 * (never innerHTML); no inline scripts or inline event handlers (the server's CSP
 * forbids them); use CSS variables from styles.css (--bg, --fg, --muted, --border,
 * --accent, --panel-bg) so light and dark themes both work. API helpers: api.ts.
 * Mount functions are called once, when the panel/tab is first shown; react to later
 * changes with ctx.onStateChange.
 */
export * from './registry.js';

// ---- feature modules (one import line each; keep this list below the export above) ----
import './views/compare/index.js';
import './views/insights/index.js';
import './views/concepts/index.js';
import './views/capture/index.js';
import './views/callgraph/index.js';
import './views/labels/index.js';
import './views/goroutines/index.js';
import './views/merge/index.js';
