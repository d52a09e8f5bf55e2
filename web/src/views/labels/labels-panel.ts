// The Labels side panel: pprof -tags as charts, one per label key, for the current sample
// type and filters. String labels are bars (heaviest first), numeric ones (allocation size,
// wait minutes) a histogram in value order. Click a value to focus on it (-tagfocus),
// shift-click to drop it (-tagignore); "root"/"leaf" group the flame graph by the key
// (-tagroot/-tagleaf). Everything goes through the URL.
import type { TagKey, TagsReport } from '../../../../contract/views.js';
import { getJson } from '../../api.js';
import { clear, h, svg } from '../../dom.js';
import { fmtIn, fmtPct } from '../../fmt.js';
import type { ProfilePageContext, ProfileState } from '../../registry.js';
import { apiParams } from '../../state.js';
import { tagExpr, toggleKey } from './filters.js';

/** Bars shown per string key before "n more". */
const MAX_BARS = 25;
/** Values fetched per key: the histogram's buckets (allocation sizes are a few dozen). */
const MAX_FETCH = 500;

export class LabelsPanel {
  private root = h('div.labels-panel');
  private active = h('div.labels-active');
  private status = h('p.labels-status', { role: 'status' });
  private charts = h('div.labels-charts');
  private loadedFor: string | null = null;
  private disposed = false;

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    this.root.append(
      h('p.labels-help', null, 'Click a value to focus on it, shift-click to ignore it. Root / leaf group the flame graph by the label.'),
      this.active,
      this.status,
      this.charts,
    );
    el.append(this.root);
    this.onState(ctx.state());
  }

  onState(s: ProfileState): void {
    this.renderActive(s);
    const key = apiParams(s).toString();
    if (key === this.loadedFor) return;
    this.loadedFor = key;
    void this.load(key);
  }

  dispose(): void {
    this.disposed = true;
    this.root.remove();
  }

  private renderActive(s: ProfileState): void {
    clear(this.active);
    const items: [keyof ProfileState, string][] = [
      ['tagFocus', 'focus'],
      ['tagIgnore', 'ignore'],
      ['tagRoot', 'root'],
      ['tagLeaf', 'leaf'],
    ];
    for (const [k, label] of items) {
      const v = String(s[k] ?? '');
      if (!v) continue;
      const x = h('button.chip-x', { type: 'button', title: `Remove tag ${label}`, 'aria-label': `Remove tag ${label}` }, '×');
      x.addEventListener('click', () => this.ctx.setState({ [k]: '' } as Partial<ProfileState>));
      this.active.append(h('span.chip', { 'data-filter': k }, `tag ${label}: ${v}`, x));
    }
  }

  private async load(key: string): Promise<void> {
    this.status.textContent = 'Reading labels…';
    try {
      const q = new URLSearchParams(key);
      q.set('n', String(MAX_FETCH));
      const r = await getJson<TagsReport>(`/api/profiles/${encodeURIComponent(this.ctx.profileId)}/tags?${q}`);
      if (this.disposed || key !== this.loadedFor) return;
      this.render(r);
    } catch (e) {
      if (this.disposed) return;
      clear(this.charts);
      this.status.textContent = `Labels unavailable: ${(e as Error).message}`;
    }
  }

  private render(r: TagsReport): void {
    clear(this.charts);
    this.status.textContent = r.keys.length
      ? `${r.keys.length} label key${r.keys.length > 1 ? 's' : ''} on ${r.sampleType.type}`
      : 'No labels on the samples shown. Go adds them with pprof.Do / pprof.SetGoroutineLabels; heap profiles carry the allocation size (bytes).';
    for (const k of r.keys) this.charts.append(this.chart(r, k));
  }

  private chart(r: TagsReport, k: TagKey): HTMLElement {
    const s = this.ctx.state();
    const unit = r.sampleType.unit;
    const fmt = (v: number) => fmtIn(v, unit, 'auto');
    const groupBtn = (which: 'tagRoot' | 'tagLeaf', label: string) => {
      const on = s[which].split(',').includes(k.key);
      const b = h(
        'button.btn.small',
        {
          type: 'button',
          'aria-pressed': String(on),
          'data-group': which,
          title: `Label values as ${label} frames of the flame graph (pprof -${which.toLowerCase()})`,
        },
        label,
      );
      b.addEventListener('click', () =>
        this.ctx.setState({ [which]: toggleKey(this.ctx.state()[which], k.key), view: 'flame', zoom: [] } as Partial<ProfileState>),
      );
      return b;
    };
    const head = h(
      'header.labels-key-head',
      null,
      h('h3', null, k.key, k.numeric && k.unit ? h('span.muted', null, ` (${k.unit})`) : null),
      h('span.muted', null, `total ${fmt(k.total)}`),
      h('span.spacer'),
      h('span.muted', null, 'group:'),
      groupBtn('tagRoot', 'root'),
      groupBtn('tagLeaf', 'leaf'),
    );
    const box = h('section.labels-key', { 'data-key': k.key, 'data-numeric': String(k.numeric) }, head);
    const pick = (e: MouseEvent, expr: string) => {
      if (e.shiftKey) this.ctx.setState({ tagIgnore: expr, zoom: [] });
      else this.ctx.setState({ tagFocus: expr, zoom: [] });
    };
    if (k.numeric) {
      box.append(this.histogram(k, fmt, pick));
      return box;
    }
    const max = Math.max(1, ...k.values.map((v) => Math.abs(v.weight)));
    const list = h('ol.labels-bars');
    for (const v of k.values.slice(0, MAX_BARS)) {
      const expr = tagExpr(k, v);
      const row = h(
        'button.labels-bar',
        {
          type: 'button',
          'data-value': v.value,
          title: `${k.key}=${v.value}: ${fmt(v.weight)} (${fmtPct(v.weight, k.total)}). Click: tag focus, shift-click: tag ignore`,
        },
        h('span.labels-bar-fill', { style: `width:${((100 * Math.abs(v.weight)) / max).toFixed(1)}%` }),
        h('span.labels-bar-name', null, v.value || '(empty)'),
        h('span.labels-bar-value', null, `${fmt(v.weight)} · ${fmtPct(v.weight, k.total)}`),
      );
      row.addEventListener('click', (e) => pick(e, expr));
      list.append(h('li', null, row));
    }
    box.append(list);
    const more = k.values.length - Math.min(MAX_BARS, k.values.length) + k.omitted;
    if (more > 0) box.append(h('p.muted', null, `${more} more values`));
    return box;
  }

  /** Buckets in value order, bar height = weight; the CSP allows no inline handlers, so listeners. */
  private histogram(k: TagKey, fmt: (v: number) => string, pick: (e: MouseEvent, expr: string) => void): Element {
    const vals = k.values.filter((v) => v.num !== null).sort((a, b) => a.num! - b.num!);
    const W = 300;
    const H = 120;
    const bw = Math.max(2, Math.min(24, Math.floor((W - 10) / Math.max(1, vals.length))));
    const max = Math.max(1, ...vals.map((v) => Math.abs(v.weight)));
    const g = svg('svg', {
      class: 'labels-hist',
      viewBox: `0 0 ${Math.max(W, vals.length * bw + 10)} ${H + 20}`,
      role: 'img',
      'aria-label': `${k.key} histogram`,
    });
    vals.forEach((v, i) => {
      const hgt = Math.max(1, ((H - 4) * Math.abs(v.weight)) / max);
      const rect = svg('rect', {
        x: 5 + i * bw,
        y: H - hgt,
        width: bw - 1,
        height: hgt,
        class: 'labels-hist-bar',
        'data-value': v.value,
        tabindex: 0,
      });
      const t = svg('title');
      t.textContent = `${k.key} ${v.value}: ${fmt(v.weight)} (${fmtPct(v.weight, k.total)}). Click: tag focus, shift-click: tag ignore`;
      rect.append(t);
      const expr = tagExpr(k, v);
      rect.addEventListener('click', (e) => pick(e as MouseEvent, expr));
      rect.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key === 'Enter') pick(e as unknown as MouseEvent, expr);
      });
      g.append(rect);
    });
    if (vals.length) {
      const lo = svg('text', { x: 5, y: H + 15, class: 'labels-hist-axis' });
      lo.textContent = vals[0].value;
      const hi = svg('text', { x: 5 + vals.length * bw, y: H + 15, class: 'labels-hist-axis', 'text-anchor': 'end' });
      hi.textContent = vals[vals.length - 1].value;
      g.append(lo, hi);
    }
    return g;
  }
}
