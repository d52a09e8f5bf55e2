// Growable typed-array columns, as the graph's edge table and the flame tree keep them.

type Column = Int32Array | Float64Array | Uint8Array;

/** A copy of `a` with twice the length (new slots zero). */
export function doubled<T extends Column>(a: T): T {
  const b = new (a.constructor as new (length: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
