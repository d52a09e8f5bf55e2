// The banner every profile view shows while filters are active: what they kept, as pprof's
// "Showing nodes accounting for X, Y% of Z total" (X = the top report's `kept`, the figure
// `go tool pprof -top -nodefraction=0` prints for the same filters), and one removable chip
// per filter, named as pprof's option.
import { keptSentence } from '../../../contract/format.js';
import type { TopReport } from '../../../contract/views.js';
import { h } from '../dom.js';
import type { ProfileState } from '../registry.js';
import './widgets.css';

/** The state fields that filter or reshape samples, with pprof's option name. */
export const FILTER_FIELDS = [
  ['focus', 'focus'],
  ['ignore', 'ignore'],
  ['hide', 'hide'],
  ['show', 'show'],
  ['showFrom', 'show_from'],
  ['tagFocus', 'tagfocus'],
  ['tagIgnore', 'tagignore'],
  ['tagRoot', 'tagroot'],
  ['tagLeaf', 'tagleaf'],
] as const satisfies readonly (readonly [keyof ProfileState, string])[];

export type FilterField = (typeof FILTER_FIELDS)[number][0];

export class FilterBanner {
  readonly el = h('section.filter-banner', { 'aria-label': 'Active filters', 'data-testid': 'filter-banner', hidden: true });
  private text = h('span.banner-text', { 'data-testid': 'filter-kept' });
  private chips = h('ul.chips');
  private shown = '';

  constructor(private remove: (field: FilterField) => void) {
    this.el.append(this.text, this.chips);
  }

  /** Chips for the state's filters; the banner hides when there are none. */
  setFilters(s: ProfileState): void {
    const active = FILTER_FIELDS.filter(([k]) => s[k]);
    // Other state (the tab, the zoom) leaves the chips and the sentence as they are.
    const key = JSON.stringify(active.map(([k]) => [k, s[k]]));
    if (key === this.shown) return;
    this.shown = key;
    this.el.hidden = active.length === 0;
    this.chips.replaceChildren(
      ...active.map(([k, opt]) => {
        const text = `${opt}=${s[k]}`;
        const x = h('button', { type: 'button', 'aria-label': `Remove filter ${text}`, title: 'Remove this filter' }, '×');
        x.addEventListener('click', () => this.remove(k));
        return h('li.filter-chip', { 'data-filter': k }, h('span', null, text), x);
      }),
    );
    if (active.length) this.text.textContent = 'Showing nodes accounting for …';
  }

  setReport(rep: TopReport | null): void {
    this.text.textContent = rep ? keptSentence(rep) : '';
  }
}
