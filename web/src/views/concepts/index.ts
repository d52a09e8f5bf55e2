// Concept library pages: /concepts (the list) and /concepts/:slug (one concept).
import type { Concept, ConceptSummary } from '../../../../contract/insights.js';
import { getJson } from '../../api.js';
import { clear, h } from '../../dom.js';
import { registerPage } from '../../registry.js';
import { conceptHref, inline, renderConcept } from './render.js';
import './concepts.css';

registerPage({
  id: 'concepts',
  match(pathname) {
    const m = /^\/concepts\/?([^/]*)\/?$/.exec(pathname);
    return m ? { slug: decodeURIComponent(m[1]) } : null;
  },
  title: (params) => (params.slug ? `${params.slug.replace(/-/g, ' ')} · Go concepts · pprof-lens` : 'Go concepts · pprof-lens'),
  mount(el, params, nav) {
    const root = h('div.concepts-page');
    el.append(root);
    const status = h('p.concepts-status', { role: 'status' }, 'Loading…');
    root.append(status);
    let cancelled = false;
    const open = (slug: string) => nav.navigate(conceptHref(slug));
    const all = h('a.concepts-all', { href: '/concepts' }, 'All concepts');
    all.addEventListener('click', (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey) return;
      e.preventDefault();
      nav.navigate('/concepts');
    });
    (async () => {
      try {
        if (params.slug) {
          const c = await getJson<Concept>(`/api/concepts/${encodeURIComponent(params.slug)}`);
          if (cancelled) return;
          clear(root);
          root.append(h('nav.concepts-nav', null, all), renderConcept(c, { open }));
        } else {
          const { concepts } = await getJson<{ concepts: ConceptSummary[] }>('/api/concepts');
          if (cancelled) return;
          clear(root);
          root.append(
            h('h1', null, 'Go performance concepts'),
            h(
              'p.concepts-intro',
              null,
              'The ideas behind the insights pprof-lens shows: each page explains one concept with a short Go example, how it shows up in a profile, and what to try next.',
            ),
            h(
              'ul.concepts-list',
              null,
              ...concepts.map((c) => {
                const a = h('a.concept-link', { href: conceptHref(c.slug) }, c.title);
                a.addEventListener('click', (e) => {
                  if (e.button !== 0 || e.metaKey || e.ctrlKey) return;
                  e.preventDefault();
                  open(c.slug);
                });
                return h('li', null, a, h('p.concept-summary', null, ...inline(c.summary)));
              }),
            ),
          );
        }
      } catch (e) {
        if (cancelled) return;
        clear(root);
        root.append(h('nav.concepts-nav', null, all), h('p.concepts-error', { role: 'alert' }, (e as Error).message));
      }
    })();
    return () => {
      cancelled = true;
      root.remove();
    };
  },
});
