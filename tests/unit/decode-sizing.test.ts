// The decoder sizes the stack column exactly from the packed location ids (one byte
// below 0x80 ends each varint), so it is never trimmed by a copy, and grows it only when
// a sample really holds more ids than counted (a sample repeating its location field).
// A miscount once doubled the column of a 1M-sample profile (260 MB more): these tests
// pin the exact size and that every layout still decodes as the reference decoder does.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeProtoFast } from '../../server/src/decode/fast-decoder.js';
import { decodeProtoReference } from '../fixtures/decode/reference-decoder.js';
import { profileDifference } from '../fixtures/decode/compare.js';
import { miniProfile, Pb } from '../fixtures/decode/pb.js';
import { generateProfile } from '../../scripts/gen-profile.js';

const inflate = (b: Uint8Array): Uint8Array => gunzipSync(b);

/** The column holds exactly the ids: no spare capacity behind the view (beyond its least size). */
function exactColumn(raw: Uint8Array): void {
  const c = decodeProtoFast(raw).columns!;
  expect(c.stack.length).toBe(c.stackStart[c.n]);
  // (the column is allocated with at least 64 entries; a short one is then copied to its size)
  expect([c.stack.byteLength, 64 * c.stack.BYTES_PER_ELEMENT]).toContain(c.stack.buffer.byteLength);
}

/** A profile of nLoc locations whose samples name the first and the last of them. */
function manyLocations(nLoc: number): Uint8Array {
  const locations = Array.from({ length: nLoc }, (_, i) => ({ id: i + 1, lines: [{ fn: 1, line: i + 1 }] }));
  const samples = [
    { loc: [nLoc, 1], val: [1, 2] },
    { loc: [1, nLoc - 1, nLoc], val: [3, 4] },
  ];
  return miniProfile({ functions: [{ id: 1, name: 5, file: 6 }], locations, samples });
}

describe('stack column sizing', () => {
  it('is exact for packed ids with 5-byte (padded) lengths, as scripts/gen-profile.ts writes them', () => {
    for (const shape of ['worst', 'realistic'] as const) {
      const raw = generateProfile({ samples: 800, shape, seed: 7 });
      expect(profileDifference(decodeProtoFast(raw), decodeProtoReference(raw))).toBeNull();
      exactColumn(raw);
    }
  });

  it('is exact for the minimal lengths Go writes, with multi-byte location ids', () => {
    const locations = Array.from({ length: 300 }, (_, i) => ({ id: i + 1, lines: [{ fn: 1, line: i + 1 }] }));
    const samples = Array.from({ length: 50 }, (_, k) => ({ loc: [k + 1, 299 - k, 300], val: [1, k] }));
    const raw = miniProfile({ functions: [{ id: 1, name: 5, file: 6 }], locations, samples });
    expect(profileDifference(decodeProtoFast(raw), decodeProtoReference(raw))).toBeNull();
    exactColumn(raw);
  });

  it('is exact when values come before the locations, as Go runtime/pprof writes samples', () => {
    const raw = miniProfile({
      samples: [],
      extra: (pb) => {
        for (let k = 0; k < 20; k++) pb.msg(2, new Pb().packed(2, [k, 10 * k]).packed(1, [1, 1, 1]));
        pb.msg(2, new Pb().int(2, 1).int(2, 2).int(1, 1).int(1, 1)); // short lists, unpacked
      },
    });
    expect(profileDifference(decodeProtoFast(raw), decodeProtoReference(raw))).toBeNull();
    exactColumn(raw);
    exactColumn(inflate(readFileSync(join(import.meta.dirname, '../../samples/largeheap/heap.pb.gz'))));
  });

  it('holds location indices in the narrowest array their count allows, without truncating any', () => {
    for (const [nLoc, kind] of [
      [256, Uint8Array],
      [257, Uint16Array],
      [65536, Uint16Array],
      [65537, Int32Array],
    ] as const) {
      const raw = manyLocations(nLoc);
      const fast = decodeProtoFast(raw);
      expect(fast.columns!.stack).toBeInstanceOf(kind);
      expect(Array.from(fast.columns!.stack)).toEqual([nLoc - 1, 0, 0, nLoc - 2, nLoc - 1]);
      expect(profileDifference(fast, decodeProtoReference(raw))).toBeNull();
      exactColumn(raw);
    }
  });

  it('grows for samples that repeat their location field, or list ids unpacked', () => {
    const raw = miniProfile({
      samples: [
        { loc: [1], val: [1, 1] },
        { loc: [1, 1], val: [2, 2], unpacked: true },
      ],
      extra: (pb) => {
        // Packed ids in two fields (valid protobuf: the runs are concatenated), then a
        // padded length varint, last in the file so the column is full when they come.
        pb.msg(2, new Pb().packed(1, [1]).packed(1, [1, 1]).packed(2, [3, 3]));
        pb.msg(2, new Pb().raw(0x0a, 0x83, 0x80, 0x80, 0x80, 0x00, 1, 1, 1).packed(2, [4, 4]));
      },
    });
    const fast = decodeProtoFast(raw);
    expect(profileDifference(fast, decodeProtoReference(raw))).toBeNull();
    expect(fast.sample.map((s) => s.location.length)).toEqual([1, 2, 3, 3]);
  });

  it('still refuses a truncated last location id when the column is full', () => {
    const raw = miniProfile({
      samples: [{ loc: [1], val: [1, 1] }],
      extra: (pb) => void pb.msg(2, new Pb().raw(0x0a, 0x02, 0x01, 0x81).packed(2, [1, 1])),
    });
    expect(() => decodeProtoFast(raw)).toThrow(/truncated|nil location/);
  });
});
