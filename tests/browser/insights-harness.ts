// Browser-side harness for the Insights panel test: mounts the registered panel and the
// concept page with a minimal ProfilePageContext (URL state in memory, highlight calls
// recorded on window) so the panel runs against the real HTTP routes.
import { registeredPages, registeredPanels, type ProfilePageContext, type ProfileState } from '../../web/src/registry.js';
import '../../web/src/views/insights/index.js';
import '../../web/src/views/concepts/index.js';

declare global {
  interface Window {
    __highlights: (string | string[] | null)[];
    __state: ProfileState;
    __opened: string[];
  }
}

const params = new URLSearchParams(location.search);
const id = params.get('id') ?? '';
const page = params.get('page');
window.__highlights = [];
window.__opened = [];

const app = document.getElementById('app')!;
if (page) {
  const feature = registeredPages().find((p) => p.match(page));
  if (!feature) throw new Error(`no page for ${page}`);
  feature.mount(app, feature.match(page)!, {
    openProfile: () => undefined,
    refreshList: () => undefined,
    navigate: (path) => window.__opened.push(path),
  });
} else {
  let state: ProfileState = {
    view: 'flame',
    si: params.get('si') ?? '',
    zoom: [],
    search: '',
    focus: '',
    ignore: '',
    hide: '',
    show: '',
    showFrom: '',
    tagFocus: '',
    tagIgnore: '',
    tagRoot: '',
    tagLeaf: '',
    granularity: '',
    icicle: false,
    fn: '',
    sort: 'flat',
    filter: '',
    panel: 'insights',
    extra: params.get('gbase') ? { gbase: params.get('gbase')! } : {},
  };
  window.__state = state;
  const listeners: ((s: ProfileState, p: ProfileState) => void)[] = [];
  const ctx: ProfilePageContext = {
    profileId: id,
    meta: {} as ProfilePageContext['meta'],
    state: () => structuredClone(state),
    setState(partial) {
      const prev = state;
      const extra = { ...state.extra, ...(partial.extra ?? {}) };
      for (const k of Object.keys(extra)) if (extra[k] === '') delete extra[k];
      state = { ...state, ...partial, extra };
      window.__state = state;
      for (const l of listeners) l(structuredClone(state), prev);
    },
    onStateChange(cb) {
      listeners.push(cb);
      return () => listeners.splice(listeners.indexOf(cb), 1);
    },
    highlight(m) {
      window.__highlights.push(m === null || Array.isArray(m) ? m : m.source);
    },
    openSource(fn) {
      window.__opened.push(fn);
    },
    apiParams: () => new URLSearchParams(),
    formatValue: (v) => String(v),
    formatPercent: (v, t) => `${((100 * v) / t).toFixed(2)}%`,
  };
  const panel = registeredPanels().find((p) => p.id === 'insights')!;
  const box = document.createElement('aside');
  box.className = 'side';
  app.append(box);
  panel.mount(box, ctx);
}
