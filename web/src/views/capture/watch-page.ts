// The watch page (/watch/<cid>): a snapshot profile captured every N seconds, M times.
// Shows progress, small charts of the totals (inuse_space / inuse_objects for heap),
// the snapshots with links, and a picker that opens any two in the compare view.
import { clear, h } from '../../dom.js';
import { fmtAuto } from '../../fmt.js';
import type { StartPageContext } from '../../registry.js';
import { captureApi, compareLink, follow, type CaptureStatus } from './client.js';
import { watchChart } from './watch-chart.js';

/** Which totals to chart: heap's in-use pair when present, else the first two types. */
export function chartTypes(types: string[]): string[] {
  const inuse = ['inuse_space', 'inuse_objects'].filter((t) => types.includes(t));
  return inuse.length > 0 ? inuse : types.slice(0, 2);
}

export class WatchPage {
  private readonly head: HTMLElement;
  private readonly charts: HTMLElement;
  private readonly table: HTMLElement;
  private readonly compare: HTMLElement;
  private readonly stop: () => void;
  private shown = -1;

  constructor(el: HTMLElement, cid: string, nav: StartPageContext) {
    this.head = h('div.watch-head', { role: 'status', 'aria-live': 'polite' });
    this.charts = h('div.watch-charts');
    this.compare = h('div.watch-compare');
    this.table = h('div.watch-snapshots');
    const back = h('a.watch-back', { href: '/' }, '← start page');
    back.addEventListener('click', (e) => {
      e.preventDefault();
      nav.navigate('/');
    });
    el.append(
      h('section.watch-page', null, back, h('h1', null, 'Watching a live profile'), this.head, this.charts, this.compare, this.table),
    );
    this.stop = follow(
      cid,
      (s) => this.render(s),
      (e) => {
        clear(this.head);
        this.head.append(h('p.capture-error', null, e.message));
      },
      1000,
    );
  }

  destroy(): void {
    this.stop();
  }

  private render(s: CaptureStatus): void {
    const w = s.watch;
    clear(this.head);
    if (!w) {
      this.head.append(h('p.capture-error', null, 'This capture is not a watch.'));
      return;
    }
    const done = w.snapshots.length;
    const stateText =
      s.state === 'running'
        ? `snapshot ${Math.min(done + 1, w.count)} of ${w.count}${w.nextAt ? `, next in ${Math.max(0, Math.ceil((Date.parse(w.nextAt) - Date.now()) / 1000))} s` : '...'}`
        : s.state === 'done'
          ? `finished: ${done} snapshots`
          : `${s.state}${s.error ? `: ${s.error}` : ''} (${done} snapshots)`;
    this.head.append(
      h('p.watch-what', null, `${s.profile} of ${s.target} every ${w.intervalSeconds} s, ${w.count} times`),
      h('p.watch-state', { 'data-state': s.state }, stateText),
      h('progress.capture-bar', { max: 1, value: s.progress, 'aria-label': 'watch progress' }),
    );
    if (s.state === 'running') {
      const cancel = h('button.btn.capture-cancel', { type: 'button' }, 'Stop watching');
      cancel.addEventListener('click', () => {
        cancel.disabled = true;
        void captureApi.cancel(s.cid).then((x) => this.render(x));
      });
      this.head.append(' ', cancel);
    }
    for (const f of w.failures) this.head.append(h('p.capture-error', null, `snapshot ${f.index + 1}: ${f.error}`));
    if (done === this.shown) return; // charts and tables only change with new snapshots
    this.shown = done;

    clear(this.charts);
    const types = w.snapshots[0]?.totals.map((t) => t.type) ?? [];
    const t0 = Date.parse(s.startedAt);
    for (const t of chartTypes(types)) this.charts.append(watchChart(t, w.snapshots, t0));

    clear(this.table);
    const shownTypes = chartTypes(types);
    this.table.append(
      h(
        'table.watch-table',
        null,
        h(
          'thead',
          null,
          h('tr', null, h('th', null, '#'), h('th', null, 'Taken'), ...shownTypes.map((t) => h('th', null, t)), h('th', null, 'Profile')),
        ),
        h(
          'tbody',
          null,
          ...w.snapshots.map((snap) =>
            h(
              'tr',
              { 'data-index': snap.index },
              h('td', null, String(snap.index + 1)),
              h('td', null, new Date(snap.takenAt).toLocaleTimeString()),
              ...shownTypes.map((t) => {
                const v = snap.totals.find((x) => x.type === t);
                return h('td.num', null, v ? fmtAuto(v.value, v.unit) : '');
              }),
              h('td', null, h('a.watch-open', { href: snap.url, 'data-nav': '' }, 'open')),
            ),
          ),
        ),
      ),
    );

    clear(this.compare);
    if (done >= 2) {
      const opt = (sel: number) =>
        w.snapshots.map((snap, i) =>
          h('option', { value: snap.id, selected: i === sel }, `#${snap.index + 1} ${new Date(snap.takenAt).toLocaleTimeString()}`),
        );
      const base = h('select.watch-base', { 'aria-label': 'base snapshot' }, ...opt(0));
      const newer = h('select.watch-new', { 'aria-label': 'newer snapshot' }, ...opt(done - 1));
      const link = h('a.watch-compare-link', { href: '#', 'data-nav': '' }, 'Compare');
      const update = (): void => {
        link.setAttribute('href', compareLink(newer.value, base.value));
      };
      base.addEventListener('change', update);
      newer.addEventListener('change', update);
      update();
      this.compare.append(h('p', null, 'Compare ', newer, ' against ', base, ' ', link));
    }
  }
}
