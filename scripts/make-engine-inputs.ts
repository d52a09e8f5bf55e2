// Writes small hand-built profile.proto inputs for the engine references (git-ignored,
// under tests/.references/inputs/): values beyond 2^53 (exact int64 path), and a
// diff-style profile with negative values and pprof::base=true labels (total rule).
// go tool pprof reads them in make-references.sh; the expected output is pprof's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

class W {
  bytes: number[] = [];
  varint(v: bigint): this {
    let x = BigInt.asUintN(64, v);
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) b |= 0x80;
      this.bytes.push(b);
    } while (x !== 0n);
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint(BigInt((field << 3) | wire));
  }
  int(field: number, v: bigint | number): this {
    return this.tag(field, 0).varint(BigInt(v));
  }
  msg(field: number, m: W): this {
    this.tag(field, 2).varint(BigInt(m.bytes.length));
    this.bytes.push(...m.bytes);
    return this;
  }
  str(field: number, s: string): this {
    const b = Buffer.from(s, 'utf8');
    this.tag(field, 2).varint(BigInt(b.length));
    this.bytes.push(...b);
    return this;
  }
  packed(field: number, vals: (bigint | number)[]): this {
    const inner = new W();
    for (const v of vals) inner.varint(BigInt(v));
    this.tag(field, 2).varint(BigInt(inner.bytes.length));
    this.bytes.push(...inner.bytes);
    return this;
  }
}

interface Spec {
  types: [string, string][];
  funcs: string[];
  /** stack of function indices (leaf first), values, labels */
  samples: { stack: number[]; values: bigint[]; labels?: [string, string][] }[];
}

function encode(spec: Spec): Buffer {
  const strings: string[] = [''];
  const s = (x: string): number => {
    let i = strings.indexOf(x);
    if (i < 0) {
      i = strings.length;
      strings.push(x);
    }
    return i;
  };
  const p = new W();
  for (const [t, u] of spec.types) p.msg(1, new W().int(1, s(t)).int(2, s(u)));
  for (const smp of spec.samples) {
    const m = new W()
      .packed(
        1,
        smp.stack.map((f) => f + 1),
      )
      .packed(2, smp.values);
    for (const [k, v] of smp.labels ?? []) m.msg(3, new W().int(1, s(k)).int(2, s(v)));
    p.msg(2, m);
  }
  p.msg(3, new W().int(1, 1).int(2, 0x400000).int(3, 0x800000).int(5, s('/bin/engine-test')).int(7, 1).int(8, 1).int(9, 1));
  spec.funcs.forEach((f, i) => {
    p.msg(
      4,
      new W()
        .int(1, i + 1)
        .int(2, 1)
        .int(3, 0x401000 + i * 16)
        .msg(4, new W().int(1, i + 1).int(2, 10 + i)),
    );
  });
  spec.funcs.forEach((f, i) =>
    p.msg(
      5,
      new W()
        .int(1, i + 1)
        .int(2, s(f))
        .int(3, s(f))
        .int(4, s('engine/' + f.split('.')[0] + '.go'))
        .int(5, 5 + i),
    ),
  );
  p.int(9, 1_700_000_000_000_000_000n).int(10, 10_000_000_000n);
  p.msg(11, new W().int(1, s(spec.types[0][0])).int(2, s(spec.types[0][1]))).int(12, 1);
  for (const x of strings) p.str(6, x);
  return gzipSync(Buffer.from(p.bytes));
}

const out = path.resolve(process.argv[2] ?? 'tests/.references/inputs');
mkdirSync(out, { recursive: true });
const big = 2n ** 53n + 1n;
writeFileSync(
  path.join(out, 'exact.pb.gz'),
  encode({
    types: [
      ['count', 'count'],
      ['space', 'bytes'],
    ],
    funcs: ['main.main', 'main.alloc', 'main.grow', 'runtime.mallocgc', 'main.small'],
    samples: [
      { stack: [3, 1, 0], values: [big, 2n ** 60n + 12345n] },
      { stack: [3, 2, 0], values: [big, 2n ** 59n + 3n] },
      { stack: [1, 0], values: [big, 2n ** 58n + 1n] },
      { stack: [2, 0], values: [3n, 1023n] },
      { stack: [4, 0], values: [big * 2n + 1n, 5n] },
    ],
  }),
);
writeFileSync(
  path.join(out, 'diffbase.pb.gz'),
  encode({
    types: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    funcs: ['main.main', 'main.work', 'main.helper', 'runtime.gc', 'main.idle'],
    samples: [
      { stack: [1, 0], values: [10n, 100_000_000n], labels: [['pprof::base', 'true']] },
      { stack: [2, 1, 0], values: [5n, 50_000_000n], labels: [['pprof::base', 'true']] },
      { stack: [3, 0], values: [2n, 20_000_000n], labels: [['pprof::base', 'true']] },
      { stack: [1, 0], values: [-7n, -70_000_000n] },
      { stack: [2, 1, 0], values: [-9n, -90_000_000n] },
      { stack: [4, 0], values: [-3n, -30_000_000n] },
      { stack: [3, 0], values: [-2n, -20_000_000n] },
    ],
  }),
);
console.log(`wrote ${out}/exact.pb.gz, ${out}/diffbase.pb.gz`);
