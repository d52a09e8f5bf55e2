// Registers the Compare tab on the profile page (issue #8).
import { registerView } from '../../registry.js';
import { CompareView } from './compare-view.js';
import './compare.css';

// Compare links are also written `/p/<new>?view=compare&base=<base>` (the form);
// the page's own key for the tab is `v`, so translate before the page reads the URL.
if (typeof location !== 'undefined' && location.pathname.startsWith('/p/')) {
  const q = new URLSearchParams(location.search);
  const view = q.get('view');
  if (view && !q.has('v')) {
    q.delete('view');
    q.set('v', view);
    history.replaceState(history.state, '', `${location.pathname}?${q}${location.hash}`);
  }
}

registerView({
  id: 'compare',
  title: 'Compare',
  order: 40,
  mount(el, ctx) {
    new CompareView(el, ctx);
  },
});
