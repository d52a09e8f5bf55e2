// JSON text of view models and export payloads: 64-bit values that are bigint travel as
// decimal strings, and trees deeper than JSON.stringify's recursion allows (a flame graph
// of a few thousand frames) are written without recursion.

/** JSON text of a view model; 64-bit values that are bigint travel as decimal strings. */
export function toJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  } catch (e) {
    // JSON.stringify recurses: a flame tree of a few thousand frames deep overflows it.
    if (e instanceof RangeError) return deepJson(v);
    throw e;
  }
}

type Frame = { items: [string | null, unknown][]; i: number; close: string };

/** JSON.stringify's output (with toJson's bigint rule) without recursion, for deeply nested values. */
export function deepJson(root: unknown): string {
  const prepare = (x: unknown): unknown => {
    const t = x as { toJSON?: () => unknown } | null;
    return t !== null && typeof t === 'object' && typeof t.toJSON === 'function' ? t.toJSON() : x;
  };
  /** Text of a scalar; null for an object or array; undefined for what JSON leaves out. */
  const scalar = (x: unknown): string | null | undefined => {
    if (x === null) return 'null';
    switch (typeof x) {
      case 'string':
        return JSON.stringify(x);
      case 'number':
        return Number.isFinite(x) ? String(x) : 'null';
      case 'boolean':
        return x ? 'true' : 'false';
      case 'bigint':
        return JSON.stringify(x.toString());
      case 'object':
        return null;
      default:
        return undefined; // undefined, functions, symbols
    }
  };
  // Tokens in output order, joined once: concatenating per level would be quadratic.
  const out: string[] = [];
  const open = (x: object): Frame => {
    if (Array.isArray(x)) {
      out.push('[');
      return { items: x.map((v) => [null, v]), i: 0, close: ']' };
    }
    out.push('{');
    return { items: Object.keys(x).map((k) => [k, (x as Record<string, unknown>)[k]]), i: 0, close: '}' };
  };
  const top = prepare(root);
  const s = scalar(top);
  if (s !== null) return s as string;
  const stack: Frame[] = [open(top as object)];
  const written: number[] = [0];
  while (stack.length) {
    const d = stack.length - 1;
    const f = stack[d];
    if (f.i === f.items.length) {
      out.push(f.close);
      stack.pop();
      written.pop();
      continue;
    }
    const [key, raw] = f.items[f.i++];
    const x = prepare(raw);
    const sc = scalar(x);
    if (sc === undefined && key !== null) continue; // left out of objects
    if (written[d]++ > 0) out.push(',');
    if (key !== null) out.push(JSON.stringify(key), ':');
    if (sc === null) {
      stack.push(open(x as object));
      written.push(0);
    } else out.push(sc ?? 'null');
  }
  return out.join('');
}
