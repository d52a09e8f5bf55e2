// The fast decoder keeps samples in typed columns and builds Sample objects only when
// something reads `profile.sample`; the engine reads the columns. These tests pin that
// both routes give the same answers and that a derived profile never keeps stale columns.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { decodeProfile } from '../../server/src/decode/index.js';
import { decodeProtoReference } from '../fixtures/decode/reference-decoder.js';
import { computeFlameGraph, computeTop, profileMeta } from '../../server/src/report/index.js';
import type { Profile } from '../../server/src/model/profile.js';

const ROOT = join(import.meta.dirname, '../..');
const FILES = [
  'samples/cpu/cpu.pb.gz',
  'samples/boxing/allocs.pb.gz',
  'samples/goroutines/goroutine.pb.gz',
  'samples/contention/mutex.pb.gz',
];

/** The same profile without columns: what merge/prune produce by spreading. */
const withoutColumns = (p: Profile): Profile => ({ ...p, sample: p.sample });

describe.each(FILES)('%s', (file) => {
  const bytes = readFileSync(join(ROOT, file));

  it('decodes to columns that copies do not see, and counts samples from them', () => {
    const p = decodeProfile(bytes);
    expect(p.columns).toBeDefined();
    expect(Object.keys(p)).not.toContain('columns');
    expect(profileMeta(p).sampleCount).toBe(p.columns!.n);
    expect(p.columns!.n).toBe(p.sample.length);
  });

  it('builds the same samples as the protobufjs reference', () => {
    const p = decodeProfile(bytes);
    const ref = decodeProtoReference(gunzipSync(bytes));
    expect(p.sample.length).toBe(ref.sample.length);
    p.sample.forEach((s, k) => {
      expect(s.location.map((l) => l.id)).toEqual(ref.sample[k].location.map((l) => l.id));
      expect(s.value).toEqual(ref.sample[k].value);
      expect(s.label).toEqual(ref.sample[k].label);
      expect(s.numLabel).toEqual(ref.sample[k].numLabel);
    });
  });

  it('gives the same top and flame graph from the columns as from the Sample objects', () => {
    const p = decodeProfile(bytes);
    for (let si = 0; si < p.sampleType.length; si++) {
      for (const granularity of ['functions', 'lines'] as const) {
        const q = { sampleIndex: String(si), granularity };
        const fromColumns = computeTop(decodeProfile(bytes), q, { nodeFraction: 0 });
        const fromObjects = computeTop(withoutColumns(p), q, { nodeFraction: 0 });
        expect(fromColumns.rows).toEqual(fromObjects.rows);
        expect(fromColumns.total).toBe(fromObjects.total);
      }
      const q = { sampleIndex: String(si) };
      expect(computeFlameGraph(decodeProfile(bytes), q, { minFraction: 0 }).root).toEqual(
        computeFlameGraph(withoutColumns(p), q, { minFraction: 0 }).root,
      );
    }
  });

  it('drops the columns when samples are replaced (before or after they were built) or the profile is copied', () => {
    const p = decodeProfile(bytes);
    expect(withoutColumns(p).columns).toBeUndefined();
    const first = p.sample.slice(0, 1); // built by this read
    p.sample = first;
    expect(p.columns).toBeUndefined();
    expect(p.sample).toBe(first);
    const q = decodeProfile(bytes); // never read
    q.sample = [];
    expect(q.columns).toBeUndefined();
    expect(computeTop(q, {}, { nodeFraction: 0 }).rows).toEqual([]);
  });
});
