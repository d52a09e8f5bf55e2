// `pprof-lens list REGEX FILE` = `go tool pprof -list=REGEX -symbolize=none FILE`.
import { computeSourceListing, formatListText } from '../report/index.js';
import { FLAGS_HELP, HelpRequested, parseFlags, UsageError } from './flags.js';
import { readProfileFile } from './load.js';
import { localSourceReader } from './source-reader.js';
import type { CliIO } from './top.js';

export function listText(args: string[]): string {
  const f = parseFlags(args);
  let regex = f.list;
  const pos = f.positional.slice();
  if (regex === undefined) regex = pos.shift();
  if (regex === undefined || pos.length !== 1) throw new UsageError('usage: pprof-lens list [flags] REGEX FILE');
  const p = readProfileFile(pos[0]);
  const reader = localSourceReader(f.sourcePath ?? '', f.trimPath ?? '');
  const l = computeSourceListing(p, f.query, regex, reader, {
    sourcePath: f.sourcePath,
    trimPath: f.trimPath,
    searchPath: f.sourcePath || process.cwd(),
  });
  if (f.top.unit) l.unit = f.top.unit;
  if (l.errors?.length) throw new UsageError(l.errors[0]);
  return formatListText(l);
}

export function runList(args: string[], io: CliIO): number {
  try {
    io.out(listText(args));
  } catch (e) {
    if (!(e instanceof HelpRequested)) throw e;
    io.out('usage: pprof-lens list [flags] REGEX FILE\n' + FLAGS_HELP);
  }
  return 0;
}
