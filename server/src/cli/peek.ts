// `pprof-lens peek [flags] REGEX FILE` = `go tool pprof -peek=REGEX -symbolize=none [flags] FILE`.
import { computePeek, formatPeekText } from '../report/index.js';
import { FLAGS_HELP, HelpRequested, parseFlags, UsageError } from './flags.js';
import { readProfileFile } from './load.js';
import type { CliIO } from './top.js';

const USAGE = 'usage: pprof-lens peek [flags] REGEX FILE';

export function peekText(args: string[], io?: CliIO): string {
  const f = parseFlags(args);
  const pos = f.positional.slice();
  const regex = f.peek ?? pos.shift();
  if (regex === undefined || pos.length !== 1) throw new UsageError(USAGE);
  const p = readProfileFile(pos[0]);
  const r = computePeek(p, f.query, regex, { sort: f.top.sort, unit: f.top.unit, compactLabels: f.top.compactLabels });
  for (const w of r.warnings) io?.err(w + '\n');
  return formatPeekText(r, regex);
}

export function runPeek(args: string[], io: CliIO): number {
  try {
    io.out(peekText(args, io));
  } catch (e) {
    if (!(e instanceof HelpRequested)) throw e;
    io.out(USAGE + '\n' + FLAGS_HELP);
  }
  return 0;
}
