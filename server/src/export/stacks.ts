// The current view's call stacks, for the export formats (folded stacks, speedscope): the
// profile after the query's filters and granularity, each kept sample's stack root first
// as frame names (inlined calls expanded outermost to innermost, as the flame graph
// shows them), identical stacks merged. Frames are interned: stack entries index `frames`.
import type { Profile } from '../model/profile.js';
import type { Query } from '../../../contract/query.js';
import { buildNodeTable, printableName } from '../analysis/graph.js';
import { prepareQuery } from '../report/pipeline.js';

export interface ExportStacks {
  frames: string[];
  /** Merged stacks, root first, in order of first appearance. */
  stacks: { frames: number[]; value: number }[];
  /** Sum of the stacks' values (the shown flame graph root). */
  total: number;
  sampleType: string;
  unit: string;
  /** pprof's "Active filters" entries (key=value). */
  activeFilters: string[];
}

export function exportStacks(raw: Profile, q: Query): ExportStacks {
  const pr = prepareQuery(raw, q);
  const gran = q.granularity ?? 'functions';
  const w = pr.work;
  const table = buildNodeTable(w, { granularity: gran, noInlines: !!q.noInlines });
  // Node id -> frame index, interned on first use.
  const frameOfNode = new Int32Array(table.infos.length).fill(-1);
  const frames: string[] = [];
  const frameOf = (node: number): number => {
    let f = frameOfNode[node];
    if (f < 0) {
      const info = table.infos[node];
      const name = (gran === 'functions' || gran === 'filefunctions') && info.name !== '' ? info.name : printableName(info);
      f = frameOfNode[node] = frames.length;
      frames.push(name);
    }
    return f;
  };
  const byKey = new Map<string, number>();
  const stacks: ExportStacks['stacks'] = [];
  let total = 0;
  const sv = pr.sv.v;
  const { buf, start, end } = w;
  const path: number[] = [];
  for (let k = 0; k < w.n; k++) {
    const val = sv[k];
    if (val === 0) continue;
    path.length = 0;
    for (let j = end[k] - 1; j >= start[k]; j--) {
      const ids = table.locNodes[buf[j]];
      for (let m = ids.length - 1; m >= 0; m--) path.push(frameOf(ids[m]));
    }
    const key = path.join(',');
    const at = byKey.get(key);
    if (at === undefined) {
      byKey.set(key, stacks.length);
      stacks.push({ frames: path.slice(), value: val });
    } else {
      stacks[at].value += val;
    }
    total += val;
  }
  const st = pr.p.sampleType[pr.idx];
  return { frames, stacks, total, sampleType: st?.type ?? '', unit: st?.unit ?? '', activeFilters: pr.activeFilters };
}
