// Bundles the server CLI (server/src/cli/main.ts) into dist/cli.mjs with esbuild:
// Node ESM (+ lazily loaded chunks in dist/chunks), dependencies left external (resolved from node_modules at run time).
// Needs the generated protobuf code: run `npm run gen:proto` first.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'server/src/decode/generated/profile.pb.js'))) {
  console.error('server/src/decode/generated is missing: run `npm run gen:proto` first');
  process.exit(1);
}
// Stale hashed chunks from earlier builds would pile up.
rmSync(path.join(root, 'dist/chunks'), { recursive: true, force: true });
await build({
  entryPoints: [path.join(root, 'server/src/cli/main.ts')],
  // Code splitting keeps `serve`/`capture` (Express, undici, the AWS SDK) in lazily
  // imported chunks, so `top`/`list` start without loading them.
  outdir: path.join(root, 'dist'),
  entryNames: 'cli',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
// Analysis worker threads (server/src/workers/pool.ts looks for dist/analysis-worker.mjs).
await build({
  entryPoints: [path.join(root, 'server/src/workers/worker.ts')],
  outfile: path.join(root, 'dist/analysis-worker.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log('built dist/cli.mjs');
