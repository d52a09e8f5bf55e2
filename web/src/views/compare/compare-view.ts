// The Compare tab: pick a base profile (stored, uploaded, or a captured live snapshot,
// which is stored too), then see the differential flame graph and the differential top
// table (base, new, delta for flat and cum) as `go tool pprof -diff_base` / `-base`
// computes them. All state (base, mode, normalisation, palette, zoom, sort) is in the URL.
import { explainColumn } from '../../../../contract/explain.js';
import type { DiffFlameGraph, DiffTopReport, DiffTopRow } from '../../../../contract/diff.js';
import { api, getJson, uploadProfile, type StoredProfile } from '../../api.js';
import { clear, h } from '../../dom.js';
import { fmtIn, fmtPct } from '../../fmt.js';
import type { ProfilePageContext, ProfileState } from '../../registry.js';
import { effectiveTheme, onThemeChange } from '../../theme.js';
import { changeColor, changeText, PALETTES, type Palette } from './colors.js';
import { DiffFlameCanvas, type DiffFlameHover, type WidthMode } from './diff-flame.js';
import { attachExplain, hideExplain } from '../explain-tip.js';
import { searchRegExp } from '../../state.js';
import { attachRegexCheck } from '../../widgets/regex-field.js';

type DiffTop = DiffTopReport & { id: string; base: string };
type DiffFlame = DiffFlameGraph & { id: string; base: string };

/** Delta as a signed percentage of the base value, e.g. "-92.4%" ("-100%" when gone). */
function deltaPctOfBase(value: number, base: number): string {
  const pct = ((value - base) / Math.abs(base)) * 100;
  const s = Math.abs(pct) >= 10 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1);
  return `${pct > 0 ? '+' : ''}${s}%`;
}

/** Table sort keys; a leading '-' means ascending (default is descending by magnitude/value). */
const SORTS: Record<string, { label: string; key: (r: DiffTopRow) => number | string }> = {
  pprof: { label: 'pprof order (|Δ flat|)', key: () => 0 },
  dflat: { label: 'Δ flat', key: (r) => r.flat },
  dcum: { label: 'Δ cum', key: (r) => r.cum },
  rel: {
    label: 'Δ% (change of cum)',
    key: (r) => (r.baseCum === 0 ? (r.newCum === 0 ? 0 : Infinity) : (r.newCum - r.baseCum) / Math.abs(r.baseCum)),
  },
  base: { label: 'base cum', key: (r) => r.baseCum },
  new: { label: 'new cum', key: (r) => r.newCum },
  name: { label: 'name', key: (r) => r.name },
};
const MAX_TABLE_ROWS = 3000;

/** Diff flame graph modes (URL key `fm`): one canvas by new, by base or combined, or base and new side by side. */
export type FlameMode = WidthMode | 'split';
const FLAME_MODES: Record<FlameMode, { label: string; legend: (grow: string, shrink: string) => string }> = {
  new: {
    label: 'Width by new',
    legend: () => "Width = the frame's value in the new profile; frames that vanished have no width here (switch to Combined to see them).",
  },
  base: {
    label: 'Width by base',
    legend: () => "Width = the frame's value in the base profile; frames that appeared have no width here.",
  },
  combined: {
    label: 'Combined (what shrank)',
    legend: () =>
      'Width = the larger of base and new; the solid part is the new value, the hatched part is what shrank or vanished, at its real size.',
  },
  split: {
    label: 'Side by side',
    legend: () => 'Base (left) and new (right) flame graphs on one scale, with one zoom and one search.',
  },
};

interface CompareState {
  flameMode: FlameMode;
  /** Search (a regexp) highlighted in the flame graphs. */
  search: string;
  base: string;
  mode: 'diff_base' | 'base';
  normalize: boolean;
  palette: Palette;
  zoom: string[];
  sort: string;
}

