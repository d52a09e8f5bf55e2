// Registers the Peek, Sandwich and Call graph tabs on the profile page (issue #13).
import { registerView } from '../../registry.js';
import { GraphView } from './graph-view.js';
import { PeekView } from './peek-view.js';
import { SandwichView } from './sandwich-view.js';
import './callgraph.css';

registerView({ id: 'peek', title: 'Peek', order: 20, mount: (el, ctx) => void new PeekView(el, ctx) });
registerView({ id: 'sandwich', title: 'Sandwich', order: 21, mount: (el, ctx) => void new SandwichView(el, ctx) });
registerView({ id: 'graph', title: 'Call graph', order: 22, mount: (el, ctx) => void new GraphView(el, ctx) });
