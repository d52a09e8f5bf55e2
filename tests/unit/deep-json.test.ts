// toJson on values too deep for JSON.stringify (a flame tree of a 100,000-frame stack):
// the same text, without recursion.
import { expect, it } from 'vitest';
import { deepJson, toJson } from '../../server/src/model/json-text.js';
it('deepJson equals JSON.stringify', () => {
  const vals: unknown[] = [
    1,
    'a"b',
    null,
    undefined,
    [1, undefined, () => 1, NaN, -0, 1e21, 2n ** 70n],
    { a: 1, b: undefined, c: [{ d: new Date(0) }], 'k"': true, n: Infinity },
    [],
    {},
    [[[]]],
    { x: { y: { z: [1, { w: 'é\u2028' }] } } },
  ];
  for (const v of vals) expect(deepJson(v)).toBe(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));
  let o: { name: string; children: unknown[] } = { name: 'x', children: [] };
  const root = o;
  for (let i = 0; i < 100_000; i++) {
    const c = { name: 'x', children: [] };
    o.children.push(c);
    o = c;
  }
  const t = toJson(root);
  expect(t.length).toBeGreaterThan(100_000 * 20);
  expect(t.startsWith('{"name":"x","children":[{"name":"x"')).toBe(true);
});
