// pprof -tagfocus / -tagignore (driver compileTagFilter, parseTagFilterRange).
import type { Profile, Sample } from '../model/profile.js';
import { QueryError } from '../model/query.js';
import { scale } from '../../../contract/format.js';
import { compileGoRegexp } from '../../../contract/go-regexp.js';

/** pprof identifyNumLabelUnits: per key the first non-empty unit, else bytes for alignment/request, else the key. */
export function numLabelUnits(p: Profile): Map<string, string> {
  const units = new Map<string, string>();
  const keys = new Set<string>();
  for (const s of p.sample) {
    if (!s.numLabel) continue;
    for (const k of Object.keys(s.numLabel)) {
      keys.add(k);
      for (const u of s.numUnit?.[k] ?? []) {
        if (u === '') continue;
        if (!units.has(k)) units.set(k, u);
      }
    }
  }
  for (const k of keys) {
    if (!units.get(k)) units.set(k, k === 'alignment' || k === 'request' ? 'bytes' : k);
  }
  return units;
}

type NumFilter = (v: number, unit: string) => boolean;

function parseTagFilterRange(filter: string): NumFilter | null {
  const rx = /([+-]?[0-9]+)([A-Za-z]+)?/g;
  const ranges: RegExpExecArray[] = [];
  let m: RegExpExecArray | null;
  while (ranges.length < 2 && (m = rx.exec(filter)) !== null) ranges.push(m);
  if (ranges.length === 0) return null;
  const [scaledValue, unit] = scale(Number(ranges[0][1]), ranges[0][2] ?? '', ranges[0][2] ?? '');
  if (ranges.length === 1) {
    const match = ranges[0][0];
    if (filter === match)
      return (v, u) => {
        const [sv, su] = scale(v, u, unit);
        return su === unit && sv === scaledValue;
      };
    if (filter === match + ':')
      return (v, u) => {
        const [sv, su] = scale(v, u, unit);
        return su === unit && sv >= scaledValue;
      };
    if (filter === ':' + match)
      return (v, u) => {
        const [sv, su] = scale(v, u, unit);
        return su === unit && sv <= scaledValue;
      };
    return null;
  }
  if (filter !== ranges[0][0] + ':' + ranges[1][0]) return null;
  const [scaledValue2] = scale(Number(ranges[1][1]), ranges[1][2] ?? '', unit);
  return (v, u) => {
    const [sv, su] = scale(v, u, unit);
    return su === unit && sv >= scaledValue && sv <= scaledValue2;
  };
}

export function compileTagFilter(name: string, value: string | undefined, units: Map<string, string>): ((s: Sample) => boolean) | null {
  if (value === undefined || value === '') return null;
  let wantKey = '';
  const eq = value.indexOf('=');
  if (eq >= 0) {
    wantKey = value.slice(0, eq);
    value = value.slice(eq + 1);
  }
  const num = parseTagFilterRange(value);
  if (num) {
    const labelFilter = (vals: number[], unit: string): boolean => vals.some((v) => num(v, unit));
    if (wantKey === '') {
      return (s) => {
        if (!s.numLabel) return false;
        for (const k of Object.keys(s.numLabel)) if (labelFilter(s.numLabel[k], units.get(k) ?? '')) return true;
        return false;
      };
    }
    return (s) => {
      const vals = s.numLabel?.[wantKey];
      return vals ? labelFilter(vals, units.get(wantKey) ?? '') : false;
    };
  }
  const rfx = value.split(',').map((t) => {
    try {
      return compileGoRegexp(t);
    } catch (e) {
      throw new QueryError(`parsing ${name} regexp: ${(e as Error).message}`);
    }
  });
  if (wantKey === '') {
    return (s) => {
      for (const rx of rfx) {
        let ok = false;
        if (s.label) {
          outer: for (const k of Object.keys(s.label)) {
            for (const v of s.label[k]) {
              if (rx.test(k + ':' + v)) {
                ok = true;
                break outer;
              }
            }
          }
        }
        if (!ok) return false;
      }
      return true;
    };
  }
  return (s) => {
    const vals = s.label?.[wantKey];
    if (!vals) return false;
    for (const rx of rfx) for (const v of vals) if (rx.test(v)) return true;
    return false;
  };
}
