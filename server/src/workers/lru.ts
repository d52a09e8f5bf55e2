// Least-recently-used map bounded by an estimated byte size per entry.
export class ByteLru<V> {
  private map = new Map<string, { value: V; bytes: number }>();
  private total = 0;

  constructor(private budget: number) {}

  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  delete(key: string): boolean {
    const e = this.map.get(key);
    if (!e) return false;
    this.map.delete(key);
    this.total -= e.bytes;
    return true;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  set(key: string, value: V, bytes: number): void {
    const old = this.map.get(key);
    if (old) {
      this.total -= old.bytes;
      this.map.delete(key);
    }
    this.map.set(key, { value, bytes });
    this.total += bytes;
    // Evict oldest first, but always keep the entry just added even if it alone is over budget.
    for (const [k, e] of this.map) {
      if (this.total <= this.budget || k === key) break;
      this.map.delete(k);
      this.total -= e.bytes;
    }
  }

  /** Evicts the oldest entries until at most `keep` remain. */
  trim(keep: number): void {
    for (const [k, e] of this.map) {
      if (this.map.size <= keep) break;
      this.map.delete(k);
      this.total -= e.bytes;
    }
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.total;
  }
}
