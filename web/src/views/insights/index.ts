// Registers the Insights side panel on the profile page (issue #6).
import { registerPanel } from '../../registry.js';
import { InsightsPanel } from './panel.js';
import './insights.css';
import '../concepts/concepts.css';

registerPanel({
  id: 'insights',
  title: 'Insights',
  order: 10,
  mount(el, ctx) {
    const panel = new InsightsPanel(el, ctx);
    const off = ctx.onStateChange((s, prev) => panel.onState(s, prev));
    return () => {
      off();
      panel.dispose();
    };
  },
});
