// The allocation-size side panel of heap and allocs profiles: the `bytes` label (the
// size class an object was rounded up to) as bytes and objects per size, and which
// functions allocate the large objects (above 32 KiB, pages of their own). Numbers are
// pprof -tags and -top with -tagfocus=bytes=32769B: for the matching sample types.
import type { TagKey, TagsReport, TopReport } from '../../../../contract/views.js';
import { getJson } from '../../api.js';
import { clear, h } from '../../dom.js';
import { fmtIn, fmtPct } from '../../fmt.js';
import type { ProfileInfo, ProfilePageContext, ProfileState } from '../../registry.js';
import { apiParams } from '../../state.js';
import { tagExpr } from './filters.js';

/** Go's largest small size class: bigger objects get whole pages. */
const LARGE = 32 * 1024;

/** The (space, objects) sample types to read: alloc_* when the alloc side is selected. */
export function sizeTypes(meta: ProfileInfo, si: string): { space: string; objects: string } | null {
  const names = meta.sampleTypes.map((t) => t.type);
  const current = si || meta.defaultSampleType || names[names.length - 1] || '';
  const prefix = current.startsWith('alloc') ? 'alloc' : 'inuse';
  for (const p of [prefix, prefix === 'alloc' ? 'inuse' : 'alloc']) {
    if (names.includes(`${p}_space`) && names.includes(`${p}_objects`)) return { space: `${p}_space`, objects: `${p}_objects` };
  }
  if (names.includes('space') && names.includes('objects')) return { space: 'space', objects: 'objects' };
  return null;
}

export class SizePanel {
  private root = h('div.size-panel');
  private status = h('p.labels-status', { role: 'status' });
  private table = h('table.size-table');
  private large = h('div.size-large');
  private loadedFor: string | null = null;
  private disposed = false;

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    this.root.append(
      h(
        'p.labels-help',
        null,
        'Every allocation is rounded up to a size class; above 32 KiB it is a large object with pages of its own. ',
        h('a', { href: '/concepts/size-classes' }, 'Size classes and the GC'),
      ),
      this.status,
      h('div.table-scroll', null, this.table),
      this.large,
    );
    el.append(this.root);
    this.onState(ctx.state());
  }

  onState(s: ProfileState): void {
    const key = apiParams(s).toString();
    if (key === this.loadedFor) return;
    this.loadedFor = key;
    void this.load(s, key);
  }

  dispose(): void {
    this.disposed = true;
    this.root.remove();
  }

  private async load(s: ProfileState, key: string): Promise<void> {
    const types = sizeTypes(this.ctx.meta, s.si);
    if (!types) {
      this.status.textContent = 'This profile has no space/objects sample types.';
      return;
    }
    this.status.textContent = 'Reading allocation sizes…';
    const id = encodeURIComponent(this.ctx.profileId);
    const q = (si: string, extra: Record<string, string> = {}) => {
      const p = apiParams(s);
      p.set('si', si);
      for (const [k, v] of Object.entries(extra)) p.set(k, v);
      return p;
    };
    try {
      const [space, objects, top] = await Promise.all([
        getJson<TagsReport>(`/api/profiles/${id}/tags?${q(types.space, { tagShow: '^bytes$' })}`),
        getJson<TagsReport>(`/api/profiles/${id}/tags?${q(types.objects, { tagShow: '^bytes$' })}`),
        // large objects: pprof's numeric range filter on the bytes label
        getJson<TopReport>(`/api/profiles/${id}/top?${q(types.space, { tagFocus: `bytes=${LARGE + 1}B:`, n: '8' })}`).catch(() => null),
      ]);
      if (this.disposed || key !== this.loadedFor) return;
      this.render(types, space, objects, top);
    } catch (e) {
      if (this.disposed) return;
      this.status.textContent = `Allocation sizes unavailable: ${(e as Error).message}`;
    }
  }

  private render(types: { space: string; objects: string }, space: TagsReport, objects: TagsReport, top: TopReport | null): void {
    clear(this.table);
    clear(this.large);
    const sk = space.keys.find((k) => k.key === 'bytes');
    const ok = objects.keys.find((k) => k.key === 'bytes');
    if (!sk) {
      this.status.textContent = 'No allocation sizes (bytes label) on the samples shown.';
      return;
    }
    const objBy = new Map((ok?.values ?? []).map((v) => [v.value, v.weight]));
    const rows = sk.values.filter((v) => v.num !== null).sort((a, b) => a.num! - b.num!);
    const maxW = Math.max(1, ...rows.map((v) => Math.abs(v.weight)));
    const spaceUnit = space.sampleType.unit;
    let largeBytes = 0;
    this.table.append(
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', null, 'size'),
          h('th.num', null, types.objects),
          h('th.num', null, types.space),
          h('th', null, 'share of bytes'),
        ),
      ),
    );
    const body = h('tbody');
    for (const v of rows) {
      const big = v.num! > LARGE;
      if (big) largeBytes += v.weight;
      const bar = h('span.size-bar', { style: `width:${((100 * Math.abs(v.weight)) / maxW).toFixed(1)}%` });
      const tr = h(
        'tr.size-row',
        { 'data-size': v.value, 'data-large': String(big), title: 'Click: tag focus on this size, shift-click: tag ignore' },
        h('td', null, v.value, big ? h('span.size-tag', null, 'large') : null),
        h('td.num', null, String(objBy.get(v.value) ?? 0)),
        h('td.num', null, fmtIn(v.weight, spaceUnit, 'auto')),
        h('td.size-share', null, bar, h('span', null, fmtPct(v.weight, sk.total))),
      );
      tr.addEventListener('click', (e) => {
        const expr = tagExpr(sk as TagKey, v);
        if (e.shiftKey) this.ctx.setState({ tagIgnore: expr, zoom: [] });
        else this.ctx.setState({ tagFocus: expr, zoom: [] });
      });
      body.append(tr);
    }
    this.table.append(body);
    this.status.textContent = `${rows.length} sizes · ${fmtIn(sk.total, spaceUnit, 'auto')} in ${types.space} · large objects ${fmtPct(largeBytes, sk.total)}`;
    if (!top || top.rows.length === 0 || largeBytes === 0) {
      this.large.append(h('p.muted', null, 'No objects above 32 KiB.'));
      return;
    }
    const list = h('ol.size-large-list');
    for (const r of top.rows.filter((x) => x.flat !== 0)) {
      const b = h('button.linkish', { type: 'button', title: 'Show the source' }, r.name);
      b.addEventListener('click', () => this.ctx.openSource(r.function || r.name));
      list.append(h('li', null, b, h('span.muted', null, ` ${fmtIn(r.flat, spaceUnit, 'auto')}`)));
    }
    this.large.append(h('h3', null, 'Who allocates the large objects (> 32 KiB)'), list);
  }
}
