// Time-zone abbreviations as Go's time package prints them ("CET", "IST", "+0530"):
// read from the TZif file of the zone (TZ, else /etc/localtime), like Go does, because
// Intl only knows US abbreviations. Server-side only (reads the file system).
import { readFileSync } from 'node:fs';

interface TzInfo {
  times: number[];
  idx: number[];
  types: { off: number; dst: boolean; abbr: string }[];
  footer: string;
}

const cache = new Map<string, TzInfo | null>();

function load(file: string): TzInfo | null {
  if (cache.has(file)) return cache.get(file)!;
  let info: TzInfo | null = null;
  try {
    info = parse(readFileSync(file));
  } catch {
    info = null;
  }
  cache.set(file, info);
  return info;
}

function parse(b: Buffer): TzInfo | null {
  if (b.toString('latin1', 0, 4) !== 'TZif') return null;
  const version = b[4];
  const counts = (o: number): number[] => [0, 1, 2, 3, 4, 5].map((i) => b.readUInt32BE(o + 20 + i * 4));
  let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(0);
  let off = 44;
  let wide = false;
  if (version >= 0x32) {
    off += timecnt * 4 + timecnt + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(off);
    off += 44;
    wide = true;
  }
  const times: number[] = [];
  for (let i = 0; i < timecnt; i++) {
    times.push(wide ? Number(b.readBigInt64BE(off + i * 8)) : b.readInt32BE(off + i * 4));
  }
  off += timecnt * (wide ? 8 : 4);
  const idx: number[] = [];
  for (let i = 0; i < timecnt; i++) idx.push(b[off + i]);
  off += timecnt;
  const raw: { off: number; dst: boolean; ai: number }[] = [];
  for (let i = 0; i < typecnt; i++) raw.push({ off: b.readInt32BE(off + i * 6), dst: b[off + i * 6 + 4] === 1, ai: b[off + i * 6 + 5] });
  off += typecnt * 6;
  const chars = b.toString('latin1', off, off + charcnt);
  off += charcnt + leap * (wide ? 12 : 8) + isstd + isut;
  const types = raw.map((r) => ({ off: r.off, dst: r.dst, abbr: chars.slice(r.ai, chars.indexOf('\0', r.ai)) }));
  let footer = '';
  if (wide && b[off] === 0x0a) {
    const end = b.indexOf(0x0a, off + 1);
    if (end > off) footer = b.toString('latin1', off + 1, end);
  }
  return { times, idx, types, footer };
}

/** POSIX TZ string "CET-1CEST,M3.5.0,M10.5.0/3" -> std/dst names and the std UTC offset in seconds. */
function parseFooter(s: string): { std: string; stdOff: number; dst: string } | null {
  const name = /^(<[^>]*>|[A-Za-z]+)/;
  const m1 = name.exec(s);
  if (!m1) return null;
  let rest = s.slice(m1[0].length);
  const mo = /^([+-]?)(\d+)(?::(\d+))?(?::(\d+))?/.exec(rest);
  if (!mo) return null;
  const secs = Number(mo[2]) * 3600 + Number(mo[3] ?? 0) * 60 + Number(mo[4] ?? 0);
  const stdOff = mo[1] === '-' ? secs : -secs; // POSIX offsets are west-positive
  rest = rest.slice(mo[0].length);
  const m2 = name.exec(rest);
  const strip = (n: string): string => n.replace(/^<|>$/g, '');
  return { std: strip(m1[0]), stdOff, dst: m2 ? strip(m2[0]) : '' };
}

function zoneFile(tz: string | undefined): string {
  const dir = process.env.ZONEINFO || '/usr/share/zoneinfo';
  if (tz === undefined || tz === '') return '/etc/localtime';
  const name = tz.startsWith(':') ? tz.slice(1) : tz;
  return name.startsWith('/') ? name : `${dir}/${name}`;
}

/**
 * Go's zone abbreviation for `unixSec` in zone `tz` (TZ syntax; undefined = local),
 * given the zone's actual UTC offset then (for the POSIX rule part). null if unknown.
 */
export function zoneAbbreviation(tz: string | undefined, unixSec: number, offsetSec: number): string | null {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 'UTC';
  const info = load(zoneFile(tz));
  if (!info || info.types.length === 0) return null;
  const { times, idx, types, footer } = info;
  if (times.length === 0 || unixSec < times[0]) {
    const first = types.find((t) => !t.dst) ?? types[0];
    return first.abbr;
  }
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid] <= unixSec) lo = mid;
    else hi = mid - 1;
  }
  if (lo === times.length - 1 && footer) {
    const f = parseFooter(footer);
    if (f) return offsetSec === f.stdOff || !f.dst ? f.std : f.dst;
  }
  return types[idx[lo]].abbr;
}
