// `pprof-lens list REGEX FILE` = `go tool pprof -list=REGEX -symbolize=none FILE`.
import { computeSourceListing, formatListText } from '../report/index.js';
import { FLAGS_HELP, HelpRequested, parseFlags, UsageError } from './flags.js';
import { readProfileFile } from './load.js';
import { cliSourceReader } from './source-reader.js';
import type { CliIO } from './top.js';
import type { SourceListing } from '../../../contract/views.js';

export function listText(args: string[], io?: CliIO): string {
  const f = parseFlags(args);
  let regex = f.list;
  const pos = f.positional.slice();
  if (regex === undefined) regex = pos.shift();
  if (regex === undefined || pos.length !== 1) throw new UsageError('usage: pprof-lens list [flags] REGEX FILE');
  const p = readProfileFile(pos[0]);
  const reader = cliSourceReader(p, f.sourcePath ?? '', f.trimPath ?? '');
  const l = computeSourceListing(p, f.query, regex, reader, {
    sourcePath: f.sourcePath,
    trimPath: f.trimPath,
    searchPath: f.sourcePath || process.cwd(),
  });
  if (f.top.unit) l.unit = f.top.unit;
  if (l.errors?.length) throw new UsageError(l.errors[0]);
  // stdout stays go tool pprof's text; where each file came from and why it may be
  // stale go to stderr, once per file.
  if (io) for (const line of listNotes(l)) io.err(line + '\n');
  return formatListText(l);
}

/** "where this file came from" and stale-source lines for the routines of a listing. */
export function listNotes(l: SourceListing): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of l.routines) {
    if (!r.origin || seen.has(r.file)) continue;
    seen.add(r.file);
    out.push(`${r.file}: from ${r.origin.label}${r.origin.path ? ` (${r.origin.path})` : ''}`);
    for (const s of r.stale ?? []) out.push(`${r.file}: warning: source may be stale: ${s}`);
  }
  return out;
}

export function runList(args: string[], io: CliIO): number {
  try {
    io.out(listText(args, io));
  } catch (e) {
    if (!(e instanceof HelpRequested)) throw e;
    io.out('usage: pprof-lens list [flags] REGEX FILE\n' + FLAGS_HELP);
  }
  return 0;
}
