// drop_frames / keep_frames (pprof Profile.RemoveUninteresting -> Prune) and
// prune_from, which share the "cut the stack at a matching frame" logic.
import type { Location, Profile, Sample } from '../model/profile.js';
import { compileGoRegexp, type GoRegexp } from '../../../contract/go-regexp.js';

const RESERVED = ['(anonymous namespace)', 'operator()'];

/** pprof simplifyFunc: drop a leading "." and the argument list from the first "(" not starting a reserved name. */
export function simplifyFunc(f: string): string {
  let name = f.startsWith('.') ? f.slice(1) : f;
  let i = 0;
  while (i < name.length) {
    let hit = -1;
    let len = 0;
    for (let j = i; j < name.length; j++) {
      let found = false;
      for (const r of RESERVED) {
        if (name.startsWith(r, j)) {
          hit = j;
          len = r.length;
          found = true;
          break;
        }
      }
      if (found) break;
      if (name[j] === '(') {
        hit = j;
        len = 1;
        break;
      }
    }
    if (hit < 0) break;
    if (len === 1) {
      name = name.slice(0, hit);
      break;
    }
    i = hit + len;
  }
  return name;
}

/** pprof compiles drop_frames/keep_frames as "^(" + re + ")$". */
function anchored(src: string): GoRegexp {
  return compileGoRegexp('^(?:' + src + ')$');
}

const prepared = new WeakSet<Profile>();
const preparedFrom = new WeakMap<Profile, Profile>();

/** Applies drop_frames/keep_frames once (memoized); returns a new Profile sharing unchanged objects. */
export function removeUninteresting(p: Profile): Profile {
  if (prepared.has(p) || p.dropFrames === '') return p;
  const memo = preparedFrom.get(p);
  if (memo) return memo;
  const out = pruneProfile(p);
  preparedFrom.set(p, out);
  return out;
}

function pruneProfile(p: Profile): Profile {
  let drop: GoRegexp;
  let keep: GoRegexp | null = null;
  try {
    drop = anchored(p.dropFrames);
    if (p.keepFrames !== '') keep = anchored(p.keepFrames);
  } catch {
    return p; // pprof reports and continues without pruning
  }
  const cache = new Map<string, boolean>();
  const pruneFromHere = (s: string): boolean => {
    let r = cache.get(s);
    if (r === undefined) {
      const fn = simplifyFunc(s);
      r = drop.test(fn) && (keep === null || !keep.test(fn));
      cache.set(s, r);
    }
    return r;
  };
  const prune = new Set<Location>();
  const pruneBeneath = new Set<Location>();
  const replaced = new Map<Location, Location>();
  for (const loc of p.location) {
    let i: number;
    for (i = loc.line.length - 1; i >= 0; i--) {
      const fn = loc.line[i].function;
      if (fn && fn.name !== '' && pruneFromHere(fn.name)) break;
    }
    if (i >= 0) {
      pruneBeneath.add(loc);
      if (i === loc.line.length - 1) prune.add(loc);
      else replaced.set(loc, { ...loc, line: loc.line.slice(i + 1) });
    }
  }
  if (pruneBeneath.size === 0) {
    prepared.add(p);
    return p;
  }
  const samples: Sample[] = p.sample.map((s) => {
    let locs = s.location;
    let foundUser = false;
    for (let i = locs.length - 1; i >= 0; i--) {
      const l = locs[i];
      if (!prune.has(l) && !pruneBeneath.has(l)) {
        foundUser = true;
        continue;
      }
      if (!foundUser) continue;
      if (prune.has(l)) locs = locs.slice(i + 1);
      else locs = locs.slice(i);
      break;
    }
    let changed = locs !== s.location;
    const mapped = locs.map((l) => {
      const r = replaced.get(l);
      if (r) {
        changed = true;
        return r;
      }
      return l;
    });
    return changed ? { ...s, location: mapped } : s;
  });
  const out: Profile = {
    ...p,
    sample: samples,
    location: p.location.map((l) => replaced.get(l) ?? l),
  };
  prepared.add(out);
  return out;
}
