// contract/format.ts against Go itself: scripts/make-references.sh runs
// scripts/format-golden/main.go, which prints Go's %.2f / %.2g / %5.2g%% for a fixed
// set of doubles (exact binary ties such as k/8 and k/64, values next to rounding
// boundaries, exponent-form magnitudes, pseudo-random values).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { goFixed, goG, percentage, scale, scaledLabel } from '../../contract/format.js';
import { REF_DIR } from './engine-references.js';

const GOLDEN = path.join(REF_DIR, 'format-go.json');

describe('Go number formatting', () => {
  const rows: { v: number; f2: string; g2: string; p5: string }[] = existsSync(GOLDEN) ? JSON.parse(readFileSync(GOLDEN, 'utf8')) : [];
  it('has Go output (run scripts/make-references.sh)', () => {
    expect(existsSync(GOLDEN), `missing ${GOLDEN}: run scripts/make-references.sh`).toBe(true);
    expect(rows.length).toBeGreaterThan(10000);
  });
  it('%.2f equals Go for every value, ties to even included', () => {
    const bad = rows.filter((r) => goFixed(r.v, 2) !== r.f2).slice(0, 5);
    expect(bad.map((r) => ({ ...r, ours: goFixed(r.v, 2) }))).toEqual([]);
    // the golden really contains exact ties that JS toFixed rounds the other way
    expect(rows.some((r) => r.v.toFixed(2) !== r.f2)).toBe(true);
  });
  it('%.2g equals Go (digits, trailing zeros, exponent form)', () => {
    const bad = rows.filter((r) => goG(r.v, 2) !== r.g2).slice(0, 5);
    expect(bad.map((r) => ({ ...r, ours: goG(r.v, 2) }))).toEqual([]);
    expect(rows.some((r) => r.g2.includes('e-'))).toBe(true);
  });
  it('Percentage below 1% uses %5.2g', () => {
    for (const r of rows) {
      if (r.v >= 1 || r.v === 0) continue;
      // percentage(v, 100) computes |v/100|*100, which can differ from v in the last bit
      const ratio = Math.abs(r.v / 100) * 100;
      if (ratio !== r.v) continue;
      expect(percentage(r.v, 100)).toBe(r.p5);
    }
  });
  it('Percentage bands: 100% band and %5.2f above 1%', () => {
    expect(percentage(9995, 10000)).toBe('  100%');
    expect(percentage(10005, 10000)).toBe('  100%');
    expect(percentage(9994, 10000)).toBe(`${goFixed(99.94, 2)}%`);
    expect(percentage(0, 0)).toBe(`${goG(0, 2).padStart(5)}%`);
    expect(percentage(-50, 100)).toBe(percentage(50, 100));
  });
});

describe('units (measurement.Scale / ScaledLabel)', () => {
  it('auto-scales memory in 1024 steps and time in 1000 steps', () => {
    expect(scale(1536, 'bytes', 'auto')).toEqual([1.5, 'kB']);
    expect(scale(1500, 'nanoseconds', 'auto')).toEqual([1.5, 'us']);
    expect(scale(90e9, 'nanoseconds', 'minimum')).toEqual([90, 's']);
  });
  it('keeps unknown units and counts raw', () => {
    expect(scale(7, 'count', 'minimum')).toEqual([7, '']);
    expect(scaledLabel(123, 'cycles', 'cycles')).toBe('123cycles');
  });
  it('drops ".00" and prints zero as 0', () => {
    expect(scaledLabel(2048, 'bytes', 'kB')).toBe('2kB');
    expect(scaledLabel(0, 'bytes', 'MB')).toBe('0');
    expect(scaledLabel(-1, 'bytes', 'MB')).toBe('0');
  });
  it('"μs" is not recognized (3 UTF-8 bytes lose their trailing s)', () => {
    expect(scale(5, 'μs', 'auto')).toEqual([5, '']);
  });
});
