// pprof -tagroot / -tagleaf (driver addLabelNodes): every sample gets one pseudo-frame per
// listed label key, named by the sample's values of that key ("v1,v2", "" when it has
// none) with the key as its file name, above its root (first key outermost) or below its
// leaf (last key innermost). Done on the profile before any filter, as pprof does, so
// focus/hide and every view see the pseudo-frames as ordinary functions.
import type { Func, Location, Profile, Sample } from '../model/profile.js';
import { scaledLabel } from '../../../contract/format.js';

export interface LabelNodes {
  p: Profile;
  /** Whether some sample carried a -tagroot / -tagleaf key (pprof warns otherwise). */
  rootMatched: boolean;
  leafMatched: boolean;
}

const memo = new WeakMap<Profile, Map<string, LabelNodes>>();

/** Splits a -tagroot/-tagleaf value into keys, dropping empty ones (dropEmptyStrings). */
export function labelKeys(v: string | undefined): string[] {
  return (v ?? '').split(',').filter((k) => k !== '');
}

/** The profile with label pseudo-frames added (memoised per profile and arguments). */
export function addLabelNodes(p: Profile, rootKeys: string[], leafKeys: string[], outputUnit: string): LabelNodes {
  if (rootKeys.length === 0 && leafKeys.length === 0) return { p, rootMatched: false, leafMatched: false };
  const sig = JSON.stringify([rootKeys, leafKeys, outputUnit]);
  let m = memo.get(p);
  const hit = m?.get(sig);
  if (hit) return hit;
  const out = build(p, rootKeys, leafKeys, outputUnit);
  if (!m) memo.set(p, (m = new Map()));
  m.set(sig, out);
  return out;
}

function build(p: Profile, rootKeys: string[], leafKeys: string[], outputUnit: string): LabelNodes {
  let nextLoc = 1;
  for (const l of p.location) if (l.id >= nextLoc) nextLoc = l.id + 1;
  let nextFn = 1;
  for (const f of p.function) if (f.id >= nextFn) nextFn = f.id + 1;
  const location = p.location.slice();
  const functions = p.function.slice();
  const interned = new Map<string, Location>();
  const intern = (name: string, key: string): Location => {
    const id = name + '\0' + key;
    let loc = interned.get(id);
    if (loc) return loc;
    const fn: Func = { id: nextFn++, name, systemName: '', filename: key, startLine: 0 };
    functions.push(fn);
    loc = { id: nextLoc++, mapping: null, address: 0n, line: [{ function: fn, line: 0, column: 0 }], isFolded: false };
    location.push(loc);
    interned.set(id, loc);
    return loc;
  };
  let rootMatched = false;
  let leafMatched = false;
  // Keys in reverse: the first root key ends up outermost, the last leaf key innermost.
  const labelLocs = (s: Sample, keys: string[]): { locs: Location[]; match: boolean } => {
    const locs: Location[] = [];
    let match = false;
    for (let i = keys.length - 1; i >= 0; i--) {
      const values = labelValues(s, keys[i], outputUnit);
      if (values.length > 0) match = true;
      locs.push(intern(values.join(','), keys[i]));
    }
    return { locs, match };
  };
  const sample = p.sample.map((s) => {
    const roots = labelLocs(s, rootKeys);
    const leaves = labelLocs(s, leafKeys);
    if (roots.match) rootMatched = true;
    if (leaves.match) leafMatched = true;
    return { ...s, location: [...leaves.locs, ...s.location, ...roots.locs] };
  });
  const out: Profile = { ...p, sample, location, function: functions };
  return { p: out, rootMatched, leafMatched };
}

/** pprof formatLabelValues: string values, then numeric ones scaled to the output unit when they carry units. */
function labelValues(s: Sample, key: string, outputUnit: string): string[] {
  const values = [...(s.label?.[key] ?? [])];
  const nums = s.numLabel?.[key] ?? [];
  // The decoder keeps "" for an unset unit where pprof keeps no unit list at all.
  const raw = s.numUnit?.[key] ?? [];
  const units = raw.some((u) => u !== '') ? raw : [];
  if (nums.length !== units.length && units.length !== 0) return values;
  // Without units pprof formats the raw number (ScaledLabel(v, "", "")), whatever -unit says.
  nums.forEach((n, i) => values.push(units.length ? scaledLabel(n, units[i], outputUnit) : scaledLabel(n, '', '')));
  return values;
}
