// `pprof-lens goroutines [-state S] [-min_wait N] [-creator RE] [-label K[=V]] [-base FILE] FILE`:
// the goroutines of a debug=2 dump or panic traceback (or a goroutine profile) grouped by
// identical stack, biggest group first; with -base, how each group changed.
import { readFileSync } from 'node:fs';
import { decodeProfile } from '../decode/index.js';
import { compileRegexp } from '../analysis/regex.js';
import { goroutinesView, type GoroutineFilter } from '../goroutines/index.js';
import { formatGroupLine } from '../goroutines/format.js';
import { UsageError } from './flags.js';
import type { CliIO } from './top.js';

const USAGE = 'usage: pprof-lens goroutines [-state STATE] [-min_wait MINUTES] [-creator REGEXP] [-label KEY[=VALUE]] [-base FILE] FILE\n';

export function goroutinesText(args: string[]): string {
  const f: GoroutineFilter = {};
  let base: string | undefined;
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^--?(state|min_wait|creator|label|base)(?:=(.*))?$/.exec(a);
    if (!m) {
      if (a.startsWith('-') && a !== '-') throw new UsageError(`flag provided but not defined: ${a}\n${USAGE}`);
      pos.push(a);
      continue;
    }
    const v = m[2] ?? args[++i];
    if (v === undefined) throw new UsageError(`flag needs an argument: -${m[1]}`);
    if (m[1] === 'state') f.state = v;
    else if (m[1] === 'min_wait') {
      if (!/^\d+$/.test(v)) throw new UsageError(`invalid value ${JSON.stringify(v)} for -min_wait`);
      f.minWait = Number(v);
    } else if (m[1] === 'creator') f.creator = compileRegexp(v, 'creator');
    else if (m[1] === 'label') f.label = v;
    else base = v;
  }
  if (pos.length !== 1) throw new UsageError(USAGE.trimEnd());
  const p = decodeProfile(readFileSync(pos[0]));
  const b = base ? decodeProfile(readFileSync(base)) : undefined;
  const v = goroutinesView(p, f, b);
  let out = '';
  if (v.panic) out += v.panic + '\n\n';
  out += `${v.matched} of ${v.total} goroutines in ${v.groups.length} groups\n`;
  if (v.compare) {
    for (const d of v.compare) {
      const leaf = d.frames[0] ? d.frames[0].func : '?';
      out += `${d.delta >= 0 ? '+' : ''}${d.delta}\t${d.before} -> ${d.after}\t[${d.state}]\t${leaf}\n`;
    }
    return out;
  }
  for (const g of v.groups) out += formatGroupLine(g) + '\n';
  return out;
}

export function runGoroutines(args: string[], io: CliIO): number {
  if (args.includes('-h') || args.includes('--help')) {
    io.out(USAGE);
    return 0;
  }
  io.out(goroutinesText(args));
  return 0;
}
