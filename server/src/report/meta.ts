// ProfileMeta: header facts and the profile kind (cpu, heap, ...).
import type { Profile } from '../model/profile.js';
import type { ProfileKind, ProfileMeta } from '../../../contract/views.js';
import { baseName } from '../analysis/paths.js';
import { sampleIndexByName } from '../analysis/sampleindex.js';

export function detectKind(p: Profile): ProfileKind {
  const types = p.sampleType.map((t) => t.type);
  const has = (...t: string[]): boolean => t.every((x) => types.includes(x));
  const period = p.periodType?.type ?? '';
  if (has('samples', 'cpu') || period === 'cpu') return 'cpu';
  // Go writes heap and allocs profiles with the same four types; only the default differs.
  if (has('alloc_space') && p.defaultSampleType.startsWith('alloc_')) return 'allocs';
  if (has('inuse_space') || has('inuse_objects')) return 'heap';
  if (has('alloc_space') || has('alloc_objects')) return 'allocs';
  if (has('goroutine') || period === 'goroutine') return 'goroutine';
  if (has('threadcreate') || period === 'threadcreate') return 'threadcreate';
  if (has('contentions', 'delay')) return contentionKind(p, types.indexOf('delay'));
  if (has('space') || has('objects')) return 'heap';
  return 'other';
}

/**
 * Mutex and block profiles share types and period; they differ in where samples end:
 * the mutex profile records at unlock (sync.(*Mutex).Unlock, runtime.unlock, ...),
 * the block profile where goroutines waited (chanrecv, Wait, Lock, select).
 */
function contentionKind(p: Profile, delayIdx: number): ProfileKind {
  let unlock = 0;
  let total = 0;
  for (const s of p.sample) {
    const v = Math.abs(s.value[delayIdx] ?? 0);
    total += v;
    const leaf = s.location[0];
    const name = leaf?.line[0]?.function?.name ?? '';
    if (/[Uu]nlock$|_LostContendedRuntimeLock/.test(name)) unlock += v;
  }
  return total > 0 && unlock * 2 >= total ? 'mutex' : 'block';
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
    // The count alone need not build the decoder's lazy per-sample objects.
    sampleCount: p.columns?.n ?? p.sample.length,
    comments: p.comments.slice(),
    dropFrames: p.dropFrames,
    keepFrames: p.keepFrames,
    docUrl: p.docUrl,
    mainBinary: p.mapping.length > 0 && p.mapping[0].file !== '' ? baseName(p.mapping[0].file) : '',
    kind: detectKind(p),
  };
}
