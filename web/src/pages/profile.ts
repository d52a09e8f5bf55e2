// The profile page /p/:id: header (type, time, duration, total, sample type picker),
// tabs (Flame graph, Top, Source + registered views), refine bar (filters and
// granularity), registered side panels. All state is in the URL query.
import { explainSampleType } from '../../../contract/explain.js';
import { GRANULARITIES } from '../../../contract/query.js';
import { downloadName } from '../../../contract/file-name.js';
import { api } from '../api.js';
import type { TopReport } from '../../../contract/views.js';
import { clear, h } from '../dom.js';
import { fmtAuto, fmtDurationNanos, fmtIn, fmtPct, fmtTimeNanos } from '../fmt.js';
import {
  registeredPanels,
  registeredViews,
  type Cleanup,
  type ProfileInfo,
  type ProfilePageContext,
  type ProfileState,
} from '../registry.js';
import { exactName, type GoRegexp } from '../../../contract/go-regexp.js';
import { apiParams, mergeState, parseState, stateToQuery } from '../state.js';
import { FlameView, prefetchFlame } from '../views/flame-view.js';
import { watchProgress } from '../views/progress-watch.js';
import { attachExplain } from '../views/explain-tip.js';
import { SourceView } from '../views/source-view.js';
import { TopView } from '../views/top-view.js';
import { topBar } from './chrome.js';
import { manageControls } from '../sharing.js';
import { FILTER_FIELDS, FilterBanner } from '../widgets/filter-banner.js';
import { attachRegexCheck, type RegexCheck } from '../widgets/regex-field.js';

interface Tab {
  id: string;
  title: string;
  el: HTMLElement;
  button: HTMLButtonElement;
  mounted: boolean;
  mount(): void;
  shown?(): void;
  focusSearch?(): void;
}

export interface ProfilePageHandle {
  /** Re-read state from the URL (popstate). */
  syncFromUrl(): void;
  /** Keyboard: '/' focus search, Esc reset zoom. */
  focusSearch(): void;
  resetZoom(): void;
  destroy(): void;
}

/** The header's total: the top report's one row (its total is pprof's for these filters). */
function totalQuery(s: ProfileState): URLSearchParams {
  const q = apiParams(s);
  q.set('n', '1');
  return q;
}

