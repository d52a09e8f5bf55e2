// A goroutine dump as a pprof goroutine profile (sample type goroutine/count), so every
// view (flame graph, top, tags, filters, insights) reads it: one sample per group of
// identical stacks, the `created by` frame as the root, and labels `state`, `created by`
// (strings) and `wait` (numeric, minutes) beside the goroutine's own labels. Goroutines
// that differ only in labels or wait time are separate samples, so -tagfocus can pick them.
import type { Func, Location, Profile, Sample } from '../model/profile.js';
import type { GoFrame, GoroutineDump } from './parse.js';

export function dumpToProfile(d: GoroutineDump): Profile {
  const functions: Func[] = [];
  const locations: Location[] = [];
  const fnByKey = new Map<string, Func>();
  const locByKey = new Map<string, Location>();
  const loc = (f: GoFrame): Location => {
    const lk = `${f.func}\0${f.file}\0${f.line}`;
    let l = locByKey.get(lk);
    if (l) return l;
    const fk = `${f.func}\0${f.file}`;
    let fn = fnByKey.get(fk);
    if (!fn) {
      fn = { id: functions.length + 1, name: f.func, systemName: f.func, filename: f.file, startLine: 0 };
      functions.push(fn);
      fnByKey.set(fk, fn);
    }
    l = { id: locations.length + 1, mapping: null, address: 0n, line: [{ function: fn, line: f.line, column: 0 }], isFolded: false };
    locations.push(l);
    locByKey.set(lk, l);
    return l;
  };
  const bySig = new Map<string, Sample>();
  for (const g of d.goroutines) {
    const stack = g.frames.map(loc);
    if (g.createdBy) stack.push(loc(g.createdBy));
    const label: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(g.labels)) label[k] = [v];
    label.state = [g.state];
    if (g.createdBy) label['created by'] = [g.createdBy.func];
    const sig = `${stack.map((l) => l.id).join(',')}|${g.waitMinutes}|${JSON.stringify(label)}`;
    const s = bySig.get(sig);
    if (s) {
      s.value[0]++;
      continue;
    }
    bySig.set(sig, { location: stack, value: [1], label, numLabel: { wait: [g.waitMinutes] }, numUnit: { wait: ['minutes'] } });
  }
  return {
    sampleType: [{ type: 'goroutine', unit: 'count' }],
    defaultSampleType: '',
    sample: [...bySig.values()],
    mapping: [],
    location: locations,
    function: functions,
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0n,
    durationNanos: 0n,
    periodType: { type: 'goroutine', unit: 'count' },
    period: 1n,
    comments: d.panic ? [d.panic.split('\n')[0]] : [],
    docUrl: '',
    exactValues: null,
  };
}
