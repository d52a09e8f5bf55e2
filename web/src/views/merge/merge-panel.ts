// The Merge panel: sum this profile with other stored (or uploaded) profiles of the same
// type, as `go tool pprof A B C` does (POST /api/profiles/merge), and, on a merged
// profile, how much each input contributes to the zoomed flame graph frame
// (GET /api/profiles/:id/merge/inputs). Merged CPU profiles are what Go's PGO reads.
import { api, ApiError, getJson, uploadProfile, type StoredProfile } from '../../api.js';
import { clear, h } from '../../dom.js';
import type { ProfilePageContext, ProfileState } from '../../registry.js';
import type { MergeInputsReport, MergeResult } from '../../../../contract/merge.js';

export class MergePanel {
  private root = h('div.merge-panel');
  private inputsEl = h('div.merge-inputs');
  private pickList = h('ul.merge-pick');
  private mergeBtn = h('button.btn.merge-go', { type: 'button', disabled: true }, 'Merge and open');
  private uploadInput = h('input', { type: 'file', multiple: true, hidden: true, 'aria-label': 'Upload profiles to merge' });
  private uploadBtn = h('button.btn', { type: 'button' }, 'Upload profiles…');
  private status = h('p.merge-status', { role: 'status' });
  private selected = new Set<string>();
  private sharesKey: string | null = null;
  private isMerge: boolean | null = null;

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    const kind = ctx.meta.kind;
    this.root.append(
      this.inputsEl,
      h('h3', null, 'Merge with other profiles'),
      h(
        'p.merge-what',
        null,
        `The sum of several ${kind} profiles, as go tool pprof reads several files at once (sample types and units reconciled as pprof does). `,
        'Merging CPU profiles of representative runs is how Go users build default.pgo for profile-guided optimisation: ',
        'merge, download the result as default.pgo into the main package, and build with go build -pgo=auto.',
      ),
      h('p.muted', null, `Stored ${kind} profiles:`),
      this.pickList,
      h('div.merge-actions', null, this.mergeBtn, this.uploadBtn, this.uploadInput),
      this.status,
    );
    el.append(this.root);
    this.mergeBtn.addEventListener('click', () => void this.merge([this.ctx.profileId, ...this.selected]));
    this.uploadBtn.addEventListener('click', () => this.uploadInput.click());
    this.uploadInput.addEventListener('change', () => void this.uploadAndMerge());
    void this.fillPicker();
    void this.loadShares(ctx.state());
  }

  onState(s: ProfileState, prev: ProfileState): void {
    if (
      s.zoom.join('\u0000') !== prev.zoom.join('\u0000') ||
      s.si !== prev.si ||
      s.focus !== prev.focus ||
      s.ignore !== prev.ignore ||
      s.hide !== prev.hide ||
      s.show !== prev.show
    ) {
      void this.loadShares(s);
    }
  }

  private async fillPicker(): Promise<void> {
    let list: StoredProfile[] = [];
    try {
      list = (await api.list(1, 1000)).profiles;
    } catch (err) {
      this.status.textContent = `Could not list stored profiles: ${(err as Error).message}`;
      return;
    }
    clear(this.pickList);
    const same = list.filter((p) => p.id !== this.ctx.profileId && p.type === this.ctx.meta.kind);
    if (same.length === 0) this.pickList.append(h('li.muted', null, 'No other stored profile of this type: upload some.'));
    for (const p of same) {
      const box = h('input', { type: 'checkbox', value: p.id });
      box.addEventListener('change', () => {
        if (box.checked) this.selected.add(p.id);
        else this.selected.delete(p.id);
        this.mergeBtn.disabled = this.selected.size === 0;
        this.mergeBtn.textContent = this.selected.size ? `Merge ${this.selected.size + 1} profiles and open` : 'Merge and open';
      });
      this.pickList.append(
        h('li', null, h('label', null, box, ` ${p.name} `, h('span.muted', null, p.storedAt.replace('T', ' ').slice(0, 19)))),
      );
    }
  }

  private async uploadAndMerge(): Promise<void> {
    const files = [...(this.uploadInput.files ?? [])];
    if (files.length === 0) return;
    const ids: string[] = [];
    try {
      for (const [i, f] of files.entries()) {
        this.status.textContent = `Uploading ${f.name} (${i + 1} of ${files.length})…`;
        ids.push((await uploadProfile(f, () => {})).id);
      }
    } catch (err) {
      this.status.textContent = `Upload failed: ${(err as Error).message}`;
      return;
    }
    await this.merge([this.ctx.profileId, ...this.selected, ...ids]);
  }

  private async merge(ids: string[]): Promise<void> {
    this.status.textContent = `Merging ${ids.length} profiles…`;
    this.mergeBtn.disabled = true;
    try {
      const res = await getJson<MergeResult>('/api/profiles/merge', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [...new Set(ids)] }),
      });
      location.assign(`${res.url}?panel=merge`);
    } catch (err) {
      this.status.textContent = (err as Error).message.replace(/^c/, 'C');
      this.mergeBtn.disabled = this.selected.size === 0;
    }
  }

  private async loadShares(s: ProfileState): Promise<void> {
    if (this.isMerge === false) return;
    const q = this.ctx.apiParams();
    if (s.zoom.length) q.set('path', JSON.stringify(s.zoom));
    const key = q.toString();
    if (key === this.sharesKey) return;
    this.sharesKey = key;
    let body: MergeInputsReport;
    try {
      body = await getJson<MergeInputsReport>(`/api/profiles/${encodeURIComponent(this.ctx.profileId)}/merge/inputs?${q}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        this.isMerge = false;
        clear(this.inputsEl);
        return;
      }
      this.inputsEl.textContent = `Could not load the inputs: ${(err as Error).message}`;
      return;
    }
    if (key !== this.sharesKey) return;
    this.isMerge = true;
    this.renderShares(body);
  }

  private renderShares(b: MergeInputsReport): void {
    clear(this.inputsEl);
    const sum = b.inputs.reduce((a, i) => a + i.value, 0);
    const what = b.path.length ? b.path[b.path.length - 1]! : 'the whole profile';
    const rows = h('tbody');
    for (const i of b.inputs) {
      const share = sum !== 0 ? i.value / sum : 0;
      const bar = h('span.merge-bar');
      bar.style.width = `${Math.round(Math.max(0, share) * 100)}%`;
      rows.append(
        h(
          'tr.merge-input',
          { 'data-id': i.id },
          h('td.name', null, h('a', { href: `/p/${encodeURIComponent(i.id)}` }, i.name)),
          h('td.num', null, this.ctx.formatValue(i.value)),
          h('td.num.merge-share', null, this.ctx.formatPercent(i.value, sum)),
          h('td.merge-bar-cell', null, bar),
        ),
      );
    }
    this.inputsEl.append(
      h('h3', null, `Merged from ${b.inputs.length} profiles`),
      h(
        'p.muted',
        null,
        'Share of ',
        h('strong.merge-frame', null, what),
        ' per input',
        b.path.length ? ' (zoom the flame graph to choose a frame)' : ' (zoom into a frame in the flame graph to see its shares)',
        ':',
      ),
      h(
        'table.merge-table',
        null,
        h('thead', null, h('tr', null, h('th', null, 'input'), h('th', null, 'value'), h('th', null, 'share'), h('th'))),
        rows,
      ),
      h(
        'p',
        null,
        h(
          'a.btn',
          { href: `/api/profiles/${encodeURIComponent(this.ctx.profileId)}/raw`, download: 'default.pgo' },
          'Download as default.pgo',
        ),
      ),
    );
  }
}
