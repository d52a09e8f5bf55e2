// Goroutines with identical stacks grouped (as panicparse does): same state, same frames
// (function, file, line; arguments ignored) and same creating frame. Groups come sorted by
// size with their wait-time spread, labels and a few ids. Filters select goroutines
// before grouping; compare matches the groups of two dumps by the same signature.
import type { GoroutineGroup, GroupDelta, GroupFrame, GroupsReport } from '../../../contract/views.js';
import type { GoFrame, Goroutine } from './parse.js';
import type { GoRegexp } from '../../../contract/go-regexp.js';

export type { GoroutineGroup, GroupDelta, GroupFrame, GroupsReport };

export interface GoroutineFilter {
  /** Exact state, e.g. "chan receive". */
  state?: string;
  /** Keep goroutines blocked at least this many minutes. */
  minWait?: number;
  /** Go regexp on the creating function (`created by`). */
  creator?: GoRegexp;
  /** `key=value` (value exact) or `key` (present). */
  label?: string;
}

const frameOf = (f: GoFrame): GroupFrame => ({ func: f.func, file: f.file, line: f.line });

/** The grouping signature: state, frames and creator, arguments left out. */
export function signature(g: Goroutine): string {
  let s = g.state + '\n';
  for (const f of g.frames) s += `${f.func} ${f.file}:${f.line}\n`;
  if (g.createdBy) s += `created by ${g.createdBy.func} ${g.createdBy.file}:${g.createdBy.line}`;
  return s;
}

export function parseLabelFilter(v: string): { key: string; value: string | null } {
  const eq = v.indexOf('=');
  return eq < 0 ? { key: v, value: null } : { key: v.slice(0, eq), value: v.slice(eq + 1) };
}

export function filterGoroutines<G extends Goroutine>(gs: G[], f: GoroutineFilter): G[] {
  const label = f.label ? parseLabelFilter(f.label) : null;
  return gs.filter((g) => {
    if (f.state !== undefined && f.state !== '' && g.state !== f.state) return false;
    if (f.minWait !== undefined && g.waitMinutes < f.minWait) return false;
    if (f.creator && !(g.createdBy && f.creator.test(g.createdBy.func))) return false;
    if (label) {
      if (!(label.key in g.labels)) return false;
      if (label.value !== null && g.labels[label.key] !== label.value) return false;
    }
    return true;
  });
}

export function groupGoroutines(gs: (Goroutine & { count?: number })[]): GoroutineGroup[] {
  const bySig = new Map<string, { g: GoroutineGroup; waits: Map<number, number> }>();
  for (const g of gs) {
    const sig = signature(g);
    let e = bySig.get(sig);
    if (!e) {
      e = {
        g: {
          key: sig,
          count: 0,
          state: g.state,
          lockedToThread: 0,
          wait: { min: g.waitMinutes, max: g.waitMinutes, counts: [] },
          frames: g.frames.map(frameOf),
          createdBy: g.createdBy ? frameOf(g.createdBy) : null,
          labels: {},
          ids: [],
        },
        waits: new Map(),
      };
      bySig.set(sig, e);
    }
    const gr = e.g;
    const c = g.count ?? 1;
    gr.count += c;
    if (g.lockedToThread) gr.lockedToThread += c;
    gr.wait.min = Math.min(gr.wait.min, g.waitMinutes);
    gr.wait.max = Math.max(gr.wait.max, g.waitMinutes);
    e.waits.set(g.waitMinutes, (e.waits.get(g.waitMinutes) ?? 0) + c);
    for (const [k, v] of Object.entries(g.labels)) {
      const m = (gr.labels[k] ??= {});
      m[v] = (m[v] ?? 0) + c;
    }
    if (gr.ids.length < 10 && g.id > 0) gr.ids.push(g.id);
  }
  const out = [...bySig.values()].map(({ g, waits }) => {
    g.wait.counts = [...waits.entries()].sort((a, b) => a[0] - b[0]);
    g.ids.sort((a, b) => a - b);
    return g;
  });
  out.sort((a, b) => b.count - a.count || b.wait.max - a.wait.max || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}

export function groupsReport(all: (Goroutine & { count?: number })[], f: GoroutineFilter, panic: string | null): GroupsReport {
  const kept = filterGoroutines(all, f);
  const states: Record<string, number> = {};
  let total = 0;
  let matched = 0;
  for (const g of all) {
    states[g.state] = (states[g.state] ?? 0) + (g.count ?? 1);
    total += g.count ?? 1;
  }
  for (const g of kept) matched += g.count ?? 1;
  return { total, matched, states, groups: groupGoroutines(kept), panic };
}

/** Groups of `after` against `before` by signature, largest growth first. */
export function compareGroups(before: GoroutineGroup[], after: GoroutineGroup[]): GroupDelta[] {
  const m = new Map<string, GroupDelta>();
  for (const g of after)
    m.set(g.key, { key: g.key, state: g.state, frames: g.frames, createdBy: g.createdBy, before: 0, after: g.count, delta: g.count });
  for (const g of before) {
    const e = m.get(g.key);
    if (e) {
      e.before = g.count;
      e.delta = e.after - g.count;
    } else
      m.set(g.key, { key: g.key, state: g.state, frames: g.frames, createdBy: g.createdBy, before: g.count, after: 0, delta: -g.count });
  }
  return [...m.values()].sort((a, b) => b.delta - a.delta || b.after - a.after || (a.key < b.key ? -1 : 1));
}
