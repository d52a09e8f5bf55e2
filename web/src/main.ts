// Entry: theme, client-side routing (/, /p/:id, registered pages), keyboard shortcuts.
import './styles.css';
import './features.js';
import { h, clear } from './dom.js';
import { flameTimings } from './views/flame-view.js';
import { mountProfilePage, type ProfilePageHandle } from './pages/profile.js';
import { mountStartPage } from './pages/start.js';
import { showShortcuts, shortcutsOpen, topBar } from './pages/chrome.js';
import { registeredPages, type Cleanup, type StartPageContext } from './registry.js';
import { initTheme } from './theme.js';

const app = document.getElementById('app')!;
let current: { path: string; profile?: ProfilePageHandle; cleanup?: Cleanup } | null = null;

const nav: StartPageContext = {
  openProfile(id, query = '') {
    navigate(`/p/${encodeURIComponent(id)}${query}`);
  },
  refreshList() {
    if (location.pathname === '/') route(true);
  },
  navigate,
};

function navigate(path: string): void {
  history.pushState(null, '', path);
  route();
}

function route(force = false): void {
  const path = location.pathname;
  if (!force && current && current.path === path && current.profile) {
    // Same profile, different query: back/forward inside the page.
    current.profile.syncFromUrl();
    return;
  }
  current?.cleanup?.();
  current?.profile?.destroy();
  current = { path };
  const m = /^\/p\/([^/]+)\/?$/.exec(path);
  if (path === '/' || path === '/index.html') {
    current.cleanup = mountStartPage(app, nav);
    return;
  }
  if (m) {
    const entry = current;
    void mountProfilePage(app, decodeURIComponent(m[1]!)).then((handle) => {
      if (current === entry) entry.profile = handle;
      else handle.destroy();
    });
    return;
  }
  for (const p of registeredPages()) {
    const params = p.match(path);
    if (!params) continue;
    clear(app);
    const el = h('main.feature-page');
    app.append(h('div.page', null, topBar(null), el));
    if (p.title) document.title = `${p.title(params)} · pprof-lens`;
    const c = p.mount(el, params, nav);
    if (c) current.cleanup = c;
    return;
  }
  clear(app);
  app.append(
    h(
      'div.page',
      null,
      topBar(null),
      h('div.error.center', null, `No page at ${path}. `, h('a', { href: '/', 'data-nav': '' }, 'Start page')),
    ),
  );
}

// In-app links: <a data-nav href="/..."> navigate without reloading.
document.addEventListener('click', (e) => {
  const a = (e.target as Element | null)?.closest?.('a[data-nav]') as HTMLAnchorElement | null;
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', () => route());

document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement | null;
  const typing = !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
  if (e.key === 'Escape') {
    if (shortcutsOpen()) return; // the dialog closes itself
    if (typing) {
      t!.blur();
      return;
    }
    current?.profile?.resetZoom();
    return;
  }
  if (typing || e.metaKey || e.ctrlKey || e.altKey) return;
  if (e.key === '/') {
    e.preventDefault();
    current?.profile?.focusSearch();
  } else if (e.key === '?') {
    e.preventDefault();
    showShortcuts();
  }
});

// Read-only hooks for the browser tests and the browser benchmark.
(window as unknown as { pprofLensDebug: unknown }).pprofLensDebug = {
  timings: flameTimings,
  frames: () => {
    const c = document.querySelector<HTMLCanvasElement>('.flame-canvas');
    return c ? ((c as HTMLCanvasElement & { pprofFrames?: () => unknown }).pprofFrames?.() ?? []) : [];
  },
};

initTheme();
route();