export async function mountProfilePage(app: HTMLElement, id: string): Promise<ProfilePageHandle> {
  clear(app);
  const page = h('div.page.profile-page');
  app.append(page);
  const loading = h('div.loading.center', null, 'Opening profile…');
  page.append(topBar(null), loading);
  const initial = parseState(location.search);
  // The first screen's requests, in the order their answers are shown: metadata, the
  // header's total, the flame graph. The server takes a profile's tasks in that order too
  // (workers/pool.ts taskRank), and an upload prepares the header's answer first.
  const metaAnswer = api.meta(id);
  let earlyTotal: { key: string; answer: Promise<TopReport> } | null = {
    key: apiParams(initial).toString(),
    answer: api.top(id, totalQuery(initial)),
  };
  earlyTotal.answer.catch(() => undefined);
  if (initial.view === 'flame') prefetchFlame(id, initial);
  let meta: ProfileInfo;
  // A large profile not yet decoded on the server: say what the server is doing meanwhile.
  const opening = new AbortController();
  watchProgress(id, ['meta'], opening.signal, (u) => {
    loading.textContent = `Opening profile. ${u.text}… ${Math.round(u.waitedMs / 1000)} s`;
    if (u.task) loading.dataset.stage = u.task.stage;
  });
  try {
    meta = await metaAnswer.finally(() => opening.abort());
  } catch (err) {
    loading.replaceWith(
      h(
        'div.error.center',
        null,
        `Could not open profile ${id}: ${(err as Error).message}`,
        h('p', null, h('a', { href: '/', 'data-nav': '' }, 'Back to the start page')),
      ),
    );
    return { syncFromUrl() {}, focusSearch() {}, resetZoom() {}, destroy() {} };
  }
  loading.remove();

  let state = parseState(location.search);
  const listeners = new Set<(s: ProfileState, prev: ProfileState) => void>();
  const cleanups: Cleanup[] = [];
  let flame: FlameView | null = null;
  let pendingHighlight: GoRegexp | string[] | null = null;

  const sampleTypeOf = (s: ProfileState) =>
    meta.sampleTypes.find((t) => t.type === s.si) ??
    meta.sampleTypes.find((t) => t.type === meta.defaultSampleType) ??
    meta.sampleTypes[meta.sampleTypes.length - 1]!;

  const notify = (prev: ProfileState) => {
    for (const l of [...listeners]) l(state, prev);
  };

  const ctx: ProfilePageContext = {
    profileId: id,
    meta,
    state: () => mergeState(state, {}),
    setState(partial, opts) {
      const prev = state;
      state = mergeState(state, partial);
      const url = `${location.pathname}${stateToQuery(state)}`;
      if (url !== `${location.pathname}${location.search}`) {
        if (opts?.replace) history.replaceState(null, '', url);
        else history.pushState(null, '', url);
      }
      notify(prev);
    },
    onStateChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    highlight(m) {
      pendingHighlight = m;
      flame?.highlight(m);
    },
    openSource(fn) {
      ctx.setState({ view: 'source', fn: exactName(fn) });
    },
    apiParams: () => apiParams(state),
    formatValue: (v) => fmtAuto(v, sampleTypeOf(state).unit),
    formatPercent: (v, total) => fmtPct(v, total).trim(),
  };

  // ---- header ----
  const siSelect = h('select.si', { 'aria-label': 'Sample type' });
  // Default first, then the others in profile order.
  const ordered = [...meta.sampleTypes].sort(
    (a, b) => Number(b.type === meta.defaultSampleType) - Number(a.type === meta.defaultSampleType),
  );
  for (const t of ordered) {
    // The option's title is the native fallback where an open <select> list shows titles.
    const what = explainSampleType(meta.kind, t.type);
    siSelect.append(
      h('option', { value: t.type, title: what || null }, `${t.type} (${t.unit})${t.type === meta.defaultSampleType ? ' · default' : ''}`),
    );
  }
  // Hover/focus on the picker: what the selected type means for this kind of profile,
  // and the other types next to it (alloc_space vs inuse_space ...).
  const siExplain = attachExplain(siSelect, 'sample-type', () => {
    const cur = meta.sampleTypes.find((t) => t.type === siSelect.value) ?? sampleTypeOf(state);
    const text = explainSampleType(meta.kind, cur.type);
    const more = ordered
      .filter((t) => t !== cur)
      .map((t) => ({ term: t.type, text: explainSampleType(meta.kind, t.type) }))
      .filter((m) => m.text);
    if (!text && !more.length) return null;
    return {
      term: `${cur.type} (${cur.unit})`,
      kind: meta.kind,
      text: text || 'No built-in explanation for this sample type.',
      more,
      moreTitle: 'Other sample types in this profile',
    };
  });
  siSelect.addEventListener('change', () => {
    ctx.setState({ si: siSelect.value === meta.defaultSampleType ? '' : siSelect.value, zoom: [] });
    siExplain.refresh();
  });
  const siHelp = h(
    'a.si-help',
    { href: '/concepts/reading-pprof', 'data-nav': '', 'aria-label': 'What sample types, flat and cum mean: Reading pprof output' },
    '?',
  );
  attachExplain(siHelp, 'sample-type-help', () => ({
    term: 'Reading pprof output',
    text: 'Sample types, flat and cum, and how to read the flame graph and top table: the concept page.',
  }));
  const totalEl = h('span.fact-value', { 'data-testid': 'total' }, '…');
  // Settles once the header's first total (or its error) is shown: the flame graph's first
  // picture waits for it, so the header never shows "…" beside a drawn flame graph. The
  // total is asked for first and answered first, so this costs the graph next to nothing.
  let totalSettled!: () => void;
  const firstTotalShown = new Promise<void>((r) => (totalSettled = r));
  const fact = (label: string, value: string | HTMLElement) =>
    h('div.fact', null, h('span.fact-label', null, label), typeof value === 'string' ? h('span.fact-value', null, value) : value);
  const facts = h('div.facts');
  facts.append(fact('Type', meta.kind));
  const time = fmtTimeNanos(meta.timeNanos);
  if (time) facts.append(fact('Time', time));
  const dur = fmtDurationNanos(meta.durationNanos);
  if (dur) facts.append(fact('Duration', dur));
  facts.append(fact('Total', totalEl));
  if (meta.periodType && meta.period !== '0')
    facts.append(fact('Period', `${fmtAuto(Number(meta.period), meta.periodType.unit)} ${meta.periodType.type}`));
  const copyBtn = h('button.btn', { type: 'button', title: 'Copy a link to exactly this view' }, 'Copy link');
  copyBtn.addEventListener('click', async () => {
    const url = location.href;
    let ok = false;
    try {
      await navigator.clipboard.writeText(url);
      ok = true;
    } catch {
      // Clipboard API unavailable (permissions, http): fall back to a selected text field.
      const ta = h('textarea.offscreen', { readonly: true }, url);
      document.body.append(ta);
      ta.select();
      ok = document.execCommand('copy');
      ta.remove();
    }
    copyBtn.textContent = ok ? 'Copied ✓' : 'Copy failed';
    copyBtn.dataset.copied = url;
    window.setTimeout(() => (copyBtn.textContent = 'Copy link'), 1600);
  });
  const rawLink = h(
    'a.btn',
    { href: `/api/profiles/${encodeURIComponent(id)}/raw`, download: downloadName(meta.name, id), title: 'Download the stored profile' },
    'Download',
  );
  // Files of the current view for other tools; the links follow the filters and sample type.
  const exportLinks = (
    [
      ['folded', 'Folded stacks (.txt)', 'flamegraph.pl, inferno, speedscope'],
      ['speedscope', 'speedscope (.json)', 'open in speedscope'],
      ['pprof', 'Filtered pprof (.pb.gz)', 'the profile with the current filters applied, for go tool pprof'],
      ['html', 'Offline HTML snapshot', 'one file: flame graph and top table, works without a network'],
    ] as const
  ).map(([fmt, label, title]) => ({ fmt, a: h('a.menu-item', { href: '#', download: '', title, 'data-testid': `export-${fmt}` }, label) }));
  const syncExportLinks = (s: ProfileState) => {
    for (const { fmt, a } of exportLinks) {
      const q = apiParams(s);
      if (fmt === 'html') {
        if (s.zoom.length) q.set('zoom', JSON.stringify(s.zoom));
        if (s.search) q.set('search', s.search);
        q.set('theme', document.documentElement.dataset.theme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
      }
      a.href = `/api/profiles/${encodeURIComponent(id)}/export/${fmt}?${q}`;
    }
  };
  const exportMenu = h(
    'details.export-menu',
    null,
    h('summary.btn', { title: 'Download this view for other tools' }, 'Export'),
    h('div.menu-list', null, ...exportLinks.map((l) => l.a)),
  );
  syncExportLinks(state);
  listeners.add((s) => syncExportLinks(s));
  const nameEl = h('h1.profile-name', { title: meta.name }, meta.name || id);
  const manage = manageControls(
    { id, name: meta.name, expiresAt: meta.expiresAt ?? null, canManage: !!meta.canManage },
    (name) => {
      nameEl.textContent = name;
      nameEl.title = name;
      rawLink.download = downloadName(name, id);
      document.title = `${name} · pprof-lens`;
    },
    () => {
      history.pushState(null, '', '/');
      dispatchEvent(new PopStateEvent('popstate'));
    },
  );
  facts.append(fact('Expires', manage.expiry));
  const header = h(
    'header.profile-head',
    null,
    h(
      'div.title-row',
      null,
      nameEl,
      h('label.si-label', null, h('span', null, 'Sample'), siSelect),
      siHelp,
      h('div.spacer'),
      copyBtn,
      exportMenu,
      rawLink,
    ),
    facts,
  );
  if (manage.controls) header.append(manage.controls);
  if (meta.comments.length) header.append(h('div.comments', null, meta.comments.join(' · ')));

  // ---- refine bar ----
  const filterDefs: [keyof ProfileState, string, string][] = [
    ['focus', 'Focus', 'keep samples through matching frames'],
    ['ignore', 'Ignore', 'drop samples through matching frames'],
    ['hide', 'Hide', 'remove matching frames from stacks'],
    ['show', 'Show', 'keep only matching frames'],
    ['showFrom', 'Show from', 'cut stacks above the first match'],
    ['tagFocus', 'Tag focus', 'keep samples with a matching label: key=regexp, or a numeric range such as bytes=32kb:'],
    ['tagIgnore', 'Tag ignore', 'drop samples with a matching label'],
    ['tagRoot', 'Tag root', 'label keys (comma-separated) whose values become root frames'],
    ['tagLeaf', 'Tag leaf', 'label keys whose values become leaf frames'],
  ];
  const filterInputs = new Map<keyof ProfileState, HTMLInputElement>();
  const filterChecks = new Map<keyof ProfileState, RegexCheck>();
  // Tag filters are `key=regexp` or numeric ranges, and tagroot/tagleaf are key lists: the
  // server says what is wrong with those (its 400 lands beside the field, see refreshTotal).
  const regexFields = new Set<keyof ProfileState>(['focus', 'ignore', 'hide', 'show', 'showFrom']);
  const refine = h('form.refine', { 'aria-label': 'Filters' });
  for (const [key, label, help] of filterDefs) {
    const input = h('input', { type: 'text', name: key, placeholder: 'regexp', title: help, spellcheck: 'false' });
    filterInputs.set(key, input);
    const check = attachRegexCheck(input, regexFields.has(key) ? {} : { validate: () => null });
    filterChecks.set(key, check);
    refine.append(h('label.filter', null, h('span', null, label), input, check.el));
  }
  const gSelect = h(
    'select',
    { name: 'granularity', 'aria-label': 'Granularity' },
    h('option', { value: '' }, 'default'),
    ...GRANULARITIES.map((g) => h('option', { value: g }, g)),
  );
  refine.append(h('label.filter', null, h('span', null, 'Granularity'), gSelect));
  const clearBtn = h('button.btn', { type: 'button' }, 'Clear');
  refine.append(h('button.btn.primary', { type: 'submit' }, 'Apply'), clearBtn);
  refine.addEventListener('submit', (e) => {
    e.preventDefault();
    // A pattern that does not compile is not applied: its message stays beside it.
    for (const [key, check] of filterChecks) {
      if (check.check()) {
        filterInputs.get(key)!.focus();
        return;
      }
    }
    const partial: Partial<ProfileState> = { zoom: [] };
    for (const [key, input] of filterInputs) (partial as Record<string, string>)[key] = input.value.trim();
    partial.granularity = gSelect.value as ProfileState['granularity'];
    ctx.setState(partial);
  });
  gSelect.addEventListener('change', () => refine.requestSubmit());
  // The banner's filter list is the one place that names every filter field.
  clearBtn.addEventListener('click', () =>
    ctx.setState({ ...Object.fromEntries(FILTER_FIELDS.map(([k]) => [k, ''])), granularity: '', zoom: [] }),
  );
  const refineToggle = h('button.btn', { type: 'button', 'aria-expanded': 'false' }, 'Filters');
  refineToggle.addEventListener('click', () => {
    refine.hidden = !refine.hidden;
    refineToggle.setAttribute('aria-expanded', String(!refine.hidden));
  });
  const refineError = h('div.error.inline', { hidden: true });
  const banner = new FilterBanner((field) => ctx.setState({ [field]: '', zoom: [] }));

  // ---- tabs and panels ----
  const tabBar = h('div.tabs', { role: 'tablist' });
  const panelBar = h('div.panel-toggles');
  const viewsEl = h('div.views');
  const sideEl = h('aside.side-panel', { hidden: true });
  const tabs: Tab[] = [];
  const addTab = (tid: string, title: string, mount: (el: HTMLElement, tab: Tab) => void) => {
    const el = h('div.view', { role: 'tabpanel', 'data-view': tid, hidden: true });
    const button = h('button.tab', { type: 'button', role: 'tab', 'data-tab': tid }, title);
    const tab: Tab = {
      id: tid,
      title,
      el,
      button,
      mounted: false,
      mount() {
        if (!tab.mounted) {
          tab.mounted = true;
          mount(el, tab);
        }
      },
    };
    button.addEventListener('click', () => ctx.setState({ view: tid }));
    tabs.push(tab);
    tabBar.append(button);
    viewsEl.append(el);
  };
  addTab('flame', 'Flame graph', (el, tab) => {
    flame = new FlameView(el, ctx, firstTotalShown);
    if (pendingHighlight) flame.highlight(pendingHighlight);
    tab.shown = () => flame!.shown();
    tab.focusSearch = () => flame!.focusSearch();
  });
  addTab('top', 'Top', (el, tab) => {
    const v = new TopView(el, ctx);
    tab.shown = () => v.shown();
    tab.focusSearch = () => v.focusSearch();
    (window as unknown as { pprofLensTop?: TopView }).pprofLensTop = v;
  });
  addTab('source', 'Source', (el, tab) => {
    const v = new SourceView(el, ctx);
    tab.focusSearch = () => v.focusSearch();
  });
  for (const f of registeredViews()) {
    if (f.available && !f.available(meta)) continue;
    addTab(f.id, f.title, (el) => {
      const c = f.mount(el, ctx);
      if (c) cleanups.push(c);
    });
  }
  // The tablist pattern's keys: Left/Right (Home/End) move to and open the neighbouring tab.
  tabBar.addEventListener('keydown', (e) => {
    const i = tabs.findIndex((t) => t.button === document.activeElement);
    const n = tabs.length;
    const to: Record<string, number> = { ArrowRight: (i + 1) % n, ArrowLeft: (i + n - 1) % n, Home: 0, End: n - 1 };
    const j = to[e.key];
    if (i < 0 || j === undefined) return;
    e.preventDefault();
    tabs[j]!.button.focus();
    ctx.setState({ view: tabs[j]!.id });
  });
  const panels = registeredPanels().filter((p) => !p.available || p.available(meta));
  const panelEls = new Map<string, HTMLElement>();
  for (const p of panels) {
    const b = h('button.btn.panel-toggle', { type: 'button', 'data-panel': p.id, 'aria-pressed': 'false' }, p.title);
    b.addEventListener('click', () => ctx.setState({ panel: state.panel === p.id ? '' : p.id }));
    panelBar.append(b);
  }

  const main = h(
    'div.profile-main',
    null,
    h(
      'div.view-col',
      null,
      h('div.tab-row', null, tabBar, h('div.spacer'), refineToggle, panelBar),
      refine,
      refineError,
      banner.el,
      viewsEl,
    ),
    sideEl,
  );
  page.append(header, main);
  refine.hidden = true;

  const narrow = matchMedia('(max-width: 700px)');
  // The tab strip scrolls sideways on a narrow screen: keep the active tab in it visible.
  const revealTab = (b: HTMLElement) => {
    const strip = tabBar.getBoundingClientRect();
    const r = b.getBoundingClientRect();
    if (r.left < strip.left) tabBar.scrollLeft -= strip.left - r.left + 12;
    else if (r.right > strip.right) tabBar.scrollLeft += r.right - strip.right + 12;
  };
  const render = (prev: ProfileState | null) => {
    // Header controls follow the state (also after back/forward).
    const st = sampleTypeOf(state);
    if (siSelect.value !== st.type) {
      siSelect.value = st.type;
      siExplain.refresh();
    }
    for (const [key, input] of filterInputs) {
      if (document.activeElement !== input) input.value = String(state[key] ?? '');
      filterChecks.get(key)!.check();
    }
    gSelect.value = state.granularity;
    banner.setFilters(state);
    const anyFilter = !!(
      state.focus ||
      state.ignore ||
      state.hide ||
      state.show ||
      state.showFrom ||
      state.tagFocus ||
      state.tagIgnore ||
      state.tagRoot ||
      state.tagLeaf ||
      state.granularity
    );
    refineToggle.classList.toggle('active', anyFilter);
    if (anyFilter && prev === null) {
      refine.hidden = false;
      refineToggle.setAttribute('aria-expanded', 'true');
    }
    const active = tabs.find((t) => t.id === state.view) ?? tabs[0]!;
    for (const t of tabs) {
      const on = t === active;
      t.button.classList.toggle('active', on);
      t.button.setAttribute('aria-selected', String(on));
      t.el.hidden = !on;
    }
    revealTab(active.button);
    active.mount();
    active.shown?.();
    // Side panel.
    const pid = panels.some((p) => p.id === state.panel) ? state.panel : '';
    sideEl.hidden = !pid;
    for (const b of panelBar.querySelectorAll<HTMLButtonElement>('.panel-toggle'))
      b.setAttribute('aria-pressed', String(b.dataset.panel === pid));
    for (const [k, el] of panelEls) el.hidden = k !== pid;
    // One column on a narrow screen: the panel opens below the view, so bring it into sight.
    if (pid && pid !== prev?.panel && narrow.matches) requestAnimationFrame(() => sideEl.scrollIntoView({ block: 'start' }));
    if (pid && !panelEls.has(pid)) {
      const p = panels.find((x) => x.id === pid)!;
      const close = h('button.btn.close', { type: 'button', title: 'Close panel' }, '×');
      close.addEventListener('click', () => ctx.setState({ panel: '' }));
      const body = h('div.panel-body');
      const wrap = h('section.panel', { 'data-panel': pid }, h('header.panel-head', null, h('h2', null, p.title), close), body);
      panelEls.set(pid, wrap);
      sideEl.append(wrap);
      const c = p.mount(body, ctx);
      if (c) cleanups.push(c);
    }
    document.title = `${meta.name || id} · ${active.title} · pprof-lens`;
  };

  // The total in the header comes from the top report (pprof's total for this sample type and filters).
  let totalKey: string | null = null;
  const refreshTotal = async () => {
    const key = apiParams(state).toString();
    if (key === totalKey) return;
    totalKey = key;
    const early = earlyTotal?.key === key ? earlyTotal.answer : null;
    earlyTotal = null;
    try {
      const rep = await (early ?? api.top(id, totalQuery(state)));
      if (key !== totalKey) return;
      const shown = fmtIn(rep.total, rep.sampleType.unit, rep.displayUnit || 'auto');
      totalEl.textContent = shown;
      totalEl.title = `${rep.sampleType.type}: ${fmtAuto(rep.total, rep.sampleType.unit)}`;
      banner.setReport(rep);
      refineError.hidden = !rep.warnings.length;
      refineError.textContent = rep.warnings.join(' · ');
    } catch (err) {
      totalEl.textContent = '?';
      banner.setReport(null);
      const msg = (err as Error).message;
      // "parsing tagfocus regexp: ...": the server's 400 goes beside the field it names.
      const named = /^parsing (\w+) regexp/.exec(msg)?.[1];
      const field = FILTER_FIELDS.find(([, opt]) => opt === named)?.[0];
      const check = field ? filterChecks.get(field) : undefined;
      if (check) {
        check.show(msg);
        refine.hidden = false;
        refineToggle.setAttribute('aria-expanded', 'true');
      }
      refineError.hidden = !!check;
      refineError.textContent = msg;
    } finally {
      totalSettled();
    }
  };

  listeners.add((_s, prev) => {
    render(prev);
    void refreshTotal();
  });
  render(null);
  void refreshTotal();

  const activeTab = () => tabs.find((t) => t.id === state.view) ?? tabs[0]!;
  return {
    syncFromUrl() {
      const prev = state;
      state = parseState(location.search);
      notify(prev);
    },
    focusSearch() {
      const t = activeTab();
      if (t.focusSearch) t.focusSearch();
      else {
        ctx.setState({ view: 'flame' });
        flame?.focusSearch();
      }
    },
    resetZoom() {
      if (state.zoom.length) ctx.setState({ zoom: [] });
    },
    destroy() {
      for (const c of cleanups) c();
      listeners.clear();
    },
  };
}
