// gzip handling: inflate with a cap, refuse bombs fast, report truncated/corrupt data
// clearly, and keep the event loop free in the async variant.
import { readFileSync } from 'node:fs';
import { createGzip, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_INFLATED_BYTES, decodeProfile, ProfileDecodeError } from '../../server/src/decode/index.js';
import { gunzipCapped, gunzipCappedAsync } from '../../server/src/decode/gunzip.js';
import { miniProfile } from '../fixtures/decode/pb.js';
import { CORPUS_DIR } from '../corpus.js';

const SAMPLE_CPU = CORPUS_DIR + '/google-pprof/internal/report/testdata/sample.cpu';

/** 1 GiB of zeros, gzipped by streaming 1 MiB chunks so the test never holds 1 GiB. */
async function makeBomb(): Promise<Buffer> {
  const gz = createGzip({ level: 9, memLevel: 9 });
  const chunks: Buffer[] = [];
  gz.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => gz.on('end', resolve));
  const zero = Buffer.alloc(1 << 20);
  for (let i = 0; i < 1024; i++) {
    if (!gz.write(zero)) await new Promise((resolve) => gz.once('drain', resolve));
  }
  gz.end();
  await done;
  return Buffer.concat(chunks);
}

function rejection(fn: () => unknown): ProfileDecodeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProfileDecodeError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('gzip', () => {
  let bomb: Buffer;
  beforeAll(async () => {
    bomb = await makeBomb();
  });

  it('the default cap is 1 GiB', () => {
    expect(DEFAULT_MAX_INFLATED_BYTES).toBe(1 << 30);
  });

  it('a real gzip profile inflates and decodes', () => {
    const p = decodeProfile(readFileSync(SAMPLE_CPU));
    expect(p.sample.length).toBe(76);
  });

  it('the bomb is about 1 MB', () => {
    expect(bomb.length).toBeLessThan(1_200_000);
    expect(bomb.length).toBeGreaterThan(500_000);
  });

  // How quickly the refusal comes (it stops at the cap) is measured in bench/decode.bench.ts.
  it('a gzip bomb is refused with too-large, without inflating it all', () => {
    const cap = 64 << 20;
    const err = rejection(() => decodeProfile(bomb, { maxInflatedBytes: cap }));
    expect(err.kind).toBe('too-large');
    expect(err.message).toMatch(/exceeds the limit of 67108864 bytes \(64 MiB\)/);
  });

  it('a cap smaller than the profile refuses it', () => {
    const err = rejection(() => decodeProfile(readFileSync(SAMPLE_CPU), { maxInflatedBytes: 100 }));
    expect(err.kind).toBe('too-large');
  });

  it('truncated gzip data is reported as truncated', () => {
    const gz = gzipSync(miniProfile());
    const err = rejection(() => decodeProfile(gz.subarray(0, gz.length - 6)));
    expect(err.kind).toBe('truncated');
    expect(err.message).toMatch(/gzip data is truncated/);
  });

  it('corrupt gzip data (bad CRC) is reported', () => {
    const gz = Buffer.from(gzipSync(miniProfile()));
    gz[gz.length - 6] ^= 0xff; // inside the CRC32 trailer
    const err = rejection(() => decodeProfile(gz));
    expect(err.kind).toBe('not-a-profile');
    expect(err.message).toMatch(/gzip data is corrupt: incorrect data check/);
  });

  it('only a gzip header is truncated gzip', () => {
    const err = rejection(() => decodeProfile(Uint8Array.from([0x1f, 0x8b, 0x08, 0x00])));
    expect(err.kind).toBe('truncated');
  });

  it('two gzip members inflate fully (then the concatenated-profiles rule applies)', () => {
    // Without time_nanos pprof cannot tell two profiles apart: the members decode as one
    // message whose repeated fields are appended, exactly like a single gzip of the concatenation.
    const a = miniProfile({ samples: [], locations: [], functions: [], mappings: [] });
    const b = miniProfile({ strings: [], sampleTypes: [] });
    const joined = Buffer.concat([gzipSync(a), gzipSync(b)]);
    expect(decodeProfile(joined)).toStrictEqual(decodeProfile(Buffer.concat([a, b])));
  });
});

describe('gzip off the main thread (the CLI inflates while its modules load)', () => {
  const outcome = async (f: () => Uint8Array | Promise<Uint8Array>): Promise<{ bytes?: Uint8Array; kind?: string; message?: string }> => {
    try {
      return { bytes: await f() };
    } catch (e) {
      if (!(e instanceof ProfileDecodeError)) throw e;
      return { kind: e.kind, message: e.message };
    }
  };
  const good = gzipSync(miniProfile());
  const corrupt = Buffer.from(good);
  corrupt[corrupt.length - 6] ^= 0xff;
  const cases: [string, Uint8Array, number | undefined][] = [
    ['a profile', readFileSync(SAMPLE_CPU), undefined],
    ['a cap smaller than the data', readFileSync(SAMPLE_CPU), 100],
    ['truncated data', good.subarray(0, good.length - 6), undefined],
    ['a bad CRC', corrupt, undefined],
    ['only a header', Uint8Array.from([0x1f, 0x8b, 0x08, 0x00]), undefined],
    ['two members', Buffer.concat([good, good]), undefined],
  ];
  for (const [what, input, cap] of cases) {
    it(`${what}: the same bytes or the same error as the synchronous inflate`, async () => {
      const sync = await outcome(() => gunzipCapped(input, cap));
      const async = await outcome(() => gunzipCappedAsync(input, cap));
      expect(async).toEqual(sync);
      expect(sync.bytes?.length ?? sync.kind).toBeTruthy();
    });
  }
});
