// Hostile patterns and texts (issue 12): every user- or profile-supplied regexp is Go's
// (RE2, linear time), every legacy text parser is linear in its input, and a profile
// pprof refuses is refused at decode. The backtracking versions took from seconds to forever
// on these inputs (so a regression hangs the test); their times are in bench/hostile.bench.ts.
import { describe, expect, it } from 'vitest';
import { decodeProfile, ProfileDecodeError } from '../../server/src/decode/index.js';
import { computeTop, prepareProfile } from '../../server/src/report/index.js';
import { computeFlameGraph } from '../../server/src/report/flame.js';
import { compileOption, compileRegexp } from '../../server/src/analysis/regex.js';
import { compileGoRegexp, exactName, quoteMeta } from '../../contract/go-regexp.js';
import { QueryError } from '../../server/src/model/query.js';
import { sample } from '../api/server-helpers.js';
import { CATASTROPHIC_FOCUS, catastrophicDropFrames, catastrophicKeepFrames, HOSTILE_TEXTS, LONG_DROP_NAME } from './hostile-cases.js';

/** Decodes or is refused with a ProfileDecodeError: anything but a hang or another error. */
function finishes(bytes: Uint8Array): void {
  try {
    decodeProfile(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileDecodeError);
  }
}

function refusal(bytes: Uint8Array): ProfileDecodeError {
  try {
    decodeProfile(bytes);
  } catch (e) {
    if (e instanceof ProfileDecodeError) return e;
    throw e;
  }
  throw new Error('expected the profile to be refused');
}

const text = (s: string) => new TextEncoder().encode(s);

describe("Go's regexp for user patterns", () => {
  it('quoteMeta is Go regexp.QuoteMeta: the quoted name matches only itself', () => {
    const names = ['main.(*T).f[...]', 'a+b?c|d{2}^$\\', 'path/to/pkg.F', 'ünï.cödé'];
    for (const n of names) {
      const re = compileGoRegexp(exactName(n));
      expect(re.test(n)).toBe(true);
      expect(re.test(n + 'x')).toBe(false);
      // The same output works as a JavaScript RegExp source (module-path matching uses it).
      expect(new RegExp(`^${quoteMeta(n)}$`).test(n)).toBe(true);
    }
    expect(quoteMeta('a/b-c')).toBe('a/b-c');
  });

  it('an invalid pattern is a QueryError with RE2’s message, worded as pprof', () => {
    expect(() => compileOption('(', 'focus')).toThrow(QueryError);
    expect(() => compileOption('(', 'focus')).toThrow('parsing focus regexp: error parsing regexp: missing closing ): `(`');
    expect(() => compileOption('a**', 'hide')).toThrow('invalid nested repetition operator');
    // Perl lookarounds and backreferences are not Go syntax.
    expect(() => compileOption('(?=a)', 'show')).toThrow('invalid or unsupported Perl syntax');
    expect(() => compileOption('(a)\\1', 'ignore')).toThrow('invalid escape sequence');
    expect(() => compileRegexp('(', 'argument')).toThrow('parsing argument regexp (: error parsing regexp: missing closing ): `(`');
  });

  it('a catastrophic focus on the large heap profile finishes', () => {
    const p = prepareProfile(decodeProfile(sample('largeheap/heap.pb.gz')));
    for (const focus of CATASTROPHIC_FOCUS) {
      const value = computeTop(p, { focus }, { nodeCount: 10 });
      expect(value.rows.length, focus).toBeGreaterThanOrEqual(0);
    }
  });

  it('a profile whose own drop_frames is catastrophic decodes and reports (pprof prunes with RE2)', () => {
    const value = computeTop(prepareProfile(decodeProfile(catastrophicDropFrames())), {}, {});
    // "aaaa" matches ^((a+)+$)$ and is dropped with everything below it; the long name does not match.
    const names = value.rows.map((r) => r.name).sort();
    expect(names).toEqual([LONG_DROP_NAME, 'main.f']);
  });

  it('a catastrophic keep_frames, tagfocus and flame search finish', () => {
    const p = prepareProfile(decodeProfile(catastrophicKeepFrames()));
    expect(computeTop(p, { tagFocus: '(a|a)*$' }, {}).rows).toEqual([]);
    expect(computeFlameGraph(p, { focus: '(.*a){20}$', hide: '(a|aa)+$' }, {}).root.value).toBeGreaterThanOrEqual(0);
  });
});

describe('legacy text parsers are linear in their input', () => {
  const H = HOSTILE_TEXTS;
  it('a contention line of 5,000 digits is refused', () => {
    expect(refusal(H['contention line of 5,000 digits']!()).kind).toBe('malformed');
  });

  it('a contention line of 300,000 digits before a valid tail still parses as Go does', () => {
    // Go's leftmost-first match: the first \d+ takes all but the last digit.
    finishes(H['contention line of 300,000 digits before a valid tail']!());
  });

  it('a 300 KB heapz text of hostile lines is refused', () => {
    expect(refusal(H['300 KB heapz text of hostile lines']!()).kind).toBe('malformed');
  });

  it('a 300 KB heap header line and memory map of near-misses finish', () => {
    refusal(H['300 KB heap header line']!());
    expect(decodeProfile(H['heap memory map of near-misses']!()).sample.length).toBeGreaterThan(0);
  });

  it('a Java profile with a 100,000-character attribute line finishes', () => {
    finishes(H['Java profile with a 100,000-character attribute line']!());
  });

  it('Java symbol lines of 100,000 characters finish', () => {
    expect(decodeProfile(H['Java symbol lines of 100,000 characters']!()).sample.length).toBeGreaterThan(0);
  });

  it('a threadz header of 100,000 characters finishes', () => {
    finishes(H['threadz header of 100,000 characters']!());
  });
});

describe('profiles pprof refuses', () => {
  it('a legacy heapz with no sample types ("--- heapz 1 ---" alone) is refused, naming why', () => {
    const e = refusal(text('--- heapz 1 ---\n'));
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/no sample types/);
  });

  it('a profile.proto with no sample types is refused', () => {
    const e = refusal(new Uint8Array([0x32, 0x00])); // string_table: [""] only
    expect(e.message).toMatch(/no sample types/);
  });
});
