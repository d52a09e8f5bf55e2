// Profile -> profile.proto bytes: the inverse of decode/, for everything that writes a
// profile back out (merge, filtered export, sanitised copies). It follows the field
// layout of proto/profile.proto and google/pprof's profile/encode.go: one string table
// with "" at index 0, ids kept as they are, sample values as packed int64.
import { gzipSync } from 'node:zlib';
import type { ValueType } from '../../../contract/views.js';
import type { Location, Mapping, Profile } from '../model/profile.js';

/** A growable byte buffer with protobuf's varint and length-delimited writers. */
class ProtoWriter {
  private buf = new Uint8Array(1 << 16);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** Unsigned varint of a non-negative safe integer. */
  private uvarint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** Varint of a 64-bit value: negative numbers as two's complement, ten bytes. */
  varint(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && Number.isSafeInteger(v)) {
      this.uvarint(v);
      return;
    }
    let b = BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(v)));
    this.ensure(10);
    while (b >= 0x80n) {
      this.buf[this.length++] = Number(b & 0x7fn) | 0x80;
      b >>= 7n;
    }
    this.buf[this.length++] = Number(b);
  }

  /** A varint field; zero values are omitted, as proto3 does. */
  int(field: number, v: number | bigint): void {
    if (v === 0 || v === 0n) return;
    this.uvarint(field << 3);
    this.varint(v);
  }

  bool(field: number, v: boolean): void {
    if (v) this.int(field, 1);
  }

  bytes(field: number, data: Uint8Array): void {
    this.uvarint((field << 3) | 2);
    this.uvarint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  /**
   * A length-delimited field whose body `fill` writes in place: five bytes are reserved
   * for the length and the body is moved back once its size is known, so nested messages
   * cost no scratch buffers.
   */
  private delimited(field: number, fill: () => void): void {
    this.uvarint((field << 3) | 2);
    this.ensure(5);
    const lenPos = this.length;
    this.length += 5;
    const start = this.length;
    fill();
    const len = this.length - start;
    let n = 1;
    while (len >= 2 ** (7 * n)) n++;
    if (n < 5) this.buf.copyWithin(lenPos + n, start, this.length);
    this.length = lenPos;
    this.uvarint(len);
    this.length = lenPos + n + len;
  }

  message(field: number, fill: (w: ProtoWriter) => void): void {
    this.delimited(field, () => fill(this));
  }

  /** A packed repeated varint field; empty lists are omitted. */
  packed(field: number, values: ArrayLike<number | bigint>): void {
    if (values.length === 0) return;
    this.delimited(field, () => {
      for (let i = 0; i < values.length; i++) this.varint(values[i]!);
    });
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Interns strings into the table; index 0 is always "". */
class StringTable {
  readonly strings: string[] = [''];
  private readonly index = new Map<string, number>([['', 0]]);

  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

interface SampleView {
  locationIds: number[];
  values: ArrayLike<number | bigint>;
  label: Record<string, string[]> | null;
  numLabel: Record<string, number[]> | null;
  numUnit: Record<string, string[]> | null;
}

/** Samples in order, from the columns when the decoder left them (no Sample objects built). */
function* samples(p: Profile): Generator<SampleView> {
  const c = p.columns;
  if (c && !p.exactValues) {
    for (let k = 0; k < c.n; k++) {
      const ids: number[] = [];
      for (let j = c.stackStart[k]!; j < c.stackStart[k + 1]!; j++) ids.push(p.location[c.stack[j]!]!.id);
      yield {
        locationIds: ids,
        values: c.values.subarray(k * c.nTypes, (k + 1) * c.nTypes),
        label: c.label?.[k] ?? null,
        numLabel: c.numLabel?.[k] ?? null,
        numUnit: c.numUnit?.[k] ?? null,
      };
    }
    return;
  }
  for (let k = 0; k < p.sample.length; k++) {
    const s = p.sample[k]!;
    yield {
      locationIds: s.location.map((l) => l.id),
      values: p.exactValues?.[k] ?? s.value,
      label: s.label,
      numLabel: s.numLabel,
      numUnit: s.numUnit,
    };
  }
}

function writeValueType(w: ProtoWriter, field: number, vt: ValueType, st: StringTable): void {
  w.message(field, (m) => {
    m.int(1, st.id(vt.type));
    m.int(2, st.id(vt.unit));
  });
}

function writeMapping(w: ProtoWriter, m: Mapping, st: StringTable): void {
  w.message(3, (x) => {
    x.int(1, m.id);
    x.int(2, m.start);
    x.int(3, m.limit);
    x.int(4, m.offset);
    x.int(5, st.id(m.file));
    x.int(6, st.id(m.buildId));
    x.bool(7, m.hasFunctions);
    x.bool(8, m.hasFilenames);
    x.bool(9, m.hasLineNumbers);
    x.bool(10, m.hasInlineFrames);
  });
}

function writeLocation(w: ProtoWriter, l: Location): void {
  w.message(4, (x) => {
    x.int(1, l.id);
    x.int(2, l.mapping?.id ?? 0);
    x.int(3, l.address);
    for (const line of l.line) {
      x.message(4, (y) => {
        y.int(1, line.function.id);
        y.int(2, line.line);
        y.int(3, line.column);
      });
    }
    x.bool(5, l.isFolded);
  });
}

/**
 * Encodes a profile as uncompressed profile.proto bytes. Location, function and mapping
 * ids must be non-zero and unique, as the decoder guarantees for what it returns.
 */
export function encodeProfile(p: Profile): Uint8Array {
  const st = new StringTable();
  const w = new ProtoWriter();
  for (const vt of p.sampleType) writeValueType(w, 1, vt, st);
  for (const s of samples(p)) {
    w.message(2, (x) => {
      x.packed(1, s.locationIds);
      x.packed(2, s.values);
      // Keys sorted, as pprof's encoder writes them, so output is stable.
      for (const key of Object.keys(s.label ?? {}).sort()) {
        for (const v of s.label![key]!) {
          x.message(3, (y) => {
            y.int(1, st.id(key));
            y.int(2, st.id(v));
          });
        }
      }
      for (const key of Object.keys(s.numLabel ?? {}).sort()) {
        const units = s.numUnit?.[key];
        s.numLabel![key]!.forEach((v, i) => {
          x.message(3, (y) => {
            y.int(1, st.id(key));
            y.int(3, v);
            const unit = units?.[i] ?? '';
            if (unit) y.int(4, st.id(unit));
          });
        });
      }
    });
  }
  for (const m of p.mapping) writeMapping(w, m, st);
  for (const l of p.location) writeLocation(w, l);
  for (const f of p.function) {
    w.message(5, (x) => {
      x.int(1, f.id);
      x.int(2, st.id(f.name));
      x.int(3, st.id(f.systemName));
      x.int(4, st.id(f.filename));
      x.int(5, f.startLine);
    });
  }
  // Scalars and comments intern their strings before the table is written.
  const dropFrames = st.id(p.dropFrames);
  const keepFrames = st.id(p.keepFrames);
  const comments = p.comments.map((c) => st.id(c));
  const defaultSampleType = st.id(p.defaultSampleType);
  const docUrl = st.id(p.docUrl);
  const periodType = p.periodType;
  if (periodType) {
    st.id(periodType.type);
    st.id(periodType.unit);
  }
  const enc = new TextEncoder();
  for (const s of st.strings) w.bytes(6, enc.encode(s));
  w.int(7, dropFrames);
  w.int(8, keepFrames);
  w.int(9, p.timeNanos);
  w.int(10, p.durationNanos);
  if (periodType) writeValueType(w, 11, periodType, st);
  w.int(12, p.period);
  w.packed(13, comments);
  w.int(14, defaultSampleType);
  w.int(15, docUrl);
  return w.finish();
}

/** encodeProfile, gzip-compressed: the form `go tool pprof` and our decoder read. */
export function encodeProfileGzip(p: Profile): Uint8Array {
  return gzipSync(encodeProfile(p));
}
