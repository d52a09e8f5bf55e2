// A profile with the query's filters applied, to write back as pprof: the samples the
// filters keep (focus, ignore, tagfocus, tagignore), their stacks as the filters cut them
// (hide, show, show_from, prune_from), locations with the lines that remain. All sample
// types are kept, so `go tool pprof -top` on it with the same -sample_index and
// granularity equals `go tool pprof -top -relative_percentages` with the filters on the
// original. drop_frames has been applied (removeUninteresting) and stays recorded.
import type { Func, Location, Profile, Sample } from '../model/profile.js';
import type { Query } from '../../../contract/query.js';
import { prepareQuery } from '../report/pipeline.js';

export function filteredProfile(raw: Profile, q: Query): Profile {
  // Granularity and sample type do not change which samples are kept.
  const pr = prepareQuery(raw, { ...q, granularity: undefined, sampleIndex: undefined, mean: false, relativePercentages: false });
  const p = pr.p;
  const w = pr.work;
  const newLoc = new Map<number, Location>();
  const locOf = (li: number): Location => {
    let l = newLoc.get(li);
    if (!l) {
      const orig = w.locs[li];
      l = orig.line === w.lines[li] ? orig : { ...orig, line: w.lines[li] };
      newLoc.set(li, l);
    }
    return l;
  };
  const samples: Sample[] = [];
  const exact: bigint[][] | null = p.exactValues ? [] : null;
  const cols = p.columns;
  for (let k = 0; k < w.n; k++) {
    const i = w.sampleIdx[k];
    const location: Location[] = [];
    for (let j = w.start[k]; j < w.end[k]; j++) location.push(locOf(w.buf[j]));
    const value = cols ? Array.from(cols.values.subarray(i * cols.nTypes, (i + 1) * cols.nTypes)) : p.sample[i].value.slice();
    const s = cols
      ? { location, value, label: cols.label?.[i] ?? null, numLabel: cols.numLabel?.[i] ?? null, numUnit: cols.numUnit?.[i] ?? null }
      : { ...p.sample[i], location, value };
    samples.push(s);
    if (exact) exact.push(p.exactValues![i]);
  }
  const locations = [...newLoc.values()];
  const funcs = new Set<Func>();
  for (const l of locations) for (const ln of l.line) if (ln.function) funcs.add(ln.function);
  // Mappings are kept whole (pprof keeps them): small, and they carry the binary's identity.
  return {
    ...p,
    sample: samples,
    location: locations.sort((a, b) => a.id - b.id),
    function: p.function.filter((f) => funcs.has(f)),
    mapping: p.mapping,
    exactValues: exact,
  };
}
