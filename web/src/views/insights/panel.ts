// The Insights side panel on /p/:id: findings from GET /api/profiles/:id/insights.
// Clicking a finding highlights its frames in the flame graph and opens the concept
// card below it; the selected finding is kept in the URL (`ins`) so links reproduce it.
import { compileGoRegexp, type GoRegexp } from '../../../../contract/go-regexp.js';
import type { Concept, Finding, InsightsReport } from '../../../../contract/insights.js';
import { getJson } from '../../api.js';
import { clear, h } from '../../dom.js';
import type { ProfilePageContext, ProfileState } from '../../registry.js';
import { conceptHref, inline, renderConcept } from '../concepts/render.js';

/** The route's body: the report, its profile id and, with ?base=, the base profile's id. */
type Report = InsightsReport & { id: string; base?: string };

/**
 * Stable key of a finding within one report: rule + first function, plus the line when
 * the report holds several findings of that rule and function (one per line).
 */
export function findingKey(f: Finding, all: readonly Finding[] = []): string {
  const fn = f.functions[0];
  const key = `${f.rule}:${fn?.name ?? ''}`;
  const twins = all.filter((x) => x.rule === f.rule && x.functions[0]?.name === fn?.name).length;
  return twins > 1 && fn?.line ? `${key}:${fn.line}` : key;
}

/** The base profile the page compares with: the Goroutines tab's, else the Compare tab's. */
function baseOf(s: ProfileState): string {
  return s.extra.gbase || s.extra.base || '';
}

function pct(share: number): string {
  const v = share * 100;
  return `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}%`;
}

export class InsightsPanel {
  private root = h('div.insights-panel');
  private list = h('ol.insights-list');
  private status = h('p.insights-status', { role: 'status' });
  private conceptBox = h('div.insights-concept', { 'aria-live': 'polite' });
  private report: Report | null = null;
  private loadedFor = '';
  private conceptCache = new Map<string, Promise<Concept>>();
  private disposed = false;

  constructor(
    el: HTMLElement,
    private ctx: ProfilePageContext,
  ) {
    // The panel's frame already says "Insights" (index.ts registers the title).
    this.root.append(this.status, this.list, this.conceptBox);
    el.append(this.root);
    void this.load();
  }

  onState(state: ProfileState, prev: ProfileState): void {
    if (state.si !== prev.si || baseOf(state) !== baseOf(prev)) void this.load();
    else if ((state.extra.ins ?? '') !== (prev.extra.ins ?? '')) this.applySelection();
  }

  dispose(): void {
    this.disposed = true;
    this.ctx.highlight(null);
    this.root.remove();
  }

  private async load(): Promise<void> {
    const si = this.ctx.state().si;
    const base = baseOf(this.ctx.state());
    const key = `${si}\u0000${base}`;
    if (this.report && this.loadedFor === key) return;
    this.status.textContent = 'Analysing the profile…';
    clear(this.list);
    try {
      const url = (withBase: boolean): string => {
        const q = new URLSearchParams();
        if (si) q.set('si', si);
        if (withBase) q.set('base', base);
        return `/api/profiles/${encodeURIComponent(this.ctx.profileId)}/insights${q.size ? `?${q}` : ''}`;
      };
      let r = await getJson<Report>(url(false));
      // A goroutine profile compared with an earlier one (Goroutines or Compare tab): the
      // report with the base adds goroutine.growth.
      if (r.kind === 'goroutine' && base && base !== this.ctx.profileId) r = await getJson<Report>(url(true)).catch(() => r);
      if (this.disposed) return;
      this.report = r;
      this.loadedFor = key;
      this.render();
    } catch (e) {
      if (this.disposed) return;
      this.status.textContent = `Insights unavailable: ${(e as Error).message}`;
    }
  }

  private render(): void {
    const r = this.report!;
    clear(this.list);
    const head = r.findings.length
      ? `${r.findings.length} finding${r.findings.length > 1 ? 's' : ''} on ${r.sampleType.type}${r.goVersion ? ` · Go ${r.goVersion}` : ''}`
      : 'No findings.';
    const compared = r.base ? `Compared with the earlier goroutine profile ${r.base}.` : '';
    this.status.textContent = [head, compared, ...r.notes].filter(Boolean).join(' ');
    for (const f of r.findings) this.list.append(this.item(f));
    this.applySelection();
  }

