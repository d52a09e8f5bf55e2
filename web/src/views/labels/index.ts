// Registers the Labels panel (every profile) and the Allocation sizes panel (heap and
// allocs profiles) on the profile page.
import { registerPanel } from '../../registry.js';
import { LabelsPanel } from './labels-panel.js';
import { SizePanel, sizeTypes } from './size-panel.js';
import './labels.css';

registerPanel({
  id: 'labels',
  title: 'Labels',
  order: 20,
  mount(el, ctx) {
    const panel = new LabelsPanel(el, ctx);
    const off = ctx.onStateChange((s) => panel.onState(s));
    return () => {
      off();
      panel.dispose();
    };
  },
});

registerPanel({
  id: 'sizes',
  title: 'Allocation sizes',
  order: 21,
  available: (meta) => (meta.kind === 'heap' || meta.kind === 'allocs' || meta.kind === 'other') && sizeTypes(meta, '') !== null,
  mount(el, ctx) {
    const panel = new SizePanel(el, ctx);
    const off = ctx.onStateChange((s) => panel.onState(s));
    return () => {
      off();
      panel.dispose();
    };
  },
});
