// Sample labels are built on first read (server/src/decode/labels.ts). These tests pin
// that the lazily built maps equal what the protobufjs reference decoder reads, sample by
// sample, on every profile of the corpus and samples/ that has labels; that nothing is
// built before a label is read (one kind does not build the other); and that bad labels
// are still refused when the profile is decoded, not when a view first reads them.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeProtoFast } from '../../server/src/decode/fast-decoder.js';
import { ProfileDecodeError } from '../../server/src/decode/errors.js';
import { decodeProtoReference } from '../fixtures/decode/reference-decoder.js';
import { miniProfile } from '../fixtures/decode/pb.js';
import { CORPUS_DIR } from '../corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.pb.gz')) out.push(p);
  }
  return out;
}

const inflate = (b: Uint8Array): Uint8Array => (b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b);

/**
 * Profiles with labels, by the decoder's labelKinds (each test then checks labelKinds
 * against the reference); the count below keeps the list from going empty by mistake.
 */
const labelled = [...walk(CORPUS_DIR), ...walk(join(ROOT, 'samples'))].sort().filter((f) => {
  const k = decodeProtoFast(inflate(readFileSync(f))).columns!.labelKinds!;
  return k.str || k.num;
});

/** Whether a data property (not the decoder's lazy getter) holds this column now. */
const built = (c: object, key: string): boolean => 'value' in Object.getOwnPropertyDescriptor(c, key)! || false;

describe('lazily built labels equal the reference decoder', () => {
  it('finds labelled profiles (string and numeric labels)', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(8);
    expect(labelled.some((f) => f.includes('largeheap'))).toBe(true);
  });

  for (const file of labelled) {
    const name = file.startsWith(ROOT) ? relative(ROOT, file) : relative(CORPUS_DIR, file);
    it(name, { timeout: 120_000 }, () => {
      const raw = inflate(readFileSync(file));
      const ref = decodeProtoReference(raw);
      const p = decodeProtoFast(raw);
      const c = p.columns!;
      const kinds = {
        str: ref.sample.some((s) => s.label !== null),
        num: ref.sample.some((s) => s.numLabel !== null),
      };
      expect(c.labelKinds).toEqual(kinds);
      expect(built(c, 'label') || built(c, 'numLabel')).toBe(false);
      // Numeric labels first: reading them must not build the string ones.
      const numLabel = c.numLabel;
      const numUnit = c.numUnit;
      expect(numLabel === null).toBe(!kinds.num);
      const label = c.label;
      expect(label === null).toBe(!kinds.str);
      // One comparison of the whole columns (per-sample expects take seconds on 280k samples).
      const json = (x: unknown): string => JSON.stringify(x);
      expect(json(ref.sample.map((s) => s.label))).toBe(json(label ?? ref.sample.map(() => null)));
      expect(json(ref.sample.map((s) => s.numLabel))).toBe(json(numLabel ?? ref.sample.map(() => null)));
      expect(json(ref.sample.map((s) => s.numUnit))).toBe(json(numUnit ?? ref.sample.map(() => null)));
      // The same maps on every read (built once), and through the Sample objects.
      expect(c.numLabel).toBe(numLabel);
      expect(json(p.sample.map((s) => s.label))).toBe(json(ref.sample.map((s) => s.label)));
    });
  }
});

describe('lazy labels', () => {
  const strings = ['', 'samples', 'count', 'cpu', 'nanoseconds', 'main.main', 'main.go', 'pid', 'bytes', 'a.out', 'v1', 'v2'];
  const profile = (labels: { key: number; str?: number; num?: number; unit?: number }[][]): Uint8Array =>
    miniProfile({ strings, samples: labels.map((l, k) => ({ loc: [1], val: [1, k], labels: l })) });

  it('builds one kind without the other, and keeps samples without labels null', () => {
    const p = decodeProtoFast(
      profile([
        [],
        [{ key: 7, str: 10 }],
        [
          { key: 8, num: 5, unit: 8 },
          { key: 7, str: 11 },
          { key: 7, str: 10 },
        ],
        [],
      ]),
    );
    const c = p.columns!;
    expect(c.labelKinds).toEqual({ str: true, num: true });
    expect(c.label).toEqual([null, { pid: ['v1'] }, { pid: ['v2', 'v1'] }, null]);
    expect(built(c, 'label')).toBe(false); // still the getter, holding what it built
    expect(c.numLabel).toEqual([null, null, { bytes: [5] }, null]);
    expect(c.numUnit).toEqual([null, null, { bytes: ['bytes'] }, null]);
  });

  it('answers null without building when no sample has a kind', () => {
    const c = decodeProtoFast(profile([[{ key: 7, str: 10 }], []])).columns!;
    expect(c.labelKinds).toEqual({ str: true, num: false });
    expect(c.numLabel).toBeNull();
    expect(c.numUnit).toBeNull();
    const none = decodeProtoFast(profile([[], []])).columns!;
    expect(none.labelKinds).toEqual({ str: false, num: false });
    expect(none.label).toBeNull();
  });

  it('replaces a column when it is assigned, as a plain property', () => {
    const c = decodeProtoFast(profile([[{ key: 7, str: 10 }]])).columns!;
    c.label = null;
    expect(c.label).toBeNull();
    expect(built(c, 'label')).toBe(true);
  });

  it('refuses bad labels when decoding, before any label is read', () => {
    const bad = [
      [{ key: 40, str: 10 }], // key out of the string table
      [{ key: 7, str: 40 }], // value out of it
      [{ key: 8, num: 1, unit: 40 }], // unit out of it
    ];
    for (const l of bad) {
      expect(() => decodeProtoFast(profile([[], l]))).toThrow(ProfileDecodeError);
      expect(() => decodeProtoFast(profile([[], l]))).toThrow(/string index 40 out of range/);
    }
  });
});
