// profileMeta: the profile kind must match what runtime/pprof wrote, which the file
// names of the Go-version corpus and the samples record (cpu, heap, allocs, ...).
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import { profileMeta, resolveSampleIndex } from '../../server/src/report/index.js';
import { QueryError } from '../../server/src/model/query.js';
import { ROOT } from './engine-references.js';

const GOV = path.resolve(ROOT, 'tests/fixtures/corpus/go-versions');
const KINDS = ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate'];

function files(): string[] {
  const out: string[] = [];
  if (existsSync(GOV)) {
    for (const v of readdirSync(GOV)) {
      const d = path.join(GOV, v);
      if (!/^\d/.test(v) || !statSync(d).isDirectory()) continue;
      for (const f of readdirSync(d)) if (f.endsWith('.pb.gz')) out.push(path.join(d, f));
    }
  }
  for (const d of readdirSync(path.join(ROOT, 'samples'))) {
    const dir = path.join(ROOT, 'samples', d);
    if (d === 'node' || !statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir))
      if (/^(cpu|heap|allocs|goroutine|mutex|block)(\.|$)/.test(f) && f.endsWith('.pb.gz')) out.push(path.join(dir, f));
  }
  return out;
}

describe('profileMeta', () => {
  const list = files();
  it('finds Go profiles', () => expect(list.length).toBeGreaterThan(20));
  for (const f of list) {
    const expected = path.basename(f).split('.')[0];
    it(`${path.relative(path.dirname(ROOT), f)} is ${expected}`, () => {
      expect(KINDS).toContain(expected);
      const p = decodeProfile(readFileSync(f));
      const m = profileMeta(p);
      expect(m.kind).toBe(expected);
      expect(m.sampleTypes.map((t) => t.type)).toContain(m.defaultSampleType);
      expect(m.defaultSampleType).toBe(p.sampleType[resolveSampleIndex(p, '')].type);
    });
  }
  it('sample index: names, inuse_ prefix, numbers, errors', () => {
    const p = decodeProfile(readFileSync(path.join(GOV, '1.22/heap.pb.gz')));
    expect(resolveSampleIndex(p, 'alloc_space')).toBe(p.sampleType.findIndex((t) => t.type === 'alloc_space'));
    expect(resolveSampleIndex(p, '0')).toBe(0);
    expect(() => resolveSampleIndex(p, '9')).toThrow(QueryError);
    expect(() => resolveSampleIndex(p, 'nope')).toThrow(/must be one of/);
  });
});
