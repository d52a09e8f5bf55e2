// pprof's wording for a pattern that does not compile; the engine is Go's regexp
// (contract/go-regexp.ts: RE2, linear time).
import { QueryError } from '../model/query.js';
import { compileGoRegexp, type GoRegexp } from '../../../contract/go-regexp.js';

export type { GoRegexp } from '../../../contract/go-regexp.js';

/** pprof's -list argument: "parsing argument regexp <src>: <RE2 error>". */
export function compileRegexp(src: string, what: string): GoRegexp {
  try {
    return compileGoRegexp(src);
  } catch (e) {
    throw new QueryError(`parsing ${what} regexp ${src}: ${(e as Error).message}`);
  }
}

/** A pprof option such as -focus: "parsing focus regexp: <RE2 error>"; null when unset. */
export function compileOption(src: string | undefined, what: string): GoRegexp | null {
  if (src === undefined || src === '') return null;
  try {
    return compileGoRegexp(src);
  } catch (e) {
    throw new QueryError(`parsing ${what} regexp: ${(e as Error).message}`);
  }
}
