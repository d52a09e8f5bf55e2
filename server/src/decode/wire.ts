// Minimal protobuf wire-format reader for the hand-written decoder. It reads varints
// as numbers on the fast path and falls back to BigInt only for 8+ byte varints,
// which are the only ones that can exceed 2^53 (negative int64 take 10 bytes).
import { ProfileDecodeError } from './errors.js';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const TWO32 = 4294967296;

export class WireReader {
  readonly buf: Uint8Array;
  pos: number;
  /** Where the fast varint path may read without bound checks (10 bytes before the end). */
  private readonly fastLimit: number;
  /**
   * Set by the last uint64()/int64() call: the exact value when the varint was 8+
   * bytes long (so the number may be rounded), otherwise null.
   */
  wide: bigint | null = null;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.pos = 0;
    this.fastLimit = buf.length - 10;
  }

  /** A varint that must fit in 32 bits unsigned: tags and lengths. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos <= this.fastLimit) {
      let b = buf[pos++];
      if (b < 0x80) {
        this.pos = pos;
        return b;
      }
      let v = b & 0x7f;
      b = buf[pos++];
      v |= (b & 0x7f) << 7;
      if (b < 0x80) {
        this.pos = pos;
        return v;
      }
      b = buf[pos++];
      v |= (b & 0x7f) << 14;
      if (b < 0x80) {
        this.pos = pos;
        return v;
      }
      b = buf[pos++];
      v |= (b & 0x7f) << 21;
      if (b < 0x80) {
        this.pos = pos;
        return v;
      }
    }
    const n = this.uint64();
    if (n > 0xffffffff) throw new ProfileDecodeError('malformed', `length or tag ${n} is too large at byte ${this.pos}`);
    return n;
  }

  /**
   * Unsigned 64-bit varint as a number (rounded above 2^53; see `wide`).
   * Reading a signed int64 field: use int64().
   */
  uint64(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos <= this.fastLimit) {
      let b = buf[pos++];
      if (b < 0x80) {
        this.pos = pos;
        this.wide = null;
        return b;
      }
      let v = b & 0x7f;
      b = buf[pos++];
      v |= (b & 0x7f) << 7;
      if (b < 0x80) {
        this.pos = pos;
        this.wide = null;
        return v;
      }
      b = buf[pos++];
      v |= (b & 0x7f) << 14;
      if (b < 0x80) {
        this.pos = pos;
        this.wide = null;
        return v;
      }
      b = buf[pos++];
      v |= (b & 0x7f) << 21;
      if (b < 0x80) {
        this.pos = pos;
        this.wide = null;
        return v;
      }
    }
    return this.slowVarint(false);
  }

  /** Signed int64 (two's complement varint) as a number; exact value in `wide` when 8+ bytes. */
  int64(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos <= this.fastLimit) {
      let b = buf[pos++];
      if (b < 0x80) {
        this.pos = pos;
        this.wide = null;
        return b;
      }
      let v = b & 0x7f;
      b = buf[pos++];
      v |= (b & 0x7f) << 7;
      if (b < 0x80) {
        this.pos = pos;
        this.wide = null;
        return v;
      }
      b = buf[pos++];
      v |= (b & 0x7f) << 14;
      if (b < 0x80) {
        this.pos = pos;
        this.wide = null;
        return v;
      }
      b = buf[pos++];
      v |= (b & 0x7f) << 21;
      if (b < 0x80) {
        this.pos = pos;
        this.wide = null;
        return v;
      }
    }
    return this.slowVarint(true);
  }

  /** Exact 64-bit value of the varint at pos, as bigint (for header fields and addresses). */
  bigUint64(): bigint {
    const n = this.uint64();
    return this.wide ?? BigInt(n);
  }

  bigInt64(): bigint {
    const n = this.int64();
    return this.wide ?? BigInt(n);
  }

  /** Bound-checked varint of any length up to 10 bytes, split into two 32-bit halves. */
  private slowVarint(signed: boolean): number {
    const buf = this.buf;
    const len = buf.length;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let i = 0;
    for (; ; i++) {
      if (i >= 10) throw new ProfileDecodeError('malformed', `varint longer than 10 bytes at byte ${this.pos}`);
      if (pos >= len)
        throw new ProfileDecodeError('truncated', `profile data is truncated: input ends inside a varint at byte ${this.pos}`);
      const b = buf[pos++];
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi = bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) break;
    }
    this.pos = pos;
    lo >>>= 0;
    hi >>>= 0;
    if (i < 7 && hi < 0x200000) {
      // At most 7 bytes = 49 bits: the number is exact.
      this.wide = null;
      return hi * TWO32 + lo;
    }
    let big = (BigInt(hi) << 32n) | BigInt(lo);
    if (signed) big = BigInt.asIntN(64, big);
    this.wide = big;
    return Number(big);
  }

  fixed64(): bigint {
    const p = this.pos;
    if (p + 8 > this.buf.length) throw truncatedAt(p);
    this.pos = p + 8;
    const b = this.buf;
    const lo = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    const hi = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)) >>> 0;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Reads a length prefix and returns the end offset of the delimited field. */
  lengthEnd(limit: number): number {
    const start = this.pos;
    const n = this.uint32();
    const end = this.pos + n;
    if (end > limit)
      throw new ProfileDecodeError(
        'truncated',
        `profile data is truncated: a field of ${n} bytes at byte ${start} runs past the end of its message`,
      );
    return end;
  }

  /** Skips a field of an unknown number; rejects groups (wire types 3/4) like pprof does. */
  skip(wireType: number, limit: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.uint64();
        break;
      case WIRE_FIXED64:
        this.pos += 8;
        break;
      case WIRE_LEN:
        this.pos = this.lengthEnd(limit);
        break;
      case WIRE_FIXED32:
        this.pos += 4;
        break;
      default:
        throw new ProfileDecodeError(
          'malformed',
          `unsupported wire type ${wireType} at byte ${this.pos} (groups and unknown wire types are not valid in a profile)`,
        );
    }
    if (this.pos > limit) throw truncatedAt(limit);
  }
}

export function truncatedAt(pos: number): ProfileDecodeError {
  return new ProfileDecodeError('truncated', `profile data is truncated: a field runs past byte ${pos}`);
}
