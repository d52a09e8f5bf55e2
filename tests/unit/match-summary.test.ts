// The flame graph's search summary: cum counts stacks through a match once, flat sums the
// matching frames' own values; a package (legend click) leads with its own share; while
// zoomed both the zoom's and the whole profile's figures show.
import { describe, expect, it } from 'vitest';
import type { FlameNode } from '../../contract/views.js';
import { matchSummary, matchTotals, packageOfSearch } from '../../web/src/views/match-summary.js';

const n = (name: string, self: number, children: FlameNode[] = []): FlameNode => ({
  name,
  self,
  value: self + children.reduce((s, c) => s + c.value, 0),
  children,
});

// root (10s) > runtime.main > main.main > { main.walk > runtime.mallocgc (3s) , main.work (4s self) } ; runtime.gcBgMarkWorker (2s)
const S = 1e9;
const tree = n('root', 0, [
  n('runtime.main', 0, [n('main.main', 1 * S, [n('main.walk', 0, [n('runtime.mallocgc', 3 * S)]), n('main.work', 4 * S)])]),
  n('runtime.gcBgMarkWorker', 2 * S),
]);
const isRuntime = (name: string) => /^runtime\./.test(name);

describe('matchTotals', () => {
  it('counts nested matches once in cum, and every match in flat', () => {
    // runtime.main covers 8s; runtime.mallocgc is inside it (not counted again); the GC worker adds 2s.
    expect(matchTotals(tree, isRuntime, true)).toEqual({ cum: 10 * S, flat: 5 * S });
  });

  it('within a zoomed frame counts only its subtree', () => {
    const walk = tree.children[0]!.children[0]!.children[0]!;
    expect(matchTotals(walk, isRuntime, false)).toEqual({ cum: 3 * S, flat: 3 * S });
    // The zoomed frame itself may match: then it is the whole zoom.
    const mm = tree.children[0]!.children[0]!;
    expect(matchTotals(mm, (x) => x === 'main.main', false)).toEqual({ cum: 8 * S, flat: 1 * S });
  });

  it('walks a stack 100,000 frames deep without overflowing the call stack', () => {
    let deep = n('main.leaf', 1);
    for (let i = 0; i < 100_000; i++) deep = { name: i % 2 ? 'main.a' : 'runtime.b', self: 0, value: 1, children: [deep] };
    expect(matchTotals(n('root', 0, [deep]), (x) => x === 'main.leaf', true)).toEqual({ cum: 1, flat: 1 });
  });

  it('never counts the root pseudo frame', () => {
    expect(matchTotals(tree, (x) => x === 'root', true)).toEqual({ cum: 0, flat: 0 });
  });
});

describe('packageOfSearch', () => {
  it('recognises the legend search ^pkg\\. (quoted) and nothing else', () => {
    expect(packageOfSearch('^runtime\\.')).toBe('runtime');
    expect(packageOfSearch('^github\\.com/x/y\\.')).toBe('github.com/x/y');
    expect(packageOfSearch('^runtime.')).toBeNull();
    expect(packageOfSearch('runtime\\.')).toBeNull();
    expect(packageOfSearch('^main\\.(walk|work)\\.')).toBeNull();
    expect(packageOfSearch('')).toBeNull();
  });
});

describe('matchSummary', () => {
  const total = 10 * S;
  const whole = matchTotals(tree, isRuntime, true);

  it('a package leads with its own (flat) share, then the stacks it is on', () => {
    const s = matchSummary({ unit: 'nanoseconds', total, whole, pkg: 'runtime' });
    expect(s.text).toBe('package runtime: own 5s · 50% of total (flat) · on the stack 10s · 100% of total (cum)');
    expect(s.title).toMatch(/cum: samples whose stack passes through a matching frame/);
    expect(s.title).toMatch(/flat: samples in the matching functions themselves/);
  });

  it('any other search leads with the stacks through a match', () => {
    const m = matchTotals(tree, (x) => x === 'main.walk', true);
    expect(matchSummary({ unit: 'nanoseconds', total, whole: m }).text).toBe(
      'matched 3s · 30% of total (cum) · own 0 · 0% of total (flat)',
    );
  });

  it('while zoomed shows the zoom and the whole profile side by side', () => {
    const walk = tree.children[0]!.children[0]!.children[0]!;
    const s = matchSummary({
      unit: 'nanoseconds',
      total,
      whole,
      pkg: 'runtime',
      zoom: { name: 'main.walk', value: walk.value, totals: matchTotals(walk, isRuntime, false) },
    });
    expect(s.text).toBe(
      'package runtime: own 3s · 100% of main.walk (zoom) / 5s · 50% of total (flat) · on the stack 3s · 100% of main.walk (zoom) / 10s · 100% of total (cum)',
    );
  });

  it('says "no match" when nothing matched', () => {
    expect(matchSummary({ unit: 'nanoseconds', total, whole: { cum: 0, flat: 0 } })).toMatchObject({ text: 'no match', none: true });
  });
});
