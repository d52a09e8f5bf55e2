// Mutex and block profiles (contentions/count, delay/nanoseconds). Mutex profiles charge
// the delay to the Unlock that ended the critical section; block profiles to the Lock
// (or channel operation) that waited. Runtime-internal lock waits are never the user's.
import { exactName } from '../../../../contract/go-regexp.js';
import { LOCK_WAIT, MUTEX_UNLOCK, RUNTIME_LOCK } from '../patterns.js';
import type { Rule, RuleInput } from './common.js';
import { SiteTable, finding, highlightFor, nameList, pct, severityFor, shq, where } from './common.js';

/** A site must hold this share of the delay (user-attributable delay for mutex profiles). */
export const MUTEX_SITE_SHARE = 0.2;
export const MUTEX_MIN_TOTAL_SHARE = 0.05;
export const BLOCK_LOCK_SHARE = 0.1;

/** The sync package's own frames between a Lock/Unlock and its caller. */
const SYNC_FRAME = /^(internal\/)?sync\./;

function collect(input: RuleInput, leaf: RegExp): { table: SiteTable; runtime: number; leaves: Set<string> } {
  const table = new SiteTable();
  const leaves = new Set<string>();
  let runtime = 0;
  for (const s of input.samples) {
    if (!s.frames.length || s.profiler) continue;
    if (RUNTIME_LOCK.test(s.frames[0].name)) {
      runtime += s.value;
      continue;
    }
    // The sync frames sit at the leaf (often inlined); look through the first few.
    let hit = -1;
    for (let i = 0; i < Math.min(4, s.frames.length); i++)
      if (leaf.test(s.frames[i].name)) {
        hit = i;
        break;
      }
    if (hit < 0) continue;
    // The caller edge of the Lock/Unlock: a mutex locked inside a library (log.Logger's,
    // a connection pool's) is not the user's critical section to shorten.
    let site = hit + 1;
    while (site < s.frames.length && (s.frames[site].runtime || SYNC_FRAME.test(s.frames[site].name))) site++;
    if (site >= s.frames.length || !s.frames[site].user) continue;
    leaves.add(s.frames[hit].name);
    table.add(s.frames[site], s.value, s.count);
  }
  return { table, runtime, leaves };
}

const ADVICE =
  'Make the critical section shorter (no I/O, allocation or logging while holding the lock), split the data so goroutines take different locks (sharding), ' +
  'and replace mutex-protected counters or flags with sync/atomic (atomic.Int64, atomic.Pointer). RWMutex only helps when reads are long and writes rare.';

export const mutexHotLock: Rule = (input) => {
  const { table, runtime, leaves } = collect(input, MUTEX_UNLOCK);
  const userTotal = input.total - runtime;
  if (userTotal <= 0) return [];
  const fns = table.functions(input.total, 0).filter((f) => f.share >= MUTEX_MIN_TOTAL_SHARE && f.value / userTotal >= MUTEX_SITE_SHARE);
  if (!fns.length) return [];
  const value = fns.reduce((a, f) => a + f.value, 0);
  const share = value / input.total;
  const evidence = fns.map((f) => `${pct(f.share)} of the mutex delay is charged to the Unlock in ${where(f)}`);
  if (runtime > 0) evidence.push(`${pct(runtime / input.total)} is runtime-internal lock contention (not your mutexes)`);
  return [
    finding({
      rule: 'mutex.hot-lock',
      concept: 'atomics-vs-mutex',
      title: `Goroutines wait for the mutex released in ${fns[0].name}`,
      severity: severityFor(share, 0.5),
      confidence: 'high',
      value,
      total: input.total,
      functions: fns,
      evidence,
      advice: `The lock held in ${nameList(fns)} makes other goroutines wait (a mutex profile charges the wait to the Unlock that ends the critical section). ${ADVICE}`,
      commands: [
        `go tool pprof -sample_index=delay -list ${shq(exactName(fns[0].name))} ${input.file}`,
        `go tool pprof -sample_index=delay -top ${input.file}`,
      ],
      highlight: highlightFor(fns, leaves),
    }),
  ];
};

export const blockLockWait: Rule = (input) => {
  const { table, leaves } = collect(input, LOCK_WAIT);
  const fns = table.functions(input.total, 0.01);
  const share = input.total ? table.value / input.total : 0;
  if (share < BLOCK_LOCK_SHARE || !fns.length) return [];
  return [
    finding({
      rule: 'block.lock-wait',
      concept: 'atomics-vs-mutex',
      title: `Goroutines block on Lock in ${fns[0].name}`,
      severity: severityFor(share, 0.3),
      confidence: 'high',
      value: table.value,
      total: input.total,
      functions: fns,
      evidence: [
        `${pct(share)} of the blocking delay is spent waiting in ${[...leaves].sort().join(', ')}`,
        ...fns.map((f) => `${pct(f.share)} waiting in ${where(f)}`),
      ],
      advice: `Goroutines in ${nameList(fns)} queue up for a lock. ${ADVICE}`,
      commands: [
        `go tool pprof -sample_index=delay -list ${shq(exactName(fns[0].name))} ${input.file}`,
        `go tool pprof -sample_index=delay -top ${input.file}`,
      ],
      highlight: highlightFor(fns, leaves),
    }),
  ];
};

export const contentionRules: Rule[] = [mutexHotLock, blockLockWait];
