// pprof's validity rules (profile/encode.go, profile.go CheckValid) on crafted inputs:
// each case breaks exactly one rule of an otherwise valid profile built by miniProfile.
import { describe, expect, it } from 'vitest';
import { decodeProfile, ProfileDecodeError } from '../../server/src/decode/index.js';
import { decodeProtoReference } from '../fixtures/decode/reference-decoder.js';
import type { DecodeErrorKind } from '../../server/src/decode/errors.js';
import { Pb, miniProfile } from '../fixtures/decode/pb.js';
import { CORPUS_DIR } from '../corpus.js';

function decodeError(bytes: Uint8Array): ProfileDecodeError {
  try {
    decodeProfile(bytes);
  } catch (err) {
    if (err instanceof ProfileDecodeError) return err;
    throw new Error(`expected a ProfileDecodeError, got ${String(err)}`);
  }
  throw new Error('expected the input to be rejected, but it decoded');
}

function expectRejected(bytes: Uint8Array, kind: DecodeErrorKind, message: RegExp): void {
  const err = decodeError(bytes);
  expect(err.kind).toBe(kind);
  expect(err.message).toMatch(message);
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('valid baseline', () => {
  it('the crafted profile decodes to what was written', () => {
    const p = decodeProfile(miniProfile());
    expect(p.sampleType).toEqual([
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ]);
    expect(p.sample).toHaveLength(1);
    expect(p.sample[0].value).toEqual([1, 10]);
    expect(p.sample[0].location[0].line[0].function.name).toBe('main.main');
    expect(p.sample[0].location[0].mapping?.file).toBe('a.out');
    expect(p.sample[0].location[0].address).toBe(0x401000n);
  });
});

describe('input-level errors', () => {
  it('empty input', () => expectRejected(new Uint8Array(0), 'empty', /empty input/));
  it('gzip of nothing', async () => {
    const { gzipSync } = await import('node:zlib');
    expectRejected(gzipSync(new Uint8Array(0)), 'empty', /empty input/);
  });
  it('HTML is not a profile', () =>
    expectRejected(new TextEncoder().encode('<html><body>404</body></html>'), 'not-a-profile', /not a profile/));
  it('JSON is not a profile', () =>
    expectRejected(new TextEncoder().encode('{"error":"nope"}'), 'not-a-profile', /not a profile.*\{"error/));
  it('random binary is not a profile', () =>
    expectRejected(Uint8Array.from([0xff, 0xfe, 0x00, 0x01, 0x02]), 'not-a-profile', /not a profile.*ff fe 00/));
});

describe('wire format', () => {
  it('truncated in the middle of a field', () => {
    const full = miniProfile();
    expectRejected(full.subarray(0, full.length - 3), 'truncated', /truncated/);
  });
  it('every truncation of a valid profile is rejected cleanly or decodes', () => {
    const full = miniProfile();
    for (let n = 1; n < full.length; n++) {
      try {
        decodeProfile(full.subarray(0, n));
      } catch (err) {
        expect(err).toBeInstanceOf(ProfileDecodeError);
      }
    }
  });
  it('varint longer than 10 bytes', () => {
    const bad = new Pb().tag(9, 0).raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).finish();
    expectRejected(concat(miniProfile(), bad), 'malformed', /varint longer than 10 bytes/);
  });
  it('wire type 3 (group start) is rejected', () => {
    expectRejected(concat(miniProfile(), new Pb().tag(20, 3).finish()), 'malformed', /wire type 3/);
  });
  it('wire type 4 (group end) is rejected inside a sub-message', () => {
    const sample = new Pb().packed(1, [1]).packed(2, [1, 1]).tag(9, 4);
    expectRejected(concat(miniProfile(), new Pb().msg(2, sample).finish()), 'malformed', /wire type 4/);
  });
  it('unknown fields of every wire type are skipped', () => {
    const extra = new Pb().int(99, 5).tag(98, 1).raw(1, 2, 3, 4, 5, 6, 7, 8).str(97, 'x').tag(96, 5).raw(1, 2, 3, 4).finish();
    const sample = new Pb().packed(1, [1]).int(50, 7).packed(2, [4, 40]).str(51, 'ignored');
    const p = decodeProfile(concat(miniProfile({ samples: [] }), extra, new Pb().msg(2, sample).finish()));
    expect(p.sample.map((s) => s.value)).toEqual([[4, 40]]);
  });
  it('packed and unpacked repeated fields give the same profile', () => {
    const a = decodeProfile(miniProfile({ samples: [{ loc: [1, 1], val: [2, 20] }] }));
    const b = decodeProfile(miniProfile({ samples: [{ loc: [1, 1], val: [2, 20], unpacked: true }] }));
    expect(b).toStrictEqual(a);
  });
});

describe('string table', () => {
  it("string_table[0] must be ''", () => {
    expectRejected(
      miniProfile({ strings: ['x', 'samples', 'count', 'cpu', 'nanoseconds', 'main.main', 'main.go'] }),
      'malformed',
      /string_table\[0\] must be ''/,
    );
  });
  it('string index out of range names the field', () => {
    expectRejected(miniProfile({ functions: [{ id: 1, name: 500 }] }), 'malformed', /function name: string index 500 out of range/);
    expectRejected(
      miniProfile({
        sampleTypes: [
          [1, 2],
          [3, 77],
        ],
      }),
      'malformed',
      /sample_type\[1\] unit: string index 77/,
    );
    expectRejected(
      miniProfile({ samples: [{ loc: [1], val: [1, 1], labels: [{ key: 1, str: 300 }] }] }),
      'malformed',
      /label value: string index 300/,
    );
    expectRejected(miniProfile({ extra: (pb) => pb.int(7, -1) }), 'malformed', /drop_frames: string index -1/);
  });
});

describe('ids and references', () => {
  it('function id 0', () => expectRejected(miniProfile({ functions: [{ id: 0, name: 5 }] }), 'malformed', /function with reserved id 0/));
  it('duplicate function id', () =>
    expectRejected(
      miniProfile({
        functions: [
          { id: 1, name: 5 },
          { id: 1, name: 6 },
        ],
      }),
      'malformed',
      /multiple functions with the same id 1/,
    ));
  it('duplicate sparse function id', () =>
    expectRejected(
      miniProfile({
        functions: [
          { id: 9000, name: 5 },
          { id: 9000, name: 6 },
        ],
        locations: [{ id: 1 }],
      }),
      'malformed',
      /multiple functions with the same id 9000/,
    ));
  it('mapping id 0', () => expectRejected(miniProfile({ mappings: [{ id: 0 }] }), 'malformed', /mapping with reserved id 0/));
  it('duplicate mapping id', () =>
    expectRejected(miniProfile({ mappings: [{ id: 3 }, { id: 3 }] }), 'malformed', /multiple mappings with the same id 3/));
  it('location id 0', () => expectRejected(miniProfile({ locations: [{ id: 0 }] }), 'malformed', /location with reserved id 0/));
  it('duplicate location id', () =>
    expectRejected(miniProfile({ locations: [{ id: 1 }, { id: 1 }] }), 'malformed', /multiple locations with the same id 1/));
  it('line with a missing function rejects the whole profile', () => {
    expectRejected(
      miniProfile({ locations: [{ id: 1, lines: [{ fn: 42 }] }] }),
      'malformed',
      /location id: 1 has a line with nil function/,
    );
    expectRejected(miniProfile({ locations: [{ id: 1, lines: [{ fn: 0 }] }] }), 'malformed', /location id: 1 has a line with nil function/);
  });
  it('sample with a missing location', () => {
    expectRejected(
      miniProfile({ samples: [{ loc: [1, 5], val: [1, 1] }] }),
      'malformed',
      /sample has nil location \(location id 5 not found\)/,
    );
  });
  it('unknown mapping id on a location means no mapping (as pprof)', () => {
    const p = decodeProfile(miniProfile({ locations: [{ id: 1, mapping: 9, lines: [{ fn: 1 }] }] }));
    expect(p.location[0].mapping).toBeNull();
  });
  it('id beyond 2^53 is rejected rather than rounded', () => {
    expectRejected(
      miniProfile({
        functions: [
          { id: 1, name: 5 },
          { id: Number.MAX_SAFE_INTEGER, name: 5 },
        ],
        extra: (pb) => pb.msg(5, new Pb().int(1, 2n ** 60n)),
      }),
      'malformed',
      /function id 1152921504606846976 is too large/,
    );
  });
});

describe('samples', () => {
  it('value count must equal the number of sample types', () => {
    expectRejected(miniProfile({ samples: [{ loc: [1], val: [1] }] }), 'malformed', /sample 0 has 1 values, want 2/);
  });
  it('samples without sample types', () => {
    expectRejected(miniProfile({ sampleTypes: [], samples: [{ loc: [1], val: [] }] }), 'malformed', /missing sample type information/);
  });
  it('a sample with zero locations is legal', () => {
    expect(decodeProfile(miniProfile({ samples: [{ loc: [], val: [1, 1] }] })).sample[0].location).toEqual([]);
  });
});

describe('labels (pprof postDecode rules)', () => {
  const p = decodeProfile(
    miniProfile({
      samples: [
        {
          loc: [1],
          val: [1, 1],
          labels: [
            { key: 7, str: 1 },
            { key: 7, str: 3 },
            { key: 8, num: 4096, unit: 8 },
            { key: 8, num: 7 },
            { key: 9, num: 0 },
            { key: 5, num: 0, unit: 8 },
            { key: 6, num: -2 },
          ],
        },
      ],
    }),
  );
  const s = p.sample[0];
  it('str != 0 is a string label, values kept in order', () => expect(s.label).toEqual({ pid: ['samples', 'cpu'] }));
  it('num != 0 or num_unit != 0 is numeric; units padded with ""', () => {
    expect(s.numLabel).toEqual({ bytes: [4096, 7], 'main.main': [0], 'main.go': [-2] });
    expect(s.numUnit).toEqual({ bytes: ['bytes', ''], 'main.main': ['bytes'], 'main.go': [''] });
  });
  it('str == 0, num == 0, num_unit == 0 is dropped', () => expect(Object.keys(s.numLabel ?? {})).not.toContain('a.out'));
  it('a sample without labels has null label maps', () => {
    const q = decodeProfile(miniProfile());
    expect([q.sample[0].label, q.sample[0].numLabel, q.sample[0].numUnit]).toEqual([null, null, null]);
  });
});

describe('64-bit values', () => {
  it('negative int64 values (10-byte varints) decode exactly', () => {
    const p = decodeProfile(miniProfile({ samples: [{ loc: [1], val: [-1, -123456789012n] }] }));
    expect(p.sample[0].value).toEqual([-1, -123456789012]);
    expect(p.exactValues).toBeNull();
  });
  it('values beyond 2^53 keep exact bigint copies', () => {
    const big = 2n ** 62n + 3n;
    const p = decodeProfile(
      miniProfile({
        samples: [
          { loc: [1], val: [1, big] },
          { loc: [1], val: [2, -5] },
        ],
      }),
    );
    expect(p.exactValues).toEqual([
      [1n, big],
      [2n, -5n],
    ]);
    expect(p.sample[0].value[1]).toBe(Number(big));
  });
  it('sums beyond 2^53 also keep exact copies, though each value fits', () => {
    const v = 2n ** 52n + 1n;
    const p = decodeProfile(
      miniProfile({
        samples: [
          { loc: [1], val: [1, v] },
          { loc: [1], val: [1, v] },
        ],
      }),
    );
    expect(p.exactValues).toEqual([
      [1n, v],
      [1n, v],
    ]);
  });
  it('unsigned 64-bit addresses and mapping bounds stay exact', () => {
    const p = decodeProfile(
      miniProfile({
        mappings: [{ id: 1, start: 0xffffffffff600000n, limit: 0xffffffffff601000n }],
        locations: [{ id: 1, mapping: 1, address: 0xffffffffff600123n, lines: [{ fn: 1 }] }],
      }),
    );
    expect(p.mapping[0].limit).toBe(0xffffffffff601000n);
    expect(p.location[0].address).toBe(0xffffffffff600123n);
  });
  it('time_nanos keeps all digits', () => {
    expect(decodeProfile(miniProfile({ timeNanos: 1763700000123456789n })).timeNanos).toBe(1763700000123456789n);
  });
});

describe('concatenated profiles', () => {
  it('two protos in one file (time_nanos twice)', () => {
    const one = miniProfile({ timeNanos: 1700000000000000000n });
    expectRejected(concat(one, one), 'malformed', /concatenated profiles detected/);
  });
  it('two gzip members', async () => {
    const { gzipSync } = await import('node:zlib');
    const one = gzipSync(miniProfile({ timeNanos: 1700000000000000000n }));
    expectRejected(concat(one, one), 'malformed', /concatenated profiles detected/);
  });
});

describe('the reference decoder agrees on what it can check', () => {
  // protobufjs does not know pprof's rules, but reference-decoder.ts adds the ones that
  // need resolved ids; both must refuse these inputs.
  const bad: Record<string, Uint8Array> = {
    'nil function': miniProfile({ locations: [{ id: 1, lines: [{ fn: 42 }] }] }),
    'nil location': miniProfile({ samples: [{ loc: [5], val: [1, 1] }] }),
    'value count': miniProfile({ samples: [{ loc: [1], val: [1] }] }),
    'string index': miniProfile({ functions: [{ id: 1, name: 500 }] }),
    'duplicate location': miniProfile({ locations: [{ id: 1 }, { id: 1 }] }),
  };
  for (const [name, bytes] of Object.entries(bad)) {
    it(name, () => {
      expect(() => decodeProtoReference(bytes)).toThrow(ProfileDecodeError);
      expect(decodeError(bytes).kind).toBe('malformed');
    });
  }
});

describe('mutated real profiles never crash the decoder', () => {
  it('3000 seeded byte mutations of sample.cpu decode or fail with ProfileDecodeError', async () => {
    const { readFileSync } = await import('node:fs');
    const { gunzipSync } = await import('node:zlib');
    const base = gunzipSync(readFileSync(CORPUS_DIR + '/google-pprof/internal/report/testdata/sample.cpu'));
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const b = Uint8Array.from(base);
      const edits = 1 + rand(4);
      for (let e = 0; e < edits; e++) b[rand(b.length)] = rand(256);
      const cut = rand(10) === 0 ? rand(b.length) : b.length;
      try {
        decodeProfile(b.subarray(0, cut));
      } catch (err) {
        if (!(err instanceof ProfileDecodeError)) throw new Error(`mutation ${i} crashed: ${String(err)}`);
        rejected++;
      }
    }
    // Most random edits break some rule; the check is that every failure is a clean one.
    expect(rejected).toBeGreaterThan(100);
  });
});

describe('mutated legacy text never crashes the decoder', () => {
  it('2000 seeded edits of Go debug=1 and gperftools texts', async () => {
    const { readFileSync } = await import('node:fs');
    const texts = [
      'tests/fixtures/decode/go-text/heap.txt',
      'tests/fixtures/decode/go-text/mutex.txt',
      'tests/fixtures/decode/go-text/goroutine.txt',
      CORPUS_DIR + '/google-pprof/profile/testdata/cppbench.contention',
      CORPUS_DIR + '/google-pprof/profile/testdata/cppbench.heap',
      CORPUS_DIR + '/google-pprof/profile/testdata/cppbench.thread',
      CORPUS_DIR + '/google-pprof/profile/testdata/java.heap',
      CORPUS_DIR + '/google-pprof/profile/testdata/java.contention',
    ].map((f) => readFileSync(f, 'latin1'));
    const alphabet = ' 0123456789abcdefx@:[]-=\n#/';
    let seed = 777;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    let read = 0;
    for (let i = 0; i < 2000; i++) {
      const t = texts[i % texts.length].split('');
      for (let e = 0; e < 1 + rand(5); e++) t[rand(t.length)] = alphabet[rand(alphabet.length)];
      try {
        decodeProfile(Buffer.from(t.join(''), 'latin1'));
        read++;
      } catch (err) {
        if (!(err instanceof ProfileDecodeError)) throw new Error(`edit ${i} crashed: ${String(err)}`);
      }
    }
    expect(read).toBeGreaterThan(0);
  });
});

describe('mutated binary CPU profiles never crash the decoder', () => {
  it.each([
    ['gobench.cpu', 40],
    ['java.cpu', 20],
  ])('2000 seeded byte edits of %s', async (name, headerBytes) => {
    const { readFileSync } = await import('node:fs');
    const base = readFileSync(CORPUS_DIR + '/google-pprof/profile/testdata/' + name);
    let seed = 99;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    let read = 0;
    for (let i = 0; i < 2000; i++) {
      const b = Uint8Array.from(base);
      // Keep the header so the file is still recognised as a CPU profile.
      for (let e = 0; e < 1 + rand(4); e++) b[headerBytes + rand(b.length - headerBytes)] = rand(256);
      try {
        decodeProfile(b.subarray(0, rand(8) === 0 ? headerBytes + rand(b.length - headerBytes) : b.length));
        read++;
      } catch (err) {
        if (!(err instanceof ProfileDecodeError)) throw new Error(`edit ${i} crashed: ${String(err)}`);
      }
    }
    expect(read).toBeGreaterThan(0);
  });
});
