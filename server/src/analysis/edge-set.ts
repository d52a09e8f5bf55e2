// pprof's graph edges as they accumulate over samples: one entry per (parent, child)
// pair, a sample adding its value once per pair however often the pair occurs in its
// stack. Shared by the edge pass (edges.ts) and the node-value pass (graph.ts
// accumulate), which records the in-edges that inline labels need in the same walk.
import { doubled } from './columns.js';

export interface EdgeTable {
  n: number;
  src: Int32Array;
  dst: Int32Array;
  weight: Float64Array;
  /** Summed -mean divisors (null without -mean): shown weight = trunc(weight / div). */
  weightDiv: Float64Array | null;
  /** Exact weights (int64) when the profile carries exact values. */
  weightX: BigInt64Array | null;
  inline: Uint8Array;
  residual: Uint8Array;
}

/** Per kept sample: its value, -mean divisor and exact value (graph.ts SampleValues). */
interface Values {
  v: Float64Array;
  div: Float64Array | null;
  exact: BigInt64Array | null;
}

const hash = (a: number, b: number): number => (Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77)) >>> 0;

export class EdgeSet {
  private cap = 1 << 12;
  private mask = this.cap - 1;
  private slots = new Int32Array(this.cap).fill(-1);
  private src = new Int32Array(1024);
  private dst = new Int32Array(1024);
  private w = new Float64Array(1024);
  private inl = new Uint8Array(1024);
  private res = new Uint8Array(1024);
  private stamp = new Int32Array(1024);
  private div: Float64Array | null;
  private x: BigInt64Array | null;
  private n = 0;

  constructor(private sv: Values) {
    this.div = sv.div ? new Float64Array(1024) : null;
    this.x = sv.exact ? new BigInt64Array(1024) : null;
  }

  /**
   * Sample k passes through parent -> id: adds its value unless it already did for this
   * pair. The edge is inline only if every sample's first contribution was, residual if any was.
   */
  add(parent: number, id: number, k: number, inline: number, residual: number): void {
    this.addAt(this.slot(parent, id), k, inline, residual);
  }

  /**
   * The entry of parent -> id, made (weightless) if new: callers that meet the same pair
   * again and again (the lines of one location) keep it and call addAt, without hashing.
   * Call addAt right after making one: an edge exists only once a sample contributed.
   */
  slot(parent: number, id: number): number {
    let h = hash(parent, id) & this.mask;
    let e = this.slots[h];
    while (e !== -1 && (this.src[e] !== parent || this.dst[e] !== id)) {
      h = (h + 1) & this.mask;
      e = this.slots[h];
    }
    if (e !== -1) return e;
    if (this.n === this.src.length) this.grow();
    e = this.n++;
    this.src[e] = parent;
    this.dst[e] = id;
    this.w[e] = 0;
    if (this.div) this.div[e] = 0;
    if (this.x) this.x[e] = 0n;
    // Neutral flags: the first contribution sets them.
    this.inl[e] = 1;
    this.res[e] = 0;
    this.stamp[e] = -1;
    this.slots[h] = e;
    if (this.n * 2 > this.cap) this.rehash();
    return e;
  }

  /** Sample k's contribution to edge e (from slot), once per sample. */
  addAt(e: number, k: number, inline: number, residual: number): void {
    if (this.stamp[e] === k) return;
    const sv = this.sv;
    this.stamp[e] = k;
    this.w[e] += sv.v[k];
    if (this.div) this.div[e] += sv.div![k];
    if (this.x) this.x[e] += sv.exact![k];
    if (residual) this.res[e] = 1;
    if (!inline) this.inl[e] = 0;
  }

  private grow(): void {
    this.src = doubled(this.src);
    this.dst = doubled(this.dst);
    this.w = doubled(this.w);
    this.inl = doubled(this.inl);
    this.res = doubled(this.res);
    this.stamp = doubled(this.stamp);
    if (this.div) this.div = doubled(this.div);
    if (this.x) {
      const b = new BigInt64Array(this.x.length * 2);
      b.set(this.x);
      this.x = b;
    }
  }

  private rehash(): void {
    this.cap <<= 1;
    this.mask = this.cap - 1;
    this.slots = new Int32Array(this.cap).fill(-1);
    for (let e = 0; e < this.n; e++) {
      let h = hash(this.src[e], this.dst[e]) & this.mask;
      while (this.slots[h] !== -1) h = (h + 1) & this.mask;
      this.slots[h] = e;
    }
  }

  /** The edges so far, in order of first appearance (exact weights copied into `weight`). */
  table(): EdgeTable {
    const n = this.n;
    const x = this.x;
    if (x) for (let e = 0; e < n; e++) this.w[e] = Number(x[e]);
    return {
      n,
      src: this.src.subarray(0, n),
      dst: this.dst.subarray(0, n),
      weight: this.w.subarray(0, n),
      weightDiv: this.div ? this.div.subarray(0, n) : null,
      weightX: x ? x.subarray(0, n) : null,
      inline: this.inl.subarray(0, n),
      residual: this.res.subarray(0, n),
    };
  }
}
