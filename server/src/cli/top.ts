// `pprof-lens top [flags] FILE...` = `go tool pprof -top -symbolize=none [flags] FILE...`
// (several files are merged first, as pprof merges them).
import { computeTop, formatTopText } from '../report/index.js';
import { FLAGS_HELP, HelpRequested, parseFlags, UsageError } from './flags.js';
import { loadMerged } from './load.js';

export interface CliIO {
  out(s: string): void;
  err(s: string): void;
}

/** Runs `top` and returns its stdout text (warnings go to io.err). */
export function topText(args: string[], io?: CliIO): string {
  const f = parseFlags(args);
  if (f.positional.length === 0) throw new UsageError('usage: pprof-lens top [flags] FILE...');
  const p = loadMerged(f.positional);
  const r = computeTop(p, f.query, f.top);
  for (const w of r.warnings) io?.err(w + '\n');
  return formatTopText(r);
}

export function runTop(args: string[], io: CliIO): number {
  try {
    io.out(topText(args, io));
  } catch (e) {
    if (!(e instanceof HelpRequested)) throw e;
    io.out('usage: pprof-lens top [flags] FILE...\n' + FLAGS_HELP);
  }
  return 0;
}
