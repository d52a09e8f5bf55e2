// Worker entry when running from TypeScript sources (tsx, vitest): register tsx's loader
// inside the worker thread, then load the real worker module.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