function readState(s: ProfileState): CompareState {
  let zoom: string[] = [];
  try {
    const z: unknown = JSON.parse(s.extra.cz ?? '[]');
    if (Array.isArray(z) && z.every((x) => typeof x === 'string')) zoom = z as string[];
  } catch {
    zoom = [];
  }
  const sort = s.extra.csort ?? 'pprof';
  const fm = s.extra.fm ?? '';
  return {
    flameMode: fm in FLAME_MODES ? (fm as FlameMode) : 'new',
    search: s.extra.cq ?? '',
    base: s.extra.base ?? '',
    mode: s.extra.mode === 'base' ? 'base' : 'diff_base',
    normalize: s.extra.norm === '1',
    palette: s.extra.palette === 'cb' ? 'cb' : 'redgreen',
    zoom,
    sort: SORTS[sort.replace(/^-/, '')] ? sort : 'pprof',
  };
}

export class CompareView {
  private root = h('div.compare-view');
  private baseSelect = h('select.compare-base', { 'aria-label': 'Base profile' });
  private uploadInput = h('input', { type: 'file', 'aria-label': 'Upload a base profile', hidden: true });
  private uploadBtn = h('button.btn', { type: 'button' }, 'Upload base…');
  private modeSelect = h('select.compare-mode', { 'aria-label': 'Comparison mode' });
  private normToggle = h('button.btn.compare-norm', { type: 'button', 'aria-pressed': 'false' });
  private paletteSelect = h('select.compare-palette', { 'aria-label': 'Colours' });
  private swapBtn = h(
    'button.btn.compare-swap',
    { type: 'button', title: 'Open the base profile and compare it against this one' },
    'Swap new ⇄ base',
  );
  private liveUrl = h('input.compare-live-url', {
    type: 'url',
    placeholder: 'http://127.0.0.1:6060',
    'aria-label': 'Live service address',
    spellcheck: 'false',
  });
  private liveSeconds = h('input.compare-live-seconds', {
    type: 'number',
    min: '1',
    max: '300',
    value: '10',
    'aria-label': 'CPU capture seconds',
  });
  private liveBtn = h('button.btn', { type: 'button' }, 'Capture as base');
  private status = h('div.compare-status', { role: 'status' });
  private summary = h('div.compare-summary');
  private legend = h('div.compare-legend');
  private flameModeSelect = h('select.compare-flame-mode', { 'aria-label': 'Flame graph widths' });
  private searchInput = h('input.compare-search', {
    type: 'search',
    placeholder: 'Search frames (regexp)',
    'aria-label': 'Search frames',
    spellcheck: 'false',
  });
  private searchCheck = attachRegexCheck(this.searchInput, { fallback: 'matching the text literally' });
  private flameHost = h('div.compare-flame');
  private mainHost = h('div.compare-flame-main');
  private baseHost = h('div.compare-flame-side');
  private newHost = h('div.compare-flame-side');
  private splitHost = h(
    'div.compare-flame-split',
    { hidden: true },
    h('div.compare-flame-col', null, h('div.compare-flame-head', null, 'Base'), this.baseHost),
    h('div.compare-flame-col', null, h('div.compare-flame-head', null, 'New'), this.newHost),
  );
  private crumbs = h('div.compare-crumbs');
  private tooltip = h('div.compare-tooltip', { hidden: true });
  private tableHost = h('div.compare-table-wrap');
  private headerPre = h('pre.compare-header');
  private flame: DiffFlameCanvas;
  private flameBase: DiffFlameCanvas;
  private flameNew: DiffFlameCanvas;
  private profiles: StoredProfile[] = [];
  private top: DiffTop | null = null;
  private graph: DiffFlame | null = null;
  private dataKey = '';

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    for (const [v, label] of [
      ['diff_base', 'Compare to base (-diff_base: % of base total)'],
      ['base', 'Subtract base (-base: for allocs / heap snapshots)'],
    ] as const)
      this.modeSelect.append(h('option', { value: v }, label));
    for (const p of Object.values(PALETTES)) this.paletteSelect.append(h('option', { value: p.id }, p.label));
    for (const [id, m] of Object.entries(FLAME_MODES)) this.flameModeSelect.append(h('option', { value: id }, m.label));
    const controls = h(
      'div.compare-controls',
      null,
      h('label', null, 'Base ', this.baseSelect),
      this.uploadBtn,
      this.uploadInput,
      h('label', null, 'Mode ', this.modeSelect),
      this.normToggle,
      h('label', null, 'Colours ', this.paletteSelect),
      this.swapBtn,
    );
    const flameControls = h(
      'div.compare-controls.compare-flame-controls',
      null,
      h('label', null, 'Flame graph ', this.flameModeSelect),
      this.searchInput,
      this.searchCheck.el,
    );
    const live = h(
      'details.compare-live',
      null,
      h('summary', null, 'Capture a live snapshot as base'),
      h(
        'div.compare-live-row',
        null,
        h('label', null, '/debug/pprof of ', this.liveUrl),
        this.ctx.meta.kind === 'cpu' ? h('label', null, 'seconds ', this.liveSeconds) : null,
        this.liveBtn,
        h('span.muted', null, ` captures a ${this.ctx.meta.kind} profile, stores it and uses it as the base`),
      ),
    );
    this.root.append(
      h('h2.compare-title', null, 'Compare with a base profile'),
      controls,
      live,
      this.status,
      this.summary,
      this.legend,
      flameControls,
      this.crumbs,
      this.flameHost,
      this.tooltip,
      h('h3', null, 'Functions: base, new and change'),
      this.tableHost,
      h('details.compare-header-details', null, h('summary', null, 'pprof report header'), this.headerPre),
    );
    el.append(this.root);
    this.flameHost.append(this.mainHost, this.splitHost);
    const zoom = (path: string[]) => this.set({ cz: path.length ? JSON.stringify(path) : '' });
    const hover = (hv: DiffFlameHover | null) => this.showTooltip(hv);
    this.flame = new DiffFlameCanvas(this.mainHost, zoom, hover);
    this.flameBase = new DiffFlameCanvas(this.baseHost, zoom, hover, 'Base flame graph');
    this.flameNew = new DiffFlameCanvas(this.newHost, zoom, hover, 'New flame graph');
    this.flameBase.mode = 'base';
    this.flameNew.mode = 'new';
    this.flameBase.sharedScale = true;
    this.flameNew.sharedScale = true;
    this.flameModeSelect.addEventListener('change', () =>
      this.set({ fm: this.flameModeSelect.value === 'new' ? '' : this.flameModeSelect.value }, false),
    );
    let searchTimer: ReturnType<typeof setTimeout> | undefined;
    this.searchInput.addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => this.set({ cq: this.searchInput.value }, true), 150);
    });
    this.baseSelect.addEventListener('change', () => this.set({ base: this.baseSelect.value, cz: '' }, false));
    this.modeSelect.addEventListener('change', () => this.set({ mode: this.modeSelect.value === 'base' ? 'base' : '' }, false));
    this.normToggle.addEventListener('click', () => this.set({ norm: readState(this.ctx.state()).normalize ? '' : '1' }, false));
    this.paletteSelect.addEventListener('change', () => this.set({ palette: this.paletteSelect.value === 'cb' ? 'cb' : '' }, true));
    this.uploadBtn.addEventListener('click', () => this.uploadInput.click());
    this.uploadInput.addEventListener('change', () => void this.upload());
    this.liveBtn.addEventListener('click', () => void this.captureLive());
    this.swapBtn.addEventListener('click', () => {
      const cs = readState(this.ctx.state());
      if (!cs.base) return;
      const q = new URLSearchParams(location.search);
      q.set('base', this.ctx.profileId);
      q.delete('cz');
      location.assign(`/p/${encodeURIComponent(cs.base)}?${q}`);
    });
    new ResizeObserver(() => this.drawFlame()).observe(this.flameHost);
    onThemeChange(() => this.drawFlame());
    this.ctx.onStateChange((s) => void this.apply(s));
    void this.loadProfiles().then(() => this.apply(this.ctx.state()));
  }

  private set(extra: Record<string, string>, replace = false): void {
    this.ctx.setState({ extra }, { replace });
  }

  private async loadProfiles(): Promise<void> {
    try {
      const list = await api.list(1, 1000);
      this.profiles = list.profiles;
    } catch (err) {
      this.status.textContent = `Could not list stored profiles: ${(err as Error).message}`;
    }
  }

  private fillBaseSelect(cs: CompareState): void {
    clear(this.baseSelect);
    this.baseSelect.append(h('option', { value: '' }, '— choose a base profile —'));
    const kind = this.ctx.meta.kind;
    const same = this.profiles.filter((p) => p.id !== this.ctx.profileId && p.type === kind);
    for (const p of same) {
      this.baseSelect.append(h('option', { value: p.id }, `${p.name} (${p.type}, ${p.storedAt.replace('T', ' ').slice(0, 19)})`));
    }
    if (cs.base && !same.some((p) => p.id === cs.base)) {
      this.baseSelect.append(h('option', { value: cs.base }, cs.base === this.ctx.profileId ? `${cs.base} (this profile)` : cs.base));
    }
    this.baseSelect.value = cs.base;
  }

  private async upload(): Promise<void> {
    const file = this.uploadInput.files?.[0];
    if (!file) return;
    this.status.textContent = `Uploading ${file.name}…`;
    try {
      const res = await uploadProfile(file, (f) => (this.status.textContent = `Uploading ${file.name}… ${Math.round(f * 100)}%`));
      await this.loadProfiles();
      this.set({ base: res.id, cz: '' });
    } catch (err) {
      this.status.textContent = `Upload failed: ${(err as Error).message}`;
    }
  }

  /** Profile name on /debug/pprof/ for this profile's kind (cpu is "profile"). */
  private liveProfileName(): string {
    const k = this.ctx.meta.kind;
    return k === 'cpu' ? 'profile' : k === 'other' ? 'heap' : k;
  }

  private async captureLive(): Promise<void> {
    const url = this.liveUrl.value.trim();
    if (!url) {
      this.status.textContent = 'Enter the address of a Go service that serves /debug/pprof (e.g. http://127.0.0.1:6060).';
      return;
    }
    const body: Record<string, unknown> = { url, profile: this.liveProfileName() };
    if (this.ctx.meta.kind === 'cpu') body.seconds = Math.max(1, Math.min(300, Number(this.liveSeconds.value) || 10));
    this.status.textContent = `Capturing ${body.profile as string} from ${url}…`;
    this.liveBtn.disabled = true;
    try {
      const res = await getJson<{ id: string }>('/api/capture', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await this.loadProfiles();
      this.set({ base: res.id, cz: '' });
    } catch (err) {
      this.status.textContent = `Capture failed: ${(err as Error).message}`;
    } finally {
      this.liveBtn.disabled = false;
    }
  }

  private async apply(s: ProfileState): Promise<void> {
    const cs = readState(s);
    this.fillBaseSelect(cs);
    this.modeSelect.value = cs.mode;
    this.swapBtn.disabled = !cs.base;
    this.paletteSelect.value = cs.palette;
    this.flameModeSelect.value = cs.flameMode;
    if (document.activeElement !== this.searchInput) this.searchInput.value = cs.search;
    this.searchCheck.check();
    this.normToggle.setAttribute('aria-pressed', String(cs.normalize));
    this.normToggle.textContent = cs.normalize
      ? 'Showing: normalised change (switch to absolute)'
      : 'Showing: absolute change (switch to normalised)';
    if (!cs.base) {
      this.top = null;
      this.graph = null;
      this.root.dataset.ready = 'empty';
      this.status.textContent =
        'Choose a base profile of the same type (stored profiles, an upload, or a live capture you stored) to see what changed.';
      clear(this.summary);
      clear(this.legend);
      clear(this.tableHost);
      clear(this.crumbs);
      this.flameHost.hidden = true;
      return;
    }
    // The page's sample type, filters and granularity apply to the comparison too.
    const params = this.ctx.apiParams();
    params.set('base', cs.base);
    if (cs.mode === 'base') params.set('mode', 'base');
    if (cs.normalize) params.set('normalize', '1');
    const key = params.toString();
    if (key !== this.dataKey || !this.top || !this.graph) {
      this.dataKey = key;
      this.root.dataset.ready = 'loading';
      this.status.textContent = 'Comparing…';
      const id = encodeURIComponent(this.ctx.profileId);
      try {
        const topParams = new URLSearchParams(params);
        topParams.set('nodeFraction', '0');
        const [top, graph] = await Promise.all([
          getJson<DiffTop>(`/api/profiles/${id}/diff?${topParams}`),
          getJson<DiffFlame>(`/api/profiles/${id}/diff/flamegraph?${params}&minFraction=0.0005`),
        ]);
        if (key !== this.dataKey) return;
        this.top = top;
        this.graph = graph;
      } catch (err) {
        if (key !== this.dataKey) return;
        this.top = null;
        this.graph = null;
        this.root.dataset.ready = 'error';
        const msg = (err as Error).message;
        this.status.textContent = /^cannot compare/i.test(msg) ? msg.replace(/^c/, 'C') : `Cannot compare: ${msg}`;
        clear(this.summary);
        clear(this.tableHost);
        clear(this.legend);
        clear(this.crumbs);
        this.flameHost.hidden = true;
        return;
      }
    }
    const warnings = [...new Set([...(this.top?.warnings ?? []), ...(this.graph?.warnings ?? [])])];
    this.status.textContent = warnings.join(' · ');
    this.flameHost.hidden = false;
    this.renderSummary(cs);
    this.renderLegend(cs);
    this.drawFlame();
    this.renderTable(cs);
    this.root.dataset.ready = 'true';
  }

  private fmt(v: number): string {
    const t = this.top!;
    return fmtIn(v, t.sampleType.unit, t.displayUnit || 'auto');
  }

  private signed(v: number): string {
    const s = this.fmt(v);
    return v > 0 ? `+${s}` : s;
  }

  private baseName(id: string): string {
    return this.profiles.find((p) => p.id === id)?.name ?? id;
  }

  private renderSummary(cs: CompareState): void {
    const t = this.top!;
    clear(this.summary);
    const change = t.newTotal - t.baseTotal;
    const what = cs.normalize
      ? `Normalised: the new profile was scaled so its ${t.sampleType.type} total equals the base's (pprof -normalize), so the changes below are shifts in each function's share, not in absolute amount.`
      : `Absolute change: new minus base, in ${t.sampleType.type} (${t.sampleType.unit}).`;
    const pctOf =
      cs.mode === 'diff_base'
        ? 'Percentages are of the base total (pprof -diff_base), so they can exceed 100%.'
        : 'Mode -base: the base is subtracted and matching stacks cancel; percentages are of what remains.';
    this.summary.append(
      h(
        'p',
        null,
        h('strong', null, 'New: '),
        `${this.ctx.meta.name} — ${this.fmt(t.newTotal)}`,
        h('span.sep', null, ' · '),
        h('strong', null, 'Base: '),
        `${this.baseName(t.base)} — ${this.fmt(t.baseTotal)}`,
        h('span.sep', null, ' · '),
        h('strong', null, 'Change: '),
        h(
          'span',
          { class: change > 0 ? 'grow' : change < 0 ? 'shrink' : '' },
          `${this.signed(change)} (${changeText(t.newTotal, t.baseTotal)})`,
        ),
      ),
      h('p.compare-what', null, what, ' ', pctOf),
    );
    // allocs, block and mutex counters (and heap alloc_*) grow for the life of a process.
    const cumulative = ['allocs', 'heap', 'block', 'mutex'].includes(this.ctx.meta.kind);
    if (cumulative && cs.mode === 'diff_base') {
      this.summary.append(
        h(
          'p.compare-hint',
          null,
          `Tip: ${
            this.ctx.meta.kind === 'heap' || this.ctx.meta.kind === 'allocs'
              ? 'alloc_space and alloc_objects are cumulative since the process started (inuse_* are a snapshot)'
              : 'contentions and delay are cumulative since the process started'
          }. For two snapshots of the same process, "Subtract base (-base)" shows what happened between them.`,
        ),
      );
    }
  }

  private renderLegend(cs: CompareState): void {
    const p = PALETTES[cs.palette];
    // Text colours of the table and summary follow the chosen palette too.
    this.root.style.setProperty('--cmp-grow', `rgb(${p.grow.join(', ')})`);
    this.root.style.setProperty('--cmp-shrink', `rgb(${p.shrink.join(', ')})`);
    const dark = effectiveTheme() === 'dark';
    clear(this.legend);
    const bar = h('div.legend-bar', { 'aria-hidden': 'true' });
    for (const r of [-1, -0.6, -0.3, -0.1, 0, 0.1, 0.3, 0.6, 1]) {
      const cell = h('span.legend-cell');
      cell.style.background = changeColor(r, cs.palette, dark);
      bar.append(cell);
    }
    this.legend.append(
      h('span.legend-end', null, `${p.shrinkName}: shrank / gone`),
      bar,
      h('span.legend-end', null, `${p.growName}: grew / new`),
      h(
        'p.legend-text.legend-mode',
        null,
        FLAME_MODES[cs.flameMode].legend(p.growName, p.shrinkName) + (cs.normalize ? ' (New is normalised.)' : ''),
      ),
      h(
        'p.legend-text',
        null,
        `Colour = change from base to new relative to the larger of the two: full ${p.growName} = appeared (or grew a lot), full ${p.shrinkName} = vanished, grey = unchanged.`,
      ),
    );
  }

  private drawFlame(): void {
    const g = this.graph;
    const cs = readState(this.ctx.state());
    const split = cs.flameMode === 'split';
    this.mainHost.hidden = split;
    this.splitHost.hidden = !split;
    // Go's regexp, as every other search (a pattern that does not compile matches literally).
    const search = searchRegExp(cs.search);
    const canvases = split ? [this.flameBase, this.flameNew] : [this.flame];
    if (!split) this.flame.mode = cs.flameMode as WidthMode;
    for (const f of canvases) {
      f.palette = cs.palette;
      f.dark = effectiveTheme() === 'dark';
      f.icicle = this.ctx.state().icicle;
      f.search = search;
      if (!g) continue;
      f.setTree(g.root);
      f.setZoom(cs.zoom);
      f.draw();
    }
    this.flameHost.dataset.mode = cs.flameMode;
    if (!g) return;
    clear(this.crumbs);
    if (cs.zoom.length) {
      const reset = h('button.btn', { type: 'button' }, 'Reset zoom');
      reset.addEventListener('click', () => this.set({ cz: '' }));
      this.crumbs.append(reset, ` ${cs.zoom.join(' › ')}`);
    }
    if (search) {
      const counts = canvases.map((f) => f.frames().filter((x) => x.match).length);
      const said = counts.map((n) => `${n} frame${n === 1 ? '' : 's'}`);
      this.crumbs.append(
        h(
          'span.compare-search-count',
          null,
          ` ${split ? `${said[0]} in base, ${said[1]} in new` : said[0]} match ${JSON.stringify(cs.search)}`,
        ),
      );
    }
    if (g.droppedNodes) this.crumbs.append(h('span.muted', null, ` (${g.droppedNodes} frames under 0.05% of the total not drawn)`));
    if (canvases.some((f) => f.truncated)) this.crumbs.append(h('span.muted', null, ' (deeper frames not drawn: click a frame to zoom)'));
  }

  private showTooltip(hv: DiffFlameHover | null): void {
    if (!hv || !this.top) {
      this.tooltip.hidden = true;
      return;
    }
    const n = hv.node;
    clear(this.tooltip);
    const pctOfBase =
      n.base === 0
        ? n.value === 0
          ? 'no change'
          : 'not in the base (new)'
        : `${deltaPctOfBase(n.value, n.base)} of base${n.value === 0 ? ' (gone)' : ''}`;
    this.tooltip.append(
      h('div.tt-name', null, n.name === 'root' ? 'all' : n.name),
      h('div.tt-base', null, `base ${this.fmt(n.base)}`),
      h('div.tt-new', null, `new ${this.fmt(n.value)}`),
      h('div.tt-delta', null, `delta ${this.signed(n.delta)} · ${pctOfBase}`),
    );
    this.tooltip.hidden = false;
    const r = this.root.getBoundingClientRect();
    this.tooltip.style.left = `${hv.clientX - r.left + 14}px`;
    this.tooltip.style.top = `${hv.clientY - r.top + 14}px`;
  }

  private renderTable(cs: CompareState): void {
    const t = this.top!;
    hideExplain(); // its anchor may be a header about to be replaced
    clear(this.tableHost);
    const desc = !cs.sort.startsWith('-');
    const sortId = cs.sort.replace(/^-/, '');
    const rows = t.rows.map((row, i) => ({ row, i }));
    if (sortId !== 'pprof') {
      const key = SORTS[sortId]!.key;
      rows.sort((a, b) => {
        const ka = key(a.row);
        const kb = key(b.row);
        const c = typeof ka === 'string' ? (ka < kb ? -1 : ka > kb ? 1 : 0) : (ka as number) - (kb as number);
        return (sortId === 'name' ? c : desc ? -c : c) || a.i - b.i;
      });
    }
    const head = h('tr');
    const kind = this.ctx.meta.kind;
    // Hover/focus explains the column: what it is in the comparison, then what the
    // underlying pprof column (flat, cum, name) means for this kind of profile.
    const explain = (el: HTMLElement, label: string, title: string, id: string | null) => {
      const base = /^(?:base |new |Δ )?(flat|cum|name)$/.exec(label)?.[1];
      attachExplain(el, `cmp-${label}`, () => {
        const under = base ? explainColumn(kind, base) : '';
        return {
          term: label,
          kind,
          text: `${title[0]!.toUpperCase()}${title.slice(1)}.`,
          more: under ? [{ term: base!, text: under }] : undefined,
          moreTitle: 'In pprof terms',
          note: id ? `Click to sort by ${SORTS[id]!.label}` : undefined,
        };
      });
    };
    const col = (label: string, id: string | null, title: string) => {
      if (!id) {
        const th = h('th', { tabindex: 0 }, label);
        explain(th, label, title, null);
        return th;
      }
      const active = sortId === id;
      const b = h('button', { type: 'button', class: `sort${active ? ' active' : ''}` }, label + (active ? (desc ? ' ▾' : ' ▴') : ''));
      b.addEventListener('click', () => this.set({ csort: id === 'pprof' ? '' : active ? (desc ? `-${id}` : id) : id }, true));
      explain(b, label, title, id);
      return h('th', { 'aria-sort': active ? (desc ? 'descending' : 'ascending') : 'none' }, b);
    };
    head.append(
      col('base flat', null, 'flat in the base profile'),
      col('new flat', null, 'flat in the new profile'),
      col('Δ flat', 'dflat', 'new minus base flat'),
      col('Δ flat%', 'pprof', 'pprof flat% of the Δ (relative to the report total)'),
      col('base cum', 'base', 'cum in the base profile'),
      col('new cum', 'new', 'cum in the new profile'),
      col('Δ cum', 'dcum', 'new minus base cum'),
      col('Δ cum%', null, 'pprof cum% of the Δ (relative to the report total)'),
      col('Δ%', 'rel', 'change of cum relative to its base value'),
      col('name', 'name', 'function'),
    );
    const body = h('tbody');
    for (const { row } of rows.slice(0, MAX_TABLE_ROWS)) {
      const sign = (v: number) => (v > 0 ? 'num delta grow' : v < 0 ? 'num delta shrink' : 'num delta');
      const badge =
        row.baseCum === 0 && row.newCum !== 0
          ? h('span.badge.badge-new', null, 'new')
          : row.newCum === 0 && row.baseCum !== 0
            ? h('span.badge.badge-gone', null, 'gone')
            : null;
      const nameCell = h(
        'td.name',
        { title: row.name },
        row.name,
        row.inline ? h('span.muted', null, ` ${row.inline}`) : null,
        badge ? ' ' : null,
        badge,
      );
      body.append(
        h(
          'tr',
          null,
          h('td.num', null, this.fmt(row.baseFlat)),
          h('td.num', null, this.fmt(row.newFlat)),
          h('td', { class: sign(row.flat) }, this.signed(row.flat)),
          h('td.num', null, fmtPct(row.flat, t.total)),
          h('td.num', null, this.fmt(row.baseCum)),
          h('td.num', null, this.fmt(row.newCum)),
          h('td', { class: sign(row.cum) }, this.signed(row.cum)),
          h('td.num', null, fmtPct(row.cum, t.total)),
          h('td.num', null, changeText(row.newCum, row.baseCum)),
          nameCell,
        ),
      );
    }
    const table = h('table.compare-table', null, h('thead', null, head), body);
    this.tableHost.append(
      h(
        'p.muted',
        null,
        `${t.rows.length} functions${t.rows.length > MAX_TABLE_ROWS ? ` (first ${MAX_TABLE_ROWS} shown)` : ''}; all nodes kept (-nodefraction=0). Δ flat% and Δ cum% are pprof's, relative to ${cs.mode === 'diff_base' ? 'the base total' : 'the remaining total'} ${this.fmt(t.total)}.`,
      ),
      table,
    );
    this.headerPre.textContent = t.legend.join('\n');
  }
}
