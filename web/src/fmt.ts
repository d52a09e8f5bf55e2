// Number formatting for the UI. pprof's own rules (one unit per report, %.2f with
// half-even ties, Percentage's %5.2g) live in contract/format.ts; this
// module adapts them to the UI's needs (trimmed strings, flame-graph tooltips).
import * as pf from '../../contract/format.js';

/** A value in the report's single unit, as pprof prints it in -top ("1.20s", "512kB"). */
export function fmtIn(value: number, fromUnit: string, toUnit: string): string {
  return pf.scaledLabel(value, fromUnit, toUnit);
}

/** A value auto-scaled on its own (tooltips, headers): pprof's Label(). */
export function fmtAuto(value: number, unit: string): string {
  return pf.scaledLabel(value, unit, 'auto');
}

/** pprof's Percentage(), trimmed of its column padding. */
export function fmtPct(value: number, total: number): string {
  return pf.percentage(value, total).trim();
}

/** Short percentage for tooltips and the search summary: one decimal, like pprof's flame graph. */
export function fmtPct1(value: number, total: number): string {
  if (!total) return '0%';
  return `${Number(((100 * Math.abs(value)) / Math.abs(total)).toFixed(1))}%`;
}

export function fmtBytes(n: number): string {
  return pf.scaledLabel(n, 'bytes', 'auto');
}

export function fmtDurationNanos(ns: string): string {
  const v = Number(ns);
  if (!v) return '';
  return pf.scaledLabel(v, 'nanoseconds', 'auto');
}

export function fmtTimeNanos(ns: string): string {
  const v = Number(BigInt(ns || '0') / 1000000n);
  if (!v) return '';
  const d = new Date(v);
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}
