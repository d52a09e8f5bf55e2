// The encoder is the decoder's inverse: every sample profile survives decode -> encode ->
// decode unchanged, and `go tool pprof` reads what we write with the same numbers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../server/src/decode/index.js';
import { encodeProfile, encodeProfileGzip } from '../../server/src/encode/pprof.js';
import { profileDifference } from '../fixtures/decode/compare.js';

const ROOT = join(import.meta.dirname, '..', '..');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.pb.gz')) out.push(p);
  }
  return out;
}

const files = walk(join(ROOT, 'samples')).sort();

function goBin(): string {
  return execFileSync('bash', [join(ROOT, 'scripts/ensure-go.sh')], { encoding: 'utf8' }).trim();
}

describe('encodeProfile', () => {
  it('finds the sample profiles', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of files) {
    it(`round-trips ${relative(ROOT, file)}`, { timeout: 60_000 }, () => {
      const original = decodeProfile(readFileSync(file));
      const again = decodeProfile(encodeProfile(original));
      expect(profileDifference(again, original)).toBeNull();
    });
  }

  it('keeps values beyond 2^53 and negative values exact', () => {
    const base = decodeProfile(readFileSync(files[0]!));
    const big = 2n ** 60n + 7n;
    const exactValues = base.sample.map((s, i) => s.value.map((_, j) => (i === 0 && j === 0 ? big : i === 1 && j === 0 ? -big : 1n)));
    const p = { ...base, sample: base.sample, exactValues };
    const again = decodeProfile(encodeProfile(p));
    expect(again.exactValues?.[0]?.[0]).toBe(big);
    expect(again.exactValues?.[1]?.[0]).toBe(-big);
  });

  it('writes gzip that go tool pprof reads with the same numbers', { timeout: 120_000 }, () => {
    const go = goBin();
    const dir = mkdtempSync(join(tmpdir(), 'encode-'));
    for (const file of files.filter((f) => /heap|cpu|goroutine|contention/.test(f)).slice(0, 4)) {
      const out = join(dir, 'copy.pb.gz');
      writeFileSync(out, encodeProfileGzip(decodeProfile(readFileSync(file))));
      const top = (f: string) =>
        execFileSync(go, ['tool', 'pprof', '-top', '-nodecount=30', f], { encoding: 'utf8' })
          .split('\n')
          .filter(
            (l) =>
              !l.startsWith('File:') &&
              !l.startsWith('Type:') &&
              !l.startsWith('Time:') &&
              !l.startsWith('Duration:') &&
              !l.startsWith('Build ID:'),
          )
          .join('\n');
      const want = top(file);
      expect(want).toMatch(/flat%/);
      expect(top(out)).toBe(want);
    }
  });
});
