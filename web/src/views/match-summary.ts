// What the flame graph's search (or a package legend click) matched, in words: the time
// of stacks passing through a match (cum) and the matching functions' own time (flat),
// within the zoomed frame and in the whole profile. A package like "runtime" is on nearly
// every stack (runtime.main), so for a package its own (flat) share leads.
import type { FlameNode } from '../../../contract/views.js';
import { quoteMeta } from '../../../contract/go-regexp.js';
import { fmtAuto, fmtPct1 } from '../fmt.js';

export interface MatchTotals {
  /** Sum of the topmost matching frames' values (a match nested in a match is counted once). */
  cum: number;
  /** Sum of the self values of every matching frame. */
  flat: number;
}

/** Totals over `node`'s subtree; `node` itself counts unless it is the profile's root. */
export function matchTotals(node: FlameNode, match: (name: string) => boolean, isRoot: boolean): MatchTotals {
  const t: MatchTotals = { cum: 0, flat: 0 };
  // An explicit stack: stacks thousands of frames deep must not overflow the call stack.
  const stack: { n: FlameNode; root: boolean; inMatch: boolean }[] = [{ n: node, root: isRoot, inMatch: false }];
  while (stack.length > 0) {
    const { n, root, inMatch } = stack.pop()!;
    const hit = !root && match(n.name);
    if (hit) {
      t.flat += Math.abs(n.self);
      if (!inMatch) t.cum += Math.abs(n.value);
    }
    for (const c of n.children) stack.push({ n: c, root: false, inMatch: inMatch || hit });
  }
  return t;
}

/** The package a legend click searches for (`^pkg\.`), or null for any other search. */
export function packageOfSearch(search: string): string | null {
  const m = /^\^(.+)\\\.$/.exec(search);
  if (!m) return null;
  const pkg = m[1]!.replace(/\\(.)/g, '$1');
  return quoteMeta(pkg) === m[1] ? pkg : null;
}

export interface MatchSummaryInput {
  unit: string;
  /** The profile's total (the flame graph root's value). */
  total: number;
  whole: MatchTotals;
  /** Set while zoomed: the zoomed frame and the totals under it. */
  zoom?: { name: string; value: number; totals: MatchTotals };
  /** Set when the search is a package's (legend click). */
  pkg?: string | null;
}

export function matchSummary(m: MatchSummaryInput): { text: string; title: string; none: boolean } {
  const { unit, total, whole, zoom } = m;
  const counted =
    'cum: samples whose stack passes through a matching frame (a match inside a match counted once). ' +
    'flat: samples in the matching functions themselves, not in what they call. ' +
    'Counted from the frames drawn: frames narrower than half a pixel are left out.';
  if (!whole.cum && !whole.flat) return { text: 'no match', title: counted, none: true };
  const part = (key: keyof MatchTotals) => {
    const all = `${fmtAuto(whole[key], unit)} · ${fmtPct1(whole[key], total)} of total`;
    if (!zoom) return all;
    const z = zoom.totals[key];
    return `${fmtAuto(z, unit)} · ${fmtPct1(z, zoom.value)} of ${zoom.name} (zoom) / ${all}`;
  };
  const text = m.pkg
    ? `package ${m.pkg}: own ${part('flat')} (flat) · on the stack ${part('cum')} (cum)`
    : `matched ${part('cum')} (cum) · own ${part('flat')} (flat)`;
  return { text, title: counted, none: false };
}
