// The Goroutines tab of goroutine dumps and profiles: groups of identical stacks, biggest
// first, with state, wait-time spread, creator and labels; filters by state, minimum wait,
// creator and label; comparison with another stored dump. Filters live in the URL
// (gstate, gwait, gcreator, glabel, gbase). The flame graph tab draws the same groups.
import type { GoroutineGroup, GoroutinesView, GroupDelta } from '../../../../contract/views.js';
import { api, getJson } from '../../api.js';
import { clear, h } from '../../dom.js';
import type { ProfilePageContext, ProfileState } from '../../registry.js';
import { exactName } from '../../../../contract/go-regexp.js';
import { attachRegexCheck } from '../../widgets/regex-field.js';

const KEYS = { state: 'gstate', wait: 'gwait', creator: 'gcreator', label: 'glabel', base: 'gbase' } as const;

function waitText(g: GoroutineGroup): string {
  if (g.wait.max === 0) return '< 1 min';
  return g.wait.min === g.wait.max ? `${g.wait.min} min` : `${g.wait.min}–${g.wait.max} min`;
}

export class GoroutinesTab {
  private root = h('div.goroutines-view');
  private form = h('form.goroutines-filters', { 'aria-label': 'Goroutine filters' });
  private stateSel = h('select', { name: 'state', 'aria-label': 'State' });
  private waitIn = h('input', { type: 'number', min: '0', name: 'minWait', placeholder: 'min', 'aria-label': 'Minimum wait (minutes)' });
  private creatorIn = h('input', { type: 'text', name: 'creator', placeholder: 'regexp', spellcheck: 'false', 'aria-label': 'Creator' });
  private labelIn = h('input', { type: 'text', name: 'label', placeholder: 'key=value', spellcheck: 'false', 'aria-label': 'Label' });
  private creatorCheck = attachRegexCheck(this.creatorIn);
  private baseSel = h('select', { name: 'base', 'aria-label': 'Compare with' }, h('option', { value: '' }, '(none)'));
  private summary = h('p.goroutines-summary', { role: 'status' });
  private panic = h('pre.goroutines-panic', { hidden: true });
  private states = h('div.goroutines-states');
  private table = h('table.goroutines-groups');
  private compare = h('div.goroutines-compare');
  private loadedFor: string | null = null;
  private disposed = false;

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    const field = (label: string, input: HTMLElement) => h('label.filter', null, h('span', null, label), input);
    this.form.append(
      field('State', this.stateSel),
      field('Waiting ≥ (min)', this.waitIn),
      h('label.filter', null, h('span', null, 'Created by'), this.creatorIn, this.creatorCheck.el),
      field('Label', this.labelIn),
      field('Compare with', this.baseSel),
      h('button.btn.primary', { type: 'submit' }, 'Apply'),
    );
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.creatorCheck.check()) return this.creatorIn.focus();
      this.apply({
        [KEYS.state]: this.stateSel.value,
        [KEYS.wait]: this.waitIn.value.trim(),
        [KEYS.creator]: this.creatorIn.value.trim(),
        [KEYS.label]: this.labelIn.value.trim(),
        [KEYS.base]: this.baseSel.value,
      });
    });
    this.stateSel.addEventListener('change', () => this.form.requestSubmit());
    this.baseSel.addEventListener('change', () => this.form.requestSubmit());
    this.root.append(this.form, this.summary, this.panic, this.states, this.compare, this.table);
    el.append(this.root);
    void this.fillBases();
    this.onState(ctx.state());
  }

  private apply(extra: Record<string, string>): void {
    this.ctx.setState({ extra });
  }

  onState(s: ProfileState): void {
    const q = this.query(s);
    const key = q.toString();
    if (key === this.loadedFor) return;
    this.loadedFor = key;
    if (document.activeElement !== this.waitIn) this.waitIn.value = s.extra[KEYS.wait] ?? '';
    if (document.activeElement !== this.creatorIn) this.creatorIn.value = s.extra[KEYS.creator] ?? '';
    if (document.activeElement !== this.labelIn) this.labelIn.value = s.extra[KEYS.label] ?? '';
    this.baseSel.value = s.extra[KEYS.base] ?? '';
    void this.load(key);
  }

  dispose(): void {
    this.disposed = true;
    this.root.remove();
  }

  private query(s: ProfileState): URLSearchParams {
    const q = new URLSearchParams();
    const put = (param: string, key: string) => {
      const v = s.extra[key];
      if (v) q.set(param, v);
    };
    put('state', KEYS.state);
    put('minWait', KEYS.wait);
    put('creator', KEYS.creator);
    put('label', KEYS.label);
    put('base', KEYS.base);
    return q;
  }

  private async fillBases(): Promise<void> {
    try {
      const list = await api.list(1, 200);
      for (const p of list.profiles) {
        if (p.id === this.ctx.profileId) continue;
        this.baseSel.append(h('option', { value: p.id }, p.name || p.id));
      }
      this.baseSel.value = this.ctx.state().extra[KEYS.base] ?? '';
    } catch {
      // the comparison list is optional
    }
  }

  private async load(key: string): Promise<void> {
    this.summary.textContent = 'Grouping goroutines…';
    try {
      const v = await getJson<GoroutinesView>(`/api/profiles/${encodeURIComponent(this.ctx.profileId)}/goroutines${key ? `?${key}` : ''}`);
      if (this.disposed || key !== this.loadedFor) return;
      this.render(v);
    } catch (e) {
      if (this.disposed) return;
      clear(this.table);
      this.summary.textContent = `Goroutines unavailable: ${(e as Error).message}`;
    }
  }

  private render(v: GoroutinesView): void {
    const s = this.ctx.state();
    this.summary.textContent =
      `${v.matched} of ${v.total} goroutines in ${v.groups.length} group${v.groups.length === 1 ? '' : 's'}` +
      (v.fromDump ? '' : ' · a goroutine profile records no state, wait time or creator: upload a debug=2 dump for those');
    this.panic.hidden = !v.panic;
    this.panic.textContent = v.panic ?? '';
    // state chips (and the select's options)
    clear(this.states);
    clear(this.stateSel);
    this.stateSel.append(h('option', { value: '' }, 'any'));
    const states = Object.entries(v.states).sort((a, b) => b[1] - a[1]);
    for (const [st, n] of states) {
      this.stateSel.append(h('option', { value: st }, `${st || '(unknown)'} (${n})`));
      const chip = h(
        'button.chip',
        { type: 'button', 'data-state': st, 'aria-pressed': String(s.extra[KEYS.state] === st) },
        `${st || '(unknown)'} ${n}`,
      );
      chip.addEventListener('click', () => this.apply({ [KEYS.state]: s.extra[KEYS.state] === st ? '' : st }));
      this.states.append(chip);
    }
    this.stateSel.value = s.extra[KEYS.state] ?? '';
    this.renderCompare(v.compare);
    clear(this.table);
    this.table.append(
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th.num', null, 'count'),
          h('th', null, 'state'),
          h('th', null, 'waiting'),
          h('th', null, 'where'),
          h('th', null, 'created by'),
          h('th', null, 'labels'),
        ),
      ),
    );
    const body = h('tbody');
    const max = Math.max(1, ...v.groups.map((g) => g.count));
    v.groups.forEach((g, i) => {
      const leaf = g.frames[0];
      // each label value filters the groups to the goroutines carrying it
      const labels = h('td.goroutine-labels');
      for (const [k, vs] of Object.entries(g.labels)) {
        for (const [val, n] of Object.entries(vs)) {
          const b = h(
            'button.chip',
            { type: 'button', 'data-label': `${k}=${val}`, title: `${n} goroutine${n === 1 ? '' : 's'}; click to keep only these` },
            `${k}=${val}`,
          );
          b.addEventListener('click', () => this.apply({ [KEYS.label]: `${k}=${val}` }));
          labels.append(b);
        }
      }
      const toggle = h(
        'button.linkish',
        { type: 'button', 'aria-expanded': 'false', title: 'Show the whole stack' },
        leaf ? leaf.func : '?',
      );
      const flame = h('button.btn.small', { type: 'button', title: 'Find this stack in the flame graph' }, 'flame');
      flame.addEventListener('click', () => this.ctx.setState({ view: 'flame', search: leaf ? exactName(leaf.func) : '' }));
      const row = h(
        'tr.goroutine-group',
        { 'data-state': g.state, 'data-count': g.count },
        h('td.num', null, h('span.gbar', { style: `width:${((100 * g.count) / max).toFixed(1)}%` }), h('span', null, String(g.count))),
        h('td', null, g.state || '?', g.lockedToThread ? h('span.muted', null, ' · locked') : null),
        h('td', { title: g.wait.counts.map(([m, n]) => `${n} × ${m} min`).join(', ') }, waitText(g)),
        h('td', null, toggle, ' ', flame),
        h('td', null, g.createdBy ? g.createdBy.func : '—'),
        labels,
      );
      const stack = h('tr.goroutine-stack', { hidden: true }, h('td', { colspan: 6 }, this.stack(g)));
      toggle.addEventListener('click', () => {
        stack.hidden = !stack.hidden;
        toggle.setAttribute('aria-expanded', String(!stack.hidden));
      });
      if (i === 0 && v.groups.length === 1) stack.hidden = false;
      body.append(row, stack);
    });
    this.table.append(body);
  }

  private stack(g: GoroutineGroup): HTMLElement {
    const ol = h('ol.goroutine-frames');
    for (const f of g.frames) ol.append(h('li', null, h('code', null, f.func), h('span.muted', null, ` ${f.file}:${f.line}`)));
    if (g.createdBy)
      ol.append(
        h(
          'li.created-by',
          null,
          'created by ',
          h('code', null, g.createdBy.func),
          h('span.muted', null, ` ${g.createdBy.file}:${g.createdBy.line}`),
        ),
      );
    const ids = g.ids.length ? h('p.muted', null, `goroutines ${g.ids.join(', ')}${g.count > g.ids.length ? ', …' : ''}`) : null;
    return h('div', null, ol, ids);
  }

  private renderCompare(c: GroupDelta[] | undefined): void {
    clear(this.compare);
    if (!c) return;
    const grown = c.filter((d) => d.delta !== 0);
    this.compare.append(h('h3', null, grown.length ? 'Changed groups (this dump against the base)' : 'No group changed against the base'));
    if (!grown.length) return;
    const t = h('table.goroutines-delta');
    t.append(
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th.num', null, 'change'),
          h('th.num', null, 'base'),
          h('th.num', null, 'this'),
          h('th', null, 'state'),
          h('th', null, 'where'),
        ),
      ),
    );
    const body = h('tbody');
    for (const d of grown.slice(0, 50)) {
      body.append(
        h(
          'tr',
          { 'data-delta': d.delta },
          h('td.num', { class: d.delta > 0 ? 'num grew' : 'num shrank' }, `${d.delta > 0 ? '+' : ''}${d.delta}`),
          h('td.num', null, String(d.before)),
          h('td.num', null, String(d.after)),
          h('td', null, d.state),
          h('td', null, d.frames[0]?.func ?? '?'),
        ),
      );
    }
    t.append(body);
    this.compare.append(t);
  }
}
