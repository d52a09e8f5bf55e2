// Server entry: `node|tsx server/src/main.ts [serve] [flags] [FILES...]` (same flags as
// `pprof-lens serve`).
import { runServe } from './cli/serve.js';

const args = process.argv.slice(2);
const io = { out: (s: string) => void process.stdout.write(s), err: (s: string) => void process.stderr.write(s) };
runServe(args[0] === 'serve' ? args.slice(1) : args, io).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`pprof-lens serve: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
