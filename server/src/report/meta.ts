// ProfileMeta: header facts and the profile kind (cpu, heap, ...).
import type { Profile } from '../model/profile.js';
import type { ProfileKind, ProfileMeta } from '../model/views.js';
import { baseName } from '../analysis/paths.js';
import { sampleIndexByName } from '../analysis/sampleindex.js';

export function detectKind(p: Profile): ProfileKind {
  const types = p.sampleType.map((t) => t.type);
  const has = (...t: string[]): boolean => t.every((x) => types.includes(x));
  const period = p.periodType?.type ?? '';
  if (has('samples', 'cpu') || period === 'cpu') return 'cpu';
  if (has('inuse_space') || has('inuse_objects')) return 'heap';
  if (has('alloc_space', 'alloc_objects') || has('alloc_space')) return 'allocs';
  if (has('goroutine') || (period === 'goroutine')) return 'goroutine';
  if (has('threadcreate') || period === 'threadcreate') return 'threadcreate';
  if (has('contentions', 'delay')) {
    // Go's mutex profile is sampled by contention count; block by delay cycles.
    const comments = p.comments.join('\n');
    if (/mutex/i.test(comments)) return 'mutex';
    if (/block/i.test(comments)) return 'block';
    // runtime/pprof: mutex profiles use period type contentions/count, block ones contentions/count too;
    // the mutex profile's period is the sampling fraction (typically small), block's is the rate in ns.
    if (p.periodType && p.periodType.type === 'contentions') return p.period <= 1000n ? 'mutex' : 'block';
    return 'mutex';
  }
  if (has('space') || has('objects')) return 'heap';
  return 'other';
}

export function profileMeta(p: Profile): ProfileMeta {
  let def = '';
  if (p.sampleType.length > 0) def = p.sampleType[sampleIndexByName(p, '')].type;
  return {
    sampleTypes: p.sampleType.map((t) => ({ ...t })),
    defaultSampleType: def,
    periodType: p.periodType ? { ...p.periodType } : null,
    period: p.period.toString(),
    timeNanos: p.timeNanos.toString(),
    durationNanos: p.durationNanos.toString(),
    sampleCount: p.sample.length,
    comments: p.comments.slice(),
    dropFrames: p.dropFrames,
    keepFrames: p.keepFrames,
    docUrl: p.docUrl,
    mainBinary: p.mapping.length > 0 && p.mapping[0].file !== '' ? baseName(p.mapping[0].file) : '',
    kind: detectKind(p),
  };
}
