// `pprof-lens tags [flags] FILE` = `go tool pprof -tags -symbolize=none [flags] FILE`.
import { computeTags, formatTagsText } from '../report/tags.js';
import { FLAGS_HELP, HelpRequested, parseFlags, UsageError } from './flags.js';
import { readProfileFile } from './load.js';
import type { CliIO } from './top.js';

/** Runs `tags` and returns its stdout text (warnings go to io.err). */
export function tagsText(args: string[], io?: CliIO): string {
  const f = parseFlags(args);
  if (f.positional.length !== 1) throw new UsageError('usage: pprof-lens tags [flags] FILE');
  const p = readProfileFile(f.positional[0]);
  const r = computeTags(p, f.query, { unit: f.top.unit });
  for (const w of r.warnings) io?.err(w + '\n');
  return formatTagsText(r);
}

export function runTags(args: string[], io: CliIO): number {
  try {
    io.out(tagsText(args, io));
  } catch (e) {
    if (!(e instanceof HelpRequested)) throw e;
    io.out('usage: pprof-lens tags [flags] FILE\n' + FLAGS_HELP);
  }
  return 0;
}
