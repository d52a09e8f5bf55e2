// Hostile patterns and texts (issue 12): every user- or profile-supplied regexp is Go's
// (RE2, linear time), every legacy text parser is linear in its input, and a profile
// pprof refuses is refused at decode. "Finishes within" bounds are generous (the machine
// is shared): the backtracking versions took from seconds to forever on these inputs.
import { describe, expect, it } from 'vitest';
import { decodeProfile, ProfileDecodeError } from '../../server/src/decode/index.js';
import { computeTop, prepareProfile } from '../../server/src/report/index.js';
import { computeFlameGraph } from '../../server/src/report/flame.js';
import { compileOption, compileRegexp } from '../../server/src/analysis/regex.js';
import { compileGoRegexp, exactName, quoteMeta } from '../../contract/go-regexp.js';
import { QueryError } from '../../server/src/model/query.js';
import { sample } from '../api/server-helpers.js';
import { tinyProfile } from '../fuzz/proto-writer.js';

const BOUND_MS = 10_000;

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
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
    for (const focus of ['^(.|.)*Z', '(a|aa)+$', '^(\\w+\\.?)*$', '(x+x+)+y']) {
      const { value, ms } = timed(() => computeTop(p, { focus }, { nodeCount: 10 }));
      expect(value.rows.length).toBeGreaterThanOrEqual(0);
      expect(ms, focus).toBeLessThan(BOUND_MS);
    }
  });

  it('a profile whose own drop_frames is catastrophic decodes and reports (pprof prunes with RE2)', () => {
    const long = 'a'.repeat(40) + '!';
    const bytes = tinyProfile({
      functions: [long, 'main.f', 'aaaa'],
      stacks: [
        [0, 1],
        [2, 1],
      ],
      dropFrames: '(a+)+$',
    });
    const { value, ms } = timed(() => {
      const p = prepareProfile(decodeProfile(bytes));
      return computeTop(p, {}, {});
    });
    expect(ms).toBeLessThan(BOUND_MS);
    // "aaaa" matches ^((a+)+$)$ and is dropped with everything below it; the long name does not match.
    const names = value.rows.map((r) => r.name).sort();
    expect(names).toEqual([long, 'main.f']);
  });

  it('a catastrophic keep_frames, tagfocus and flame search finish', () => {
    const long = 'a'.repeat(5000) + '!';
    const bytes = tinyProfile({ functions: [long, 'main.f'], stacks: [[0, 1]], dropFrames: 'main\\..*', keepFrames: '(a|a)*$' });
    const p = prepareProfile(decodeProfile(bytes));
    const { ms } = timed(() => {
      computeTop(p, { tagFocus: '(a|a)*$' }, {});
      computeFlameGraph(p, { focus: '(.*a){20}$', hide: '(a|aa)+$' }, {});
    });
    expect(ms).toBeLessThan(BOUND_MS);
  });
});

describe('legacy text parsers are linear in their input', () => {
  it('a contention line of 5,000 digits is refused, fast', () => {
    const bytes = text(`--- contention:\ncycles/second=1000\n${'1'.repeat(5000)}\n`);
    const { value, ms } = timed(() => refusal(bytes));
    expect(value.kind).toBe('malformed');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('a contention line of 300,000 digits before a valid tail still parses as Go does', () => {
    // Go's leftmost-first match: the first \d+ takes all but the last digit.
    const bytes = text(`--- contention:\ncycles/second=1000\n${'1'.repeat(300_000)} @ 0x1\n`);
    const { ms } = timed(() => {
      try {
        decodeProfile(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(ProfileDecodeError);
      }
    });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('a 300 KB heapz text of hostile lines is refused, fast', () => {
    const lines = ['heap profile: 1: 1 [ 1: 1] @ heapprofile'];
    while (lines.join('\n').length < 300_000) lines.push(`${'1'.repeat(2000)}: ${'2'.repeat(2000)}`);
    const { value, ms } = timed(() => refusal(text(lines.join('\n') + '\n')));
    expect(value.kind).toBe('malformed');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('a 300 KB heap header line and memory map of near-misses finish', () => {
    const header = `heap profile: ${'1'.repeat(150_000)}: ${'2'.repeat(150_000)}`;
    const { ms: ms1 } = timed(() => refusal(text(header + '\n')));
    expect(ms1).toBeLessThan(BOUND_MS);
    const map = ['heap profile: 1: 1 [ 1: 1] @ heapprofile', '1: 1 [ 1: 1] @ 0x1', '--- Memory map: ---'];
    for (let i = 0; i < 200; i++) map.push(`${'a'.repeat(1500)}:${'1'.repeat(20)}`);
    const { ms: ms2 } = timed(() => decodeProfile(text(map.join('\n') + '\n')));
    expect(ms2).toBeLessThan(BOUND_MS);
  });

  it('a Java profile with a 100,000-character attribute line finishes', () => {
    const bytes = text(`--- heapz 1 ---\nformat = java\nresolution = bytes\n${'a'.repeat(100_000)}\n`);
    const { ms } = timed(() => {
      try {
        decodeProfile(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(ProfileDecodeError);
      }
    });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('Java symbol lines of 100,000 characters finish', () => {
    const long = `0x1 ${'x '.repeat(50_000)}(${'y:'.repeat(10_000)}`;
    const bytes = text(`--- heapz 1 ---\nformat = java\nresolution = bytes\n 1 1 @ 0x1\n${long}\n${long})\n`);
    const { ms } = timed(() => decodeProfile(bytes));
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('a threadz header of 100,000 characters finishes', () => {
    const bytes = text(`--- Thread 1 (name: ${'a/'.repeat(50_000)}) stack: ---\n`);
    const { ms } = timed(() => {
      try {
        decodeProfile(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(ProfileDecodeError);
      }
    });
    expect(ms).toBeLessThan(BOUND_MS);
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
