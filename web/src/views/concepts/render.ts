// Renders a concept page (full page or side panel) from the library's plain data.
// Text goes in through textContent only; `code` spans and /concepts/ links are parsed
// from our own concept texts, never from profile data.
import type { Concept, ConceptBlock } from '../../../../contract/insights.js';
import { h } from '../../dom.js';

/** Inline text with `code` spans. */
export function inline(text: string): Node[] {
  const out: Node[] = [];
  const parts = text.split('`');
  parts.forEach((part, i) => {
    if (!part) return;
    out.push(i % 2 === 1 ? h('code', null, part) : document.createTextNode(part));
  });
  return out;
}

function block(b: ConceptBlock): HTMLElement {
  if (b.kind === 'p') return h('p', null, ...inline(b.text));
  if (b.kind === 'list') return h('ul', null, ...b.items.map((it) => h('li', null, ...inline(it))));
  const pre = h(`pre.concept-code.lang-${b.lang}`, null, h('code', null, b.code));
  return b.caption ? h('figure.concept-figure', null, h('figcaption', null, b.caption), pre) : pre;
}

export interface RenderOptions {
  /** Navigate to another concept (client-side). */
  open(slug: string): void;
  /** Short form for a finding in the side panel: summary and signals only. */
  compact?: boolean;
}

export function conceptHref(slug: string): string {
  return `/concepts/${encodeURIComponent(slug)}`;
}

function conceptLink(slug: string, label: string, opts: RenderOptions): HTMLAnchorElement {
  const a = h('a.concept-link', { href: conceptHref(slug), 'data-slug': slug }, label);
  a.addEventListener('click', (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    opts.open(slug);
  });
  return a;
}

export function renderConcept(c: Concept, opts: RenderOptions): HTMLElement {
  const root = h('article.concept', { 'data-slug': c.slug });
  root.append(h(opts.compact ? 'h3.concept-title' : 'h1.concept-title', null, c.title), h('p.concept-summary', null, ...inline(c.summary)));
  if (!opts.compact) {
    for (const s of c.sections) root.append(h('section.concept-section', null, h('h2', null, s.heading), ...s.blocks.map(block)));
  }
  root.append(
    h(
      `section.concept-signals`,
      null,
      h(opts.compact ? 'h4' : 'h2', null, 'What points here in a profile'),
      h('ul', null, ...c.signals.map((s) => h('li', null, ...inline(s)))),
    ),
  );
  // The compact card sits inside a finding, whose own "Try next" commands name the user's
  // file and functions; the page's generic commands (placeholder names) stay on the page.
  if (!opts.compact) {
    root.append(
      h(
        'section.concept-next',
        null,
        h('h2', null, 'What to try next'),
        h(
          'ul',
          null,
          ...c.nextSteps.map((s) =>
            h('li', null, ...inline(s.text), s.command ? h('pre.concept-code.lang-sh', null, h('code', null, s.command)) : null),
          ),
        ),
      ),
    );
  }
  if (c.related.length) {
    const rel = h('p.concept-related', null, 'Related: ');
    c.related.forEach((slug, i) => {
      if (i) rel.append(', ');
      rel.append(conceptLink(slug, slug.replace(/-/g, ' '), opts));
    });
    root.append(rel);
  }
  return root;
}
