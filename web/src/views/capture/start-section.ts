// Start-page section "Capture from a running Go service": list what the target's
// /debug/pprof/ offers, capture CPU for N seconds (countdown, progress, cancel) or a
// snapshot, or start a watch (opens the watch page).
import { clear, h } from '../../dom.js';
import type { StartPageContext } from '../../registry.js';
import { captureApi, follow, type CaptureStatus, type StartBody, type TargetListing } from './client.js';

const LAST_URL_KEY = 'pprof-lens.capture.url';

function numberInput(cls: string, value: number, min: number, max: number, label: string): HTMLInputElement {
  return h(`input.${cls}`, { type: 'number', min, max, step: 1, value, 'aria-label': label, size: 4 });
}

export class CaptureSection {
  private readonly url: HTMLInputElement;
  private readonly list: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly status: HTMLElement;
  private stopFollow: (() => void) | null = null;
  private running: string | null = null;

  constructor(
    el: HTMLElement,
    private readonly nav: StartPageContext,
  ) {
    let saved = '';
    try {
      saved = localStorage.getItem(LAST_URL_KEY) ?? '';
    } catch {
      saved = '';
    }
    this.url = h('input.capture-url', {
      type: 'text',
      name: 'capture-url',
      placeholder: 'http://127.0.0.1:6060',
      value: saved,
      'aria-label': 'Address of a Go service serving /debug/pprof',
      spellcheck: 'false',
      autocomplete: 'url',
    });
    const listBtn = h('button.btn.primary.capture-list-btn', { type: 'submit' }, 'Show profiles');
    const form = h('form.capture-form', null, this.url, listBtn);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.loadTargets();
    });
    this.status = h('div.capture-status', { role: 'status', 'aria-live': 'polite' });
    this.progress = h('div.capture-progress');
    this.list = h('div.capture-targets');
    el.append(
      h(
        'section.capture-section',
        { 'aria-labelledby': 'capture-title' },
        h('h2#capture-title', null, 'Capture from a running Go service'),
        h(
          'p.capture-help',
          null,
          'Give the address of a program that imports net/http/pprof (a base URL like http://127.0.0.1:6060, or a full /debug/pprof/... URL). pprof-lens fetches the profile on the server and opens it here.',
        ),
        form,
        this.status,
        this.progress,
        this.list,
      ),
    );
  }

  destroy(): void {
    this.stopFollow?.();
  }

  private setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('capture-error', error);
  }

  private async loadTargets(): Promise<void> {
    const url = this.url.value.trim();
    if (!url) return this.setStatus('Enter the address of the service first.', true);
    try {
      localStorage.setItem(LAST_URL_KEY, url);
    } catch {
      // private mode: fine
    }
    this.setStatus('Reading the /debug/pprof/ index...');
    clear(this.list);
    try {
      const listing = await captureApi.targets(url);
      this.setStatus(`${listing.target} offers ${listing.profiles.filter((p) => p.kind !== 'unsupported').length} profiles.`);
      this.renderTargets(listing);
    } catch (e) {
      this.setStatus((e as Error).message, true);
    }
  }

  private renderTargets(listing: TargetListing): void {
    const base = listing.index;
    const rows = listing.profiles.map((p) => {
      const actions = h('td.capture-actions');
      if (p.kind === 'cpu') {
        const secs = numberInput('capture-seconds', 30, 1, 600, 'CPU profile seconds');
        const go = h('button.btn.capture-cpu', { type: 'button' }, 'Capture CPU');
        go.addEventListener('click', () => void this.start({ url: base, profile: 'profile', seconds: Number(secs.value) }, 'CPU profile'));
        actions.append(go, ' for ', secs, ' s');
      } else if (p.kind === 'snapshot') {
        const gc = h('input.capture-gc', { type: 'checkbox', 'aria-label': 'run GC first' });
        const snap = h('button.btn.capture-snapshot', { type: 'button', 'data-profile': p.name }, 'Snapshot');
        snap.addEventListener(
          'click',
          () =>
            void this.start({ url: base, profile: p.name, gc: p.name === 'heap' && gc.checked ? true : undefined }, `${p.name} snapshot`),
        );
        const interval = numberInput('capture-interval', 10, 1, 3600, 'seconds between snapshots');
        const count = numberInput('capture-count', 6, 2, 120, 'number of snapshots');
        const watch = h('button.btn.capture-watch', { type: 'button', 'data-profile': p.name }, 'Watch');
        watch.addEventListener(
          'click',
          () =>
            void this.startWatch({
              url: base,
              profile: p.name,
              gc: p.name === 'heap' && gc.checked ? true : undefined,
              watch: { intervalSeconds: Number(interval.value), count: Number(count.value) },
            }),
        );
        actions.append(snap);
        if (p.name === 'heap') actions.append(' ', h('label.capture-gc-label', null, gc, ' GC first'));
        actions.append(h('span.capture-watch-ctl', null, ' or ', watch, ' every ', interval, ' s, ', count, ' times'));
      } else {
        actions.append(h('span.capture-note', null, p.note ?? 'not a profile'));
      }
      return h(
        'tr',
        { 'data-profile': p.name },
        h('td.capture-name', null, p.name),
        h('td.capture-count-col', null, p.count === null ? '' : String(p.count)),
        h('td.capture-desc', null, p.description),
        actions,
      );
    });
    this.list.append(
      h(
        'table.capture-table',
        null,
        h(
          'thead',
          null,
          h('tr', null, h('th', null, 'Profile'), h('th', null, 'Count'), h('th', null, 'What it shows'), h('th', null, 'Capture')),
        ),
        h('tbody', null, ...rows),
      ),
    );
  }

  private async startWatch(body: StartBody): Promise<void> {
    try {
      const s = await captureApi.start(body);
      this.nav.navigate(`/watch/${s.cid}`);
    } catch (e) {
      this.setStatus((e as Error).message, true);
    }
  }

  private async start(body: StartBody, what: string): Promise<void> {
    if (this.running) return this.setStatus('A capture is already running here; wait for it or cancel it.', true);
    let first: CaptureStatus;
    try {
      first = await captureApi.start(body);
    } catch (e) {
      return this.setStatus((e as Error).message, true);
    }
    this.running = first.cid;
    clear(this.progress);
    const bar = h('progress.capture-bar', { max: 1, value: 0, 'aria-label': `${what} progress` });
    const left = h('span.capture-left');
    const cancel = h('button.btn.capture-cancel', { type: 'button' }, 'Cancel');
    cancel.addEventListener('click', () => {
      cancel.disabled = true;
      captureApi.cancel(first.cid).catch((e: Error) => this.setStatus(e.message, true));
    });
    this.progress.append(
      h(
        'div.capture-running',
        null,
        h('span.capture-what', null, `Capturing ${what} from ${first.target}`),
        ' ',
        bar,
        ' ',
        left,
        ' ',
        cancel,
      ),
    );
    this.setStatus('');
    const done = (): void => {
      this.running = null;
      this.stopFollow = null;
    };
    this.stopFollow = follow(
      first.cid,
      (s) => {
        if (s.seconds) {
          bar.value = s.progress;
          const secs = Math.max(0, Math.ceil(s.seconds - s.elapsedMs / 1000));
          left.textContent = s.state === 'running' ? (secs > 0 ? `${secs} s left` : 'receiving...') : '';
        } else {
          bar.removeAttribute('value'); // indeterminate for snapshots
          left.textContent = s.state === 'running' ? 'fetching...' : '';
        }
        if (s.state === 'running') return;
        done();
        clear(this.progress);
        if (s.state === 'done' && s.result) {
          const link = new URL(s.result.url, location.href).href;
          this.progress.append(
            h('div.capture-done', null, 'Captured. Share link: ', h('a.capture-link', { href: s.result.url, 'data-nav': '' }, link)),
          );
          this.nav.openProfile(s.result.id);
        } else if (s.state === 'cancelled') {
          this.setStatus('Capture cancelled.');
        } else {
          this.setStatus(s.error ?? 'capture failed', true);
        }
      },
      (e) => {
        done();
        this.setStatus(e.message, true);
      },
    );
  }
}
