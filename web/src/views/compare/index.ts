// Registers the Compare tab on the profile page (issue #8).
import { registerView } from '../../registry.js';
import { CompareView } from './compare-view.js';
import './compare.css';

registerView({
  id: 'compare',
  title: 'Compare',
  order: 40,
  mount(el, ctx) {
    new CompareView(el, ctx);
  },
});
