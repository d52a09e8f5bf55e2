// Bundles the server CLI (server/src/cli/main.ts) into dist/cli.mjs with esbuild:
// Node ESM, dependencies left external (resolved from node_modules at run time).
// Needs the generated protobuf code: run `npm run gen:proto` first.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'server/src/decode/generated/profile.pb.js'))) {
  console.error('server/src/decode/generated is missing: run `npm run gen:proto` first');
  process.exit(1);
}
await build({
  entryPoints: [path.join(root, 'server/src/cli/main.ts')],
  outfile: path.join(root, 'dist/cli.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log('built dist/cli.mjs');
