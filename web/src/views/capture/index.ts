// Registers live capture in the web UI (issue #7): the start-page section and the
// watch page at /watch/<cid>.
import { registerPage, registerStartSection } from '../../registry.js';
import './capture.css';
import { CaptureSection } from './start-section.js';
import { WatchPage } from './watch-page.js';

registerStartSection({
  id: 'capture',
  order: 20,
  mount(el, nav) {
    const s = new CaptureSection(el, nav);
    return () => s.destroy();
  },
});

registerPage({
  id: 'capture-watch',
  match(pathname) {
    const m = /^\/watch\/([0-9a-f]{24})\/?$/.exec(pathname);
    return m ? { cid: m[1]! } : null;
  },
  title: () => 'Watch',
  mount(el, params, nav) {
    const p = new WatchPage(el, params.cid!, nav);
    return () => p.destroy();
  },
});
