// Go's regexp for every pattern a user or a profile supplies (focus, ignore, hide, show,
// show_from, prune_from, tagfocus/tagignore, list, drop_frames/keep_frames, the UI's
// search) and for the legacy text parsers' line patterns: re2js is a port of RE2, so the
// syntax and semantics are Go's and matching takes time linear in the input; no pattern
// can stall a worker. The web UI imports this module too.
import { RE2JS } from 're2js';

/** A compiled Go regexp. */
export interface GoRegexp {
  readonly source: string;
  /** Unanchored search, as Go's MatchString. */
  test(s: string): boolean;
  /** Go's FindStringSubmatch; groups that did not take part are undefined. */
  exec(s: string): (string | undefined)[] | null;
}

/** RE2's syntax error, worded as Go's: "error parsing regexp: missing closing ): `(`". */
export class GoRegexpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoRegexpError';
  }
}

class Compiled implements GoRegexp {
  constructor(
    readonly source: string,
    private readonly re: RE2JS,
  ) {}
  test(s: string): boolean {
    return this.re.test(s);
  }
  exec(s: string): (string | undefined)[] | null {
    return this.re.exec(s) as (string | undefined)[] | null;
  }
}

/** Compiles `src` as Go's regexp.Compile does; throws GoRegexpError with RE2's message. */
export function compileGoRegexp(src: string): GoRegexp {
  let re: RE2JS;
  try {
    re = RE2JS.compile(src);
  } catch (e) {
    throw new GoRegexpError((e as Error).message);
  }
  return new Compiled(src, re);
}

/**
 * Go's regexp.QuoteMeta: the one quoting helper for patterns built from names. Its
 * output is also a valid JavaScript RegExp source (every escape is of punctuation).
 */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A pattern matching exactly `name`, as pprof writes "^" + QuoteMeta(name) + "$". */
export function exactName(name: string): string {
  return `^${quoteMeta(name)}$`;
}

/**
 * A user's search as a Go regexp: the regexp if it compiles, else the literal text (so
 * `b(x` never throws). The top table's row filter, in the page and on the server.
 */
export function searchRegexp(text: string): GoRegexp | null {
  if (!text) return null;
  try {
    return compileGoRegexp(text);
  } catch {
    return compileGoRegexp(quoteMeta(text));
  }
}
