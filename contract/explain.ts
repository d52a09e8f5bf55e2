// Plain-language explanations of pprof's numbers, shown on hover in the web UI.
// Pure data and functions: no node imports, so web code imports this module directly.

export type ExplainKind = 'cpu' | 'heap' | 'allocs' | 'goroutine' | 'mutex' | 'block' | 'threadcreate' | 'other' | string;

const COLUMN: Record<string, string> = {
  flat: 'Value of the samples whose innermost frame is this function: what it spent in its own code, not in the functions it called.',
  'flat%': 'flat as a percentage of the whole profile total.',
  'sum%': 'Running total of flat% from the first row down to this one: how much of the profile the rows so far explain.',
  cum: 'Value of every sample in which this function appears anywhere on the stack: its own cost plus everything it called.',
  'cum%': 'cum as a percentage of the whole profile total.',
  name: 'The function (or file, line or address, depending on granularity). "(inline)" marks a call the compiler inlined into its caller.',
};

const COLUMN_BY_KIND: Record<string, Partial<Record<string, string>>> = {
  cpu: {
    flat: "CPU time spent executing this function's own code (callees excluded).",
    cum: 'CPU time spent in this function and everything it called.',
  },
  heap: {
    flat: "Memory allocated directly by this function's own statements (runtime allocator frames are hidden in Go heap profiles, so the allocating line shows up here).",
    cum: 'Memory allocated by this function and everything it called.',
  },
  allocs: {
    flat: "Memory allocated directly by this function's own statements since the program started.",
    cum: 'Memory allocated by this function and everything it called since the program started.',
  },
  goroutine: {
    flat: 'Goroutines whose innermost frame is this function (usually a runtime wait such as runtime.gopark).',
    cum: 'Goroutines that have this function anywhere on their stack.',
  },
  mutex: {
    flat: 'Lock waiting charged to this function itself. Mutex profiles charge the wait to the Unlock that ended the critical section.',
    cum: 'Lock waiting charged to this function and its callees: time other goroutines waited because of locks released here.',
  },
  block: {
    flat: 'Time goroutines spent blocked directly in this function (channel operation, select, Lock, Wait).',
    cum: 'Time goroutines spent blocked in this function or anything it called.',
  },
};

const SAMPLE_TYPE: Record<string, string> = {
  cpu: 'On-CPU time, sampled about 100 times per second per running thread. Waiting (sleep, I/O, channels, locks) is not counted.',
  samples: 'Number of profiling samples taken in this code; each CPU sample stands for one sampling period (10ms by default).',
  alloc_space: 'Bytes allocated since the program started, including memory already freed. Points at allocation churn and GC pressure.',
  alloc_objects:
    'Number of objects allocated since the program started, including freed ones. Many small allocations cost GC work even when bytes are low.',
  inuse_space: 'Bytes still reachable at the most recent garbage collection: what the program holds in memory (retention, leaks, caches).',
  inuse_objects: 'Number of objects still reachable at the most recent garbage collection.',
  space: 'Bytes allocated (legacy heap profile).',
  objects: 'Objects allocated (legacy heap profile).',
  goroutine: 'Number of goroutines with this stack at the moment the profile was taken.',
  goroutineleak: 'Goroutines the garbage collector proved can never be woken up again (Go 1.26+ experimental leak profile).',
  contentions: 'Number of times a goroutine had to wait (for a lock, or for a channel/select in block profiles).',
  delay:
    'Total time goroutines spent waiting. In mutex profiles it is charged to the Unlock that ended the critical section; in block profiles to the call that blocked.',
  threadcreate: 'Number of OS threads created from this stack.',
  wall: 'Wall-clock time: running and waiting both count.',
};

const SAMPLE_TYPE_BY_KIND: Record<string, Partial<Record<string, string>>> = {
  mutex: {
    contentions: 'Number of times a goroutine waited for a sync.Mutex or RWMutex released at this stack (scaled by the sampling fraction).',
    delay: 'Time other goroutines waited for locks released at this stack (the Unlock ends the critical section that made them wait).',
  },
  block: {
    contentions: 'Number of blocking events: channel send/receive, select, Lock, WaitGroup.Wait or Cond.Wait that had to wait.',
    delay:
      'Time goroutines spent blocked in channel operations, selects and synchronisation calls at this stack. Sleeping and I/O are not included.',
  },
  heap: {
    inuse_space: 'Bytes still reachable at the most recent garbage collection (the default view of a heap profile).',
  },
  allocs: {
    alloc_space: 'Bytes allocated since the program started (the default view of an allocs profile).',
  },
};

/** Explanation of a top-table column (flat, flat%, sum%, cum, cum%, name) for a profile kind. */
export function explainColumn(kind: ExplainKind, column: string): string {
  const key = column.trim().toLowerCase();
  return COLUMN_BY_KIND[kind]?.[key] ?? COLUMN[key] ?? '';
}

/** Explanation of a sample type name (cpu, alloc_space, delay, ...) for a profile kind. */
export function explainSampleType(kind: ExplainKind, type: string): string {
  const key = type.trim();
  return SAMPLE_TYPE_BY_KIND[kind]?.[key] ?? SAMPLE_TYPE[key] ?? '';
}

/** All known column and sample-type names (for tests and UI legends). */
export const EXPLAINED_COLUMNS: readonly string[] = Object.keys(COLUMN);
export const EXPLAINED_SAMPLE_TYPES: readonly string[] = Object.keys(SAMPLE_TYPE);

/** The maps themselves: generic text, then per-kind overrides (kind -> name -> text). */
export const COLUMN_EXPLANATIONS: Readonly<Record<string, string>> = COLUMN;
export const COLUMN_EXPLANATIONS_BY_KIND: Readonly<Record<string, Partial<Record<string, string>>>> = COLUMN_BY_KIND;
export const SAMPLE_TYPE_EXPLANATIONS: Readonly<Record<string, string>> = SAMPLE_TYPE;
export const SAMPLE_TYPE_EXPLANATIONS_BY_KIND: Readonly<Record<string, Partial<Record<string, string>>>> = SAMPLE_TYPE_BY_KIND;
