// Go RE2 regexp syntax -> JavaScript RegExp, for the subset users type into pprof
// options: leading (?i)/(?s)/(?m) flags, POSIX classes, \z, \Q...\E.
import { QueryError } from '../model/query.js';

const POSIX: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\t\\n\\v\\f\\r ',
  punct: '!-\\/:-@\\[-`{-~',
  word: '\\w',
  xdigit: '0-9A-Fa-f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
  ascii: '\\x00-\\x7f',
};

export function translateGoRegexp(src: string): { source: string; flags: string } {
  let s = src;
  let flags = '';
  const m = /^\(\?([imsU]+)\)/.exec(s);
  if (m) {
    for (const f of m[1]) if (f !== 'U' && !flags.includes(f)) flags += f;
    s = s.slice(m[0].length);
  }
  s = s.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  s = s.replace(/\[:(\^?)([a-z]+):\]/g, (all, neg: string, name: string) => {
    const cls = POSIX[name];
    if (!cls) return all;
    return neg ? `^${cls}` : cls; // only valid inside brackets, as in Go
  });
  s = s.replace(/\\z/g, '$(?![\\s\\S])');
  return { source: s, flags };
}

/** Compiles a Go-syntax regexp; `what` names the option for the error message. */
export function compileRegexp(src: string, what: string): RegExp {
  const { source, flags } = translateGoRegexp(src);
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new QueryError(`parsing argument regexp ${what}: invalid regexp ${JSON.stringify(src)}: ${(e as Error).message}`);
  }
}

export function compileOption(src: string | undefined, what: string): RegExp | null {
  if (src === undefined || src === '') return null;
  return compileRegexp(src, what);
}
