// Registers the Goroutines tab (goroutine dumps and profiles) and the paste box on the
// start page.
import { registerStartSection, registerView } from '../../registry.js';
import { mountPaste } from './paste.js';
import { GoroutinesTab } from './view.js';
import './goroutines.css';

registerView({
  id: 'goroutines',
  title: 'Goroutines',
  order: 30,
  available: (meta) => meta.kind === 'goroutine',
  mount(el, ctx) {
    const tab = new GoroutinesTab(el, ctx);
    const off = ctx.onStateChange((s) => tab.onState(s));
    return () => {
      off();
      tab.dispose();
    };
  },
});

registerStartSection({ id: 'goroutine-paste', order: 30, mount: (el, nav) => mountPaste(el, nav) });
