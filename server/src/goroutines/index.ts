// Goroutine dumps: text -> goroutines -> groups, and the dump behind a decoded profile.
import type { Profile } from '../model/profile.js';
import type { GoroutineDump, Goroutine, GoFrame } from './parse.js';
import type { GoroutinesView } from '../../../contract/views.js';
import { compareGroups, groupsReport, type GoroutineFilter } from './group.js';

export { parseGoroutineDump, looksLikeGoroutineDump } from './parse.js';
export type { Goroutine, GoroutineDump, GoFrame } from './parse.js';
export { dumpToProfile } from './to-profile.js';
export type { GoroutineFilter } from './group.js';
export type { GoroutineGroup, GroupsReport, GroupDelta, GoroutinesView } from '../../../contract/views.js';

/** Profiles decoded from a text dump keep the parsed dump here (ids, arguments, wait times). */
const dumps = new WeakMap<Profile, GoroutineDump>();

export function rememberDump(p: Profile, d: GoroutineDump): Profile {
  dumps.set(p, d);
  return p;
}

/**
 * The goroutines behind a profile: its dump when it was decoded from one, else one record
 * per sample of a goroutine profile (protobuf or debug=1), weighted by the sample's count,
 * with no state or wait time (those profiles do not record them).
 */
export function goroutinesOf(p: Profile): { goroutines: (Goroutine & { count?: number })[]; panic: string | null; fromDump: boolean } {
  const d = dumps.get(p);
  if (d) return { goroutines: d.goroutines, panic: d.panic, fromDump: true };
  const out: (Goroutine & { count: number })[] = [];
  for (const s of p.sample) {
    const frames: GoFrame[] = [];
    for (const loc of s.location)
      for (const ln of loc.line) frames.push({ func: ln.function.name, file: ln.function.filename, line: ln.line, args: '' });
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.label ?? {})) labels[k] = v.join(',');
    out.push({
      id: 0,
      state: '',
      waitMinutes: 0,
      lockedToThread: false,
      labels,
      frames,
      createdBy: null,
      creatorGoroutine: null,
      elided: false,
      count: s.value[0] ?? 0,
    });
  }
  return { goroutines: out, panic: null, fromDump: false };
}

/** The groups of a profile's goroutines under a filter; the route adds the ids. */
export type GoroutinesBody = Omit<GoroutinesView, 'id' | 'base'>;

export function goroutinesView(p: Profile, f: GoroutineFilter, base?: Profile): GoroutinesBody {
  const g = goroutinesOf(p);
  const r = groupsReport(g.goroutines, f, g.panic);
  const view: GoroutinesBody = { ...r, fromDump: g.fromDump };
  if (base) {
    const b = goroutinesOf(base);
    view.compare = compareGroups(groupsReport(b.goroutines, f, b.panic).groups, r.groups);
  }
  return view;
}
