// pprof report.ProfileLabels + reportLabels: the header lines of text reports.
import type { Profile } from '../model/profile.js';
import { baseName } from '../analysis/paths.js';
import { label, percentage, scale } from '../../../contract/format.js';
import { formatGoTime } from './go-time.js';
import { zoneAbbreviation } from './tzabbr.js';

export function profileLabels(p: Profile, sampleType: string, sampleUnit: string, total: number, fmt: (v: number) => string): string[] {
  const out: string[] = [];
  if (p.mapping.length > 0) {
    if (p.mapping[0].file !== '') out.push('File: ' + baseName(p.mapping[0].file));
    if (p.mapping[0].buildId !== '') out.push('Build ID: ' + p.mapping[0].buildId);
  }
  for (const c of p.comments) if (!c.startsWith('#')) out.push(c);
  if (sampleType !== '') out.push('Type: ' + sampleType);
  if (p.docUrl !== '') out.push('Doc: ' + p.docUrl);
  if (p.timeNanos !== 0n) {
    const env = process.env.TZ;
    const tz = env ? env.replace(/^:/, '') : undefined;
    out.push('Time: ' + formatGoTime(p.timeNanos, tz, 'go123', (sec, offset) => zoneAbbreviation(tz, sec, offset)));
  }
  if (p.durationNanos !== 0n) {
    const dur = Number(p.durationNanos);
    const duration = label(dur, 'nanoseconds');
    const [totalNanos, totalUnit] = scale(total, sampleUnit, 'nanoseconds');
    let ratio = '';
    if (totalUnit === 'ns' && totalNanos !== 0) ratio = '(' + percentage(Math.trunc(totalNanos), dur) + ')';
    out.push(`Duration: ${duration}, Total samples = ${fmt(total)} ${ratio}`);
  }
  return out;
}

export function activeFilterLines(filters: string[]): string[] {
  if (filters.length === 0) return [];
  return ['Active filters:', ...filters.map((s) => '   ' + (Buffer.byteLength(s) > 80 ? cut80(s) + '…' : s))];
}

function cut80(s: string): string {
  // Go slices bytes: s[:80]
  const b = Buffer.from(s, 'utf8').subarray(0, 80);
  return b.toString('utf8');
}
