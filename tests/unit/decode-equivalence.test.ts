// The fast hand-written decoder must produce exactly the model the protobufjs
// reference decoder produces, on every real profile we have: the google/pprof corpus,
// the Go-version corpus and the samples/ profiles (globbed at run time, so profiles
// added later are covered too).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeProtoFast } from '../../server/src/decode/fast-decoder.js';
import { decodeProtoReference } from '../fixtures/decode/reference-decoder.js';
import { decodeProfile } from '../../server/src/decode/index.js';
import { miniProfile } from '../fixtures/decode/pb.js';
import { profileDifference } from '../fixtures/decode/compare.js';
import { CORPUS_DIR } from '../corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CORPUS = CORPUS_DIR;

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Every profile.proto file: *.pb.gz anywhere, plus the proto files without that suffix. */
function protoFiles(): string[] {
  const extra = [
    'google-pprof/internal/proftest/testdata/large.cpu',
    'google-pprof/internal/report/testdata/sample.cpu',
    'google-pprof/internal/driver/testdata/cppbench.cpu_no_samples_type',
  ].map((p) => join(CORPUS, p));
  const crashes = walk(join(CORPUS, 'google-pprof/internal/driver/testdata')).filter((p) => p.endsWith('.crash'));
  const gz = [...walk(CORPUS), ...walk(join(ROOT, 'samples'))].filter((p) => p.endsWith('.pb.gz'));
  return [...new Set([...gz, ...extra, ...crashes])].filter(existsSync).sort();
}

function inflate(b: Uint8Array): Uint8Array {
  return b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b;
}

const files = protoFiles();

describe('fast decoder equals the protobufjs reference', () => {
  it('finds the corpus', () => {
    // 46 *.pb.gz in the corpus plus large.cpu, sample.cpu, the crash file and cppbench.cpu_no_samples_type.
    expect(files.length).toBeGreaterThanOrEqual(50);
  });

  for (const file of files) {
    const name = file.startsWith(ROOT) ? relative(ROOT, file) : relative(CORPUS, file);
    it(name, { timeout: 180_000 }, () => {
      const raw = inflate(readFileSync(file));
      const fast = decodeProtoFast(raw);
      const ref = decodeProtoReference(raw);
      expect(profileDifference(fast, ref)).toBeNull();
      // And the public entry point (gzip handling included) gives the same model.
      expect(profileDifference(decodeProfile(readFileSync(file)), ref)).toBeNull();
      // Sanity: real content was decoded, so equality is not vacuous.
      expect(fast.sampleType.length).toBeGreaterThan(0);
    });
  }
});

describe('fast decoder equals the reference on crafted edge cases', () => {
  const cases: Record<string, Uint8Array> = {
    'minimal profile': miniProfile(),
    'unpacked repeated fields': miniProfile({ samples: [{ loc: [1], val: [3, 30], unpacked: true }] }),
    'labels of every kind': miniProfile({
      samples: [
        {
          loc: [1],
          val: [1, 2],
          labels: [
            { key: 7, str: 1 }, // string label
            { key: 8, num: 4096, unit: 8 }, // numeric with unit
            { key: 8, num: 5 }, // numeric, unit padded with ""
            { key: 7, num: 0 }, // num 0 without unit: dropped
            { key: 7, num: 0, unit: 8 }, // num 0 with unit: kept as numeric
          ],
        },
      ],
    }),
    'numeric label layouts alternating between samples': miniProfile({
      samples: [
        { loc: [1], val: [1, 1], labels: [{ key: 8, num: 1, unit: 8 }] },
        { loc: [1], val: [1, 2], labels: [{ key: 8, num: 2 }] },
        { loc: [1], val: [1, 3], labels: [{ key: 8, num: 3, unit: 8 }] },
        {
          loc: [1],
          val: [1, 4],
          labels: [
            { key: 8, num: 4, unit: 8 },
            { key: 7, num: 9, unit: 4 },
          ],
        },
        {
          loc: [1],
          val: [1, 5],
          labels: [
            { key: 8, num: 5, unit: 8 },
            { key: 8, num: 6, unit: 4 },
          ],
        },
        { loc: [1], val: [1, 6], labels: [{ key: 8, num: 5, unit: 8 }] },
      ],
    }),
    'negative and huge values': miniProfile({ samples: [{ loc: [1], val: [-5n, 2n ** 60n + 1n] }] }),
    'sample with no locations': miniProfile({ samples: [{ loc: [], val: [1, 1] }] }),
    'sparse ids': miniProfile({
      functions: [{ id: 1000, name: 5 }],
      locations: [{ id: 77777, mapping: 1, address: 0xffffffffffffffffn, lines: [{ fn: 1000, line: -3 }] }],
      samples: [{ loc: [77777, 77777], val: [1, 1] }],
    }),
    'ids between 2^49 and 2^53 (8-byte varints)': miniProfile({
      functions: [{ id: 2 ** 50 + 1, name: 5 }],
      locations: [{ id: 2 ** 52 + 3, lines: [{ fn: 2 ** 50 + 1 }] }],
      samples: [{ loc: [2 ** 52 + 3], val: [1, 1] }],
    }),
    'unknown mapping id on a location': miniProfile({ locations: [{ id: 1, mapping: 42, lines: [{ fn: 1 }] }] }),
    'time_nanos beyond 2^53': miniProfile({ timeNanos: 1763700000123456789n }),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    it(name, () => {
      const fast = decodeProtoFast(bytes);
      const ref = decodeProtoReference(bytes);
      expect(fast).toStrictEqual(ref);
      expect(profileDifference(fast, ref)).toBeNull();
    });
  }
});
