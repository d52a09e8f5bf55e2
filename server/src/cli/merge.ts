// `pprof-lens merge -o OUT FILE...`: the sum of several profiles as one pprof file, the
// profile `go tool pprof FILE...` reports on (and what Go's PGO reads as default.pgo:
// `go build -pgo=auto` uses a merged CPU profile of representative runs).
import { writeFileSync } from 'node:fs';
import { encodeProfileGzip } from '../encode/pprof.js';
import { UsageError } from './flags.js';
import { loadMerged } from './load.js';
import type { CliIO } from './top.js';

const USAGE = `usage: pprof-lens merge -o OUT.pb.gz FILE...
  Merges profiles as go tool pprof does with several files (sample types kept when all
  profiles have them, units converted, equal stacks summed) and writes one gzipped pprof.
  A merged CPU profile of representative runs is what Go's profile-guided optimisation
  reads: save it as default.pgo in the main package and build with go build -pgo=auto.
`;

export function runMerge(args: string[], io: CliIO): number {
  let out = '';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h' || a === '-help' || a === '--help') {
      io.out(USAGE);
      return 0;
    }
    const m = /^--?o(?:utput)?(?:=(.*))?$/.exec(a);
    if (m) {
      out = m[1] ?? args[++i] ?? '';
      if (!out) throw new UsageError('-o needs a file name\n' + USAGE);
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown flag ${a}\n${USAGE}`);
    } else files.push(a);
  }
  if (!out) throw new UsageError('-o OUT is required\n' + USAGE);
  if (files.length === 0) throw new UsageError('no profiles to merge\n' + USAGE);
  const merged = loadMerged(files);
  const bytes = encodeProfileGzip(merged);
  writeFileSync(out, bytes);
  io.err(`merged ${files.length} profile${files.length === 1 ? '' : 's'} (${merged.sample.length} samples) into ${out}\n`);
  return 0;
}
