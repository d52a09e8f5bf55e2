// A minimal profile.proto writer for hostile test inputs (the decoder is generated
// without encoders): field numbers from proto/profile.proto.

export class ProtoWriter {
  private parts: number[] = [];

  varint(field: number, v: number | bigint): this {
    this.key(field, 0);
    this.raw(BigInt(v));
    return this;
  }

  bytes(field: number, b: Uint8Array | string): this {
    const data = typeof b === 'string' ? new TextEncoder().encode(b) : b;
    this.key(field, 2);
    this.raw(BigInt(data.length));
    for (const x of data) this.parts.push(x);
    return this;
  }

  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  packed(field: number, values: (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.raw(BigInt(v));
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }

  private key(field: number, wire: number): void {
    this.raw(BigInt(field * 8 + wire));
  }

  /** Unsigned LEB128; negative values as two's complement 64-bit, as protobuf int64. */
  raw(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x) b |= 0x80;
      this.parts.push(b);
    } while (x);
  }
}

export interface TinyProfileSpec {
  /** Function names; sample i's stack is the functions named by stacks[i] (leaf first). */
  functions: string[];
  stacks: number[][];
  values?: number[];
  dropFrames?: string;
  keepFrames?: string;
}

/** A valid one-sample-type profile (samples/count) over the given function names. */
export function tinyProfile(spec: TinyProfileSpec): Uint8Array {
  const strings = ['', 'samples', 'count'];
  const idx = (s: string) => {
    let i = strings.indexOf(s);
    if (i < 0) i = strings.push(s) - 1;
    return i;
  };
  const w = new ProtoWriter();
  w.message(1, new ProtoWriter().varint(1, 1).varint(2, 2));
  spec.stacks.forEach((stack, i) => {
    w.message(
      2,
      new ProtoWriter()
        .packed(
          1,
          stack.map((f) => f + 1),
        )
        .packed(2, [spec.values?.[i] ?? 1]),
    );
  });
  spec.functions.forEach((name, i) => {
    w.message(
      4,
      new ProtoWriter()
        .varint(1, i + 1)
        .varint(3, 0x1000 + i)
        .message(4, new ProtoWriter().varint(1, i + 1).varint(2, 1)),
    );
  });
  spec.functions.forEach((name, i) => {
    w.message(
      5,
      new ProtoWriter()
        .varint(1, i + 1)
        .varint(2, idx(name))
        .varint(3, idx(name))
        .varint(4, idx('x.go')),
    );
  });
  const drop = spec.dropFrames ? idx(spec.dropFrames) : 0;
  const keep = spec.keepFrames ? idx(spec.keepFrames) : 0;
  for (const s of strings) w.bytes(6, s);
  if (drop) w.varint(7, drop);
  if (keep) w.varint(8, keep);
  w.message(11, new ProtoWriter().varint(1, 1).varint(2, 2));
  w.varint(12, 1);
  return w.finish();
}
