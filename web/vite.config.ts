import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Builds the static UI: web/ -> dist/web. The server serves dist/web and falls back
// to index.html for /p/:id and other client routes. No inline scripts are emitted
// (the server's CSP forbids them), so the module preload polyfill is off.
const root = fileURLToPath(new URL('.', import.meta.url));
const devApi = process.env.PPROF_LENS_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    target: 'es2022',
    chunkSizeWarningLimit: 800,
  },
  server: {
    // Development only: the UI on vite, the API on a running `pprof-lens serve`.
    proxy: { '/api': devApi },
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});
