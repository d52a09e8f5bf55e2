// Registers the Merge side panel on the profile page (issue 16).
import { registerPanel } from '../../registry.js';
import { MergePanel } from './merge-panel.js';
import './merge.css';

registerPanel({
  id: 'merge',
  title: 'Merge',
  order: 20,
  mount(el, ctx) {
    const panel = new MergePanel(el, ctx);
    const off = ctx.onStateChange((s, prev) => panel.onState(s, prev));
    return off;
  },
});