  private item(f: Finding): HTMLLIElement {
    const key = findingKey(f, this.report?.findings);
    const title = h(
      'button.insight-title',
      { type: 'button', 'aria-expanded': 'false', 'data-key': key },
      h(`span.insight-sev.sev-${f.severity}`, null, f.severity === 'warning' ? 'warning' : 'info'),
      ' ',
      h('span.insight-share', null, pct(f.share)),
      ' ',
      h('span.insight-text', null, f.title),
    );
    title.addEventListener('click', () => {
      const cur = this.ctx.state().extra.ins ?? '';
      this.ctx.setState({ extra: { ins: cur === key ? '' : key } });
    });
    const fns = h('ul.insight-fns');
    for (const fn of f.functions) {
      const b = h('button.insight-fn', { type: 'button', title: 'Show in the Source view' }, fn.name);
      b.addEventListener('click', () => this.ctx.openSource(fn.name));
      const file = fn.file ? `${fn.file.split('/').slice(-1)[0]}${fn.line ? `:${fn.line}` : ''}` : '';
      fns.append(
        h('li', null, b, file ? h('span.insight-file', null, ` ${file}`) : null, h('span.insight-fn-share', null, ` ${pct(fn.share)}`)),
      );
    }
    const details = h(
      'div.insight-details',
      { hidden: true },
      h('p.insight-advice', null, f.advice),
      fns,
      h(
        'details.insight-evidence',
        null,
        h('summary', null, `Evidence (${f.confidence} confidence)`),
        h('ul', null, ...f.evidence.map((e) => h('li', null, e))),
      ),
      f.commands.length
        ? h(
            'div.insight-commands',
            null,
            h('p.insight-label', null, 'Try next:'),
            ...f.commands.map((c) => h('pre', null, h('code', null, c))),
          )
        : null,
      this.conceptLinks(f),
    );
    return h('li.insight', { 'data-rule': f.rule, 'data-concept': f.concept }, title, details);
  }

  private conceptLinks(f: Finding): HTMLElement {
    const p = h('p.insight-concepts', null, 'Concept: ');
    [f.concept, ...f.related].forEach((slug, i) => {
      if (i) p.append(' · ');
      const a = h('a.concept-link', { href: conceptHref(slug), target: '_blank', rel: 'noopener' }, slug.replace(/-/g, ' '));
      if (i === 0) {
        a.addEventListener('click', (e) => {
          if (e.button !== 0 || e.metaKey || e.ctrlKey) return;
          e.preventDefault();
          void this.showConcept(slug);
        });
      }
      p.append(a);
    });
    return p;
  }

  /** Reflects the URL's selected finding: expand it, highlight its frames, show its concept. */
  private applySelection(): void {
    if (!this.report) return;
    const sel = this.ctx.state().extra.ins ?? '';
    let found: Finding | null = null;
    for (const li of Array.from(this.list.children) as HTMLElement[]) {
      const btn = li.querySelector<HTMLButtonElement>('button.insight-title')!;
      const on = btn.dataset.key === sel;
      btn.setAttribute('aria-expanded', String(on));
      li.classList.toggle('selected', on);
      (li.querySelector('.insight-details') as HTMLElement).hidden = !on;
      if (on) found = this.report.findings.find((f) => findingKey(f, this.report!.findings) === sel) ?? null;
    }
    if (!found) {
      this.ctx.highlight(null);
      clear(this.conceptBox);
      return;
    }
    let re: GoRegexp | null = null;
    try {
      re = found.highlight ? compileGoRegexp(found.highlight) : null;
    } catch {
      re = null;
    }
    this.ctx.highlight(re ?? found.functions.map((x) => x.name));
    void this.showConcept(found.concept);
  }

  private async showConcept(slug: string): Promise<void> {
    let p = this.conceptCache.get(slug);
    if (!p) {
      p = getJson<Concept>(`/api/concepts/${encodeURIComponent(slug)}`);
      this.conceptCache.set(slug, p);
    }
    try {
      const c = await p;
      if (this.disposed) return;
      clear(this.conceptBox);
      const full = h(
        'a.concept-link.insights-concept-open',
        { href: conceptHref(slug), target: '_blank', rel: 'noopener' },
        'Open the full page',
      );
      this.conceptBox.append(renderConcept(c, { compact: true, open: (s) => void this.showConcept(s) }), h('p', null, full));
    } catch (e) {
      this.conceptCache.delete(slug);
      clear(this.conceptBox);
      this.conceptBox.append(h('p.insights-status', null, ...inline(`Concept unavailable: ${(e as Error).message}`)));
    }
  }
}
