// pprof-lens command dispatcher. Other areas register subcommands in COMMANDS
// (serve, capture); each returns an exit code, or a promise of one.
import { existsSync } from 'node:fs';
import { QueryError } from '../model/query.js';
import { ProfileDecodeError } from '../decode/errors.js';
import { UsageError } from './flags.js';
import { prefetchFiles } from './prefetch.js';
import type { CliIO } from './top.js';

export type Command = (args: string[], io: CliIO) => number | Promise<number>;

/** A report command: its modules load while its profile files are read and inflated (prefetch.ts). */
function readingProfiles(load: () => Promise<Command>): Command {
  return async (args, io) => {
    const [run] = await Promise.all([load(), prefetchFiles(args)]);
    return run(args, io);
  };
}

// Commands are loaded on demand: each start-up pays only for its own modules (`list`
// alone needs the source readers).
export const COMMANDS: Record<string, { run: Command; help: string }> = {
  top: {
    run: readingProfiles(() => import('./top.js').then((m) => m.runTop)),
    help: 'top [flags] FILE...    text report, as go tool pprof -top (several files: their merge)',
  },
  list: {
    run: readingProfiles(() => import('./list.js').then((m) => m.runList)),
    help: 'list [flags] REGEX FILE annotated source, as go tool pprof -list',
  },
  peek: {
    run: readingProfiles(() => import('./peek.js').then((m) => m.runPeek)),
    help: 'peek [flags] REGEX FILE callers and callees, as go tool pprof -peek',
  },
  tags: {
    run: readingProfiles(() => import('./tags.js').then((m) => m.runTags)),
    help: 'tags [flags] FILE      label breakdown, as go tool pprof -tags',
  },
  goroutines: {
    run: (args, io) => import('./goroutines.js').then((m) => m.runGoroutines(args, io)),
    help: 'goroutines [flags] FILE goroutine dump (debug=2, panic) grouped by stack',
  },
  merge: {
    run: (args, io) => import('./merge.js').then((m) => m.runMerge(args, io)),
    help: 'merge -o OUT FILE...   one pprof file summing the profiles, as go tool pprof FILE... (e.g. default.pgo)',
  },
  // Loaded on demand so text commands do not pay for Express and the AWS SDK.
  serve: {
    run: (args, io) => import('./serve.js').then((m) => m.runServe(args, io)),
    help: 'serve [flags] [FILES]  web UI and HTTP API (serve --help for flags)',
  },
  capture: {
    run: (args, io) => import('./capture.js').then((m) => m.runCapture(args, io)),
    help: 'capture URL [flags]    capture from a live /debug/pprof endpoint and serve it (or URL alone)',
  },
};

const stdio: CliIO = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
};

function usage(): string {
  return (
    'usage: pprof-lens <command> [flags] ...\ncommands:\n' +
    Object.values(COMMANDS)
      .map((c) => '  ' + c.help)
      .join('\n') +
    '\n'
  );
}

export async function main(argv: string[], io: CliIO = stdio): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '-h' || cmd === '--help') {
    io.out(usage());
    return cmd ? 0 : 2;
  }
  const entry = COMMANDS[cmd];
  if (!entry && !cmd.startsWith('-') && existsSync(cmd)) {
    // `pprof-lens FILE`: store it and serve its link, as `go tool pprof -http` does.
    const { runOpen } = await import('./serve.js');
    return runOpen(argv, io);
  }
  if (!entry && /^https?:\/\//i.test(cmd)) {
    // `pprof-lens http://host:port`: capture from a live service, as `go tool pprof URL` does.
    const { runCapture } = await import('./capture.js');
    return runCapture(argv, io);
  }
  if (!entry) {
    io.err(`pprof-lens: unknown command ${JSON.stringify(cmd)}\n` + usage());
    return 2;
  }
  try {
    return await entry.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof QueryError || e instanceof ProfileDecodeError) {
      io.err(`pprof-lens ${cmd}: ${e.message}\n`);
      return 2;
    }
    io.err(`pprof-lens ${cmd}: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

const isEntry = (() => {
  const a = process.argv[1] ?? '';
  return /cli\/main\.[cm]?[jt]s$/.test(a);
})();
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(String(e) + '\n');
      process.exitCode = 2;
    },
  );
}
