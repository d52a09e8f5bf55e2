// "What does this number mean here?": a small styled popover shown when a column header,
// the sample type picker or any other explained element is hovered or focused.
// One popover element is shared by the whole page (role=tooltip). Each target also gets
// aria-describedby pointing at a hidden copy of its text, so screen readers announce the
// explanation on focus whether or not the popover is showing.
// The popover can be hovered (the pointer may move onto it; not when it lies over the
// controls above a table header) and Esc dismisses it.
import { clear, h } from '../dom.js';

export interface ExplainItem {
  term: string;
  text: string;
}

export interface ExplainContent {
  /** Heading: the column or sample type name. */
  term: string;
  /** Profile kind shown as a chip next to the heading (e.g. "heap"). */
  kind?: string;
  /** The explanation itself. */
  text: string;
  /** Related explanations (e.g. the other sample types of this profile). */
  more?: ExplainItem[];
  moreTitle?: string;
  /** A muted hint line (e.g. "Click to sort"). */
  note?: string;
}

export interface ExplainHandle {
  /** Re-read the content (after the target's meaning changed, e.g. another sample type). */
  refresh(): void;
}

const SHOW_DELAY_MS = 120;
const HIDE_DELAY_MS = 160;

let tip: HTMLElement | null = null;
let descs: HTMLElement | null = null;
let anchor: HTMLElement | null = null;
let anchorContent: (() => ExplainContent | null) | null = null;
let anchorPlace: Placement = 'below';
let showTimer = 0;
let hideTimer = 0;

function tipEl(): HTMLElement {
  if (tip) return tip;
  tip = h('div.explain-tip', { id: 'explain-tip', role: 'tooltip', hidden: true });
  tip.addEventListener('mouseenter', () => window.clearTimeout(hideTimer));
  tip.addEventListener('mouseleave', () => scheduleHide());
  document.body.append(tip);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && tip && !tip.hidden) hide();
  });
  // A fixed popover would drift away from a scrolled anchor: hide it instead.
  window.addEventListener('scroll', () => hide(), true);
  window.addEventListener('resize', () => hide());
  return tip;
}

function descsEl(): HTMLElement {
  if (!descs) {
    descs = h('div.explain-descs', { hidden: true });
    document.body.append(descs);
  }
  return descs;
}

function plainText(c: ExplainContent): string {
  return [c.text, c.note].filter(Boolean).join(' ');
}

/** Hidden description element (stable id per key) referenced by aria-describedby. */
function describe(target: HTMLElement, key: string, c: ExplainContent | null): void {
  const id = `explain-desc-${key.replace(/[^\w-]/g, '_')}`;
  let d = document.getElementById(id);
  if (!c) {
    d?.remove();
    target.removeAttribute('aria-describedby');
    return;
  }
  if (!d) {
    d = h('span', { id });
    descsEl().append(d);
  }
  d.textContent = plainText(c);
  target.setAttribute('aria-describedby', id);
}

function render(el: HTMLElement, c: ExplainContent): void {
  clear(el);
  const head = h('div.explain-head', null, h('span.explain-term', null, c.term));
  if (c.kind) head.append(h('span.explain-kind', null, `${c.kind} profile`));
  el.append(head, h('p.explain-text', null, c.text));
  if (c.more?.length) {
    const dl = h('dl.explain-more');
    for (const m of c.more) dl.append(h('dt', null, m.term), h('dd', null, m.text));
    el.append(h('div.explain-more-title', null, c.moreTitle ?? 'See also'), dl);
  }
  if (c.note) el.append(h('div.explain-note', null, c.note));
}

/**
 * Where the popover goes: 'below' its target (flipped above when it does not fit), or
 * 'above' (flipped below only when there is no room above): column headers use 'above'
 * so the explanation does not hide the first rows of the table it explains.
 */
export type Placement = 'below' | 'above';

function place(el: HTMLElement, target: HTMLElement, prefer: Placement): void {
  const a = target.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  const gap = 6;
  let x = a.left;
  const above = a.top - gap - r.height;
  const below = a.bottom + gap;
  const fitsAbove = above >= 8;
  const fitsBelow = below + r.height <= window.innerHeight - 8;
  const y = prefer === 'above' ? (fitsAbove ? above : below) : fitsBelow || !fitsAbove ? below : above;
  // Put above a table's header, it lies over controls (the row actions, the filter): let
  // clicks through to them, and let it go as soon as the pointer leaves the header.
  el.classList.toggle('passive', prefer === 'above' && y === above);
  if (x + r.width > window.innerWidth - 8) x = window.innerWidth - r.width - 8;
  el.style.left = `${Math.max(8, x)}px`;
  el.style.top = `${Math.max(8, y)}px`;
}

function show(target: HTMLElement, content: () => ExplainContent | null, prefer: Placement): void {
  window.clearTimeout(showTimer);
  window.clearTimeout(hideTimer);
  const c = content();
  const el = tipEl();
  if (!c || !target.isConnected) return hide();
  anchor = target;
  anchorContent = content;
  anchorPlace = prefer;
  render(el, c);
  el.hidden = false;
  place(el, target, prefer);
}

/** Hide the popover (e.g. before its anchor is re-rendered). */
export function hideExplain(): void {
  hide();
}

function hide(): void {
  window.clearTimeout(showTimer);
  window.clearTimeout(hideTimer);
  if (tip) tip.hidden = true;
  anchor = null;
  anchorContent = null;
}

function scheduleHide(): void {
  window.clearTimeout(showTimer);
  window.clearTimeout(hideTimer);
  hideTimer = window.setTimeout(() => {
    // Keep it while the anchor still has keyboard focus.
    if (anchor && document.activeElement === anchor && anchor.matches(':focus-visible')) return;
    hide();
  }, HIDE_DELAY_MS);
}

/**
 * Explain `target` on hover and focus. `key` names its hidden description (unique on the
 * page, e.g. "top-flat"); `content` is read each time the popover opens.
 */
export function attachExplain(
  target: HTMLElement,
  key: string,
  content: () => ExplainContent | null,
  prefer: Placement = 'below',
): ExplainHandle {
  target.classList.add('has-explain');
  describe(target, key, content());
  target.addEventListener('mouseenter', () => {
    window.clearTimeout(hideTimer);
    window.clearTimeout(showTimer);
    if (anchor === target && tip && !tip.hidden) return;
    showTimer = window.setTimeout(() => show(target, content, prefer), SHOW_DELAY_MS);
  });
  target.addEventListener('mouseleave', () => scheduleHide());
  target.addEventListener('focus', () => show(target, content, prefer));
  target.addEventListener('blur', () => {
    if (anchor === target && !target.matches(':hover')) hide();
  });
  return {
    refresh() {
      describe(target, key, content());
      if (anchor === target && anchorContent && tip && !tip.hidden) show(target, anchorContent, anchorPlace);
    },
  };
}
