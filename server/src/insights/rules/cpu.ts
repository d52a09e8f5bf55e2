// Rules over CPU profiles (cpu/nanoseconds). Runtime frames are all present here, so
// each rule finds its runtime signal frame and walks up to the first user frame.
import type { StackSample } from '../frames.js';
import { exactName } from '../../../../contract/go-regexp.js';
import { userFrameIndex } from '../frames.js';
import {
  A_BOXING,
  A_CONCAT,
  A_FMT,
  A_GROWSLICE,
  A_MAP_GROW,
  ALLOC_CORE,
  FMT_ENTRY,
  GC_ASSIST,
  GC_BG,
  GC_DRAIN,
  GC_IDLE,
  GC_MARK,
  GC_PARTS,
  GC_PHASE,
  GC_SWEEP,
  GC_WB,
  LOCK_CPU,
} from '../patterns.js';
import type { Rule, RuleInput } from './common.js';
import { SiteTable, finding, highlightFor, nameList, pct, severityFor, shq, where } from './common.js';

/** Below these the numbers are sampling noise (concepts.md FP-SMALL). */
export const CPU_MIN_TOTAL_SAMPLES = 100;
export const CPU_MIN_MATCHED_SAMPLES = 20;

function countOf(s: StackSample, input: RuleInput): number {
  return input.hasCounts ? s.count : 1;
}

/** Samples whose stack holds the profiler's own work are left out of concept rules. */
function isProfilerSample(s: StackSample): boolean {
  return s.profiler;
}

export interface SignalMatch {
  table: SiteTable;
  /** Value matched, including samples with no user frame above the signal. */
  value: number;
  count: number;
  signalNames: Set<string>;
}

/** cum(signal), counted once per sample, attributed to the first user frame above it. */
export function matchSignal(input: RuleInput, signal: RegExp, accept?: (s: StackSample, at: number) => boolean): SignalMatch {
  const table = new SiteTable();
  const signalNames = new Set<string>();
  let value = 0;
  let count = 0;
  for (const s of input.samples) {
    if (isProfilerSample(s)) continue;
    // The root-most matching frame: the entry point the user's code called.
    let at = -1;
    for (let i = s.frames.length - 1; i >= 0; i--)
      if (signal.test(s.frames[i].name)) {
        at = i;
        break;
      }
    if (at < 0 || (accept && !accept(s, at))) continue;
    signalNames.add(s.frames[at].name);
    value += s.value;
    count += countOf(s, input);
    const site = userFrameIndex(s.frames, at + 1);
    if (site >= 0) table.add(s.frames[site], s.value, countOf(s, input));
  }
  return { table, value, count, signalNames };
}

function enoughSamples(input: RuleInput, m: SignalMatch): boolean {
  const totalCount = input.hasCounts ? input.samples.reduce((a, s) => a + s.count, 0) : input.samples.length;
  return totalCount >= CPU_MIN_TOTAL_SAMPLES && m.count >= CPU_MIN_MATCHED_SAMPLES;
}

/** Generic "runtime helper X reached from user function F" rule. */
function siteRule(opts: {
  rule: string;
  concept: string;
  related?: string[];
  signal: RegExp;
  accept?: (s: StackSample, at: number) => boolean;
  infoAt: number;
  warnAt: number;
  /** Title and advice for the top user function. */
  title: (fn: string) => string;
  advice: (fns: string) => string;
  what: string;
  commands: (fn: string) => string[];
  confidence?: 'high' | 'medium' | 'low';
}): Rule {
  return (input) => {
    const m = matchSignal(input, opts.signal, opts.accept);
    const share = input.total ? m.value / input.total : 0;
    if (share < opts.infoAt || !enoughSamples(input, m)) return [];
    const fns = m.table.functions(input.total);
    // Without a user function to point at, the advice has no target: stay silent.
    if (fns.length === 0) return [];
    const top = fns[0];
    return [
      finding({
        rule: opts.rule,
        concept: opts.concept,
        related: opts.related,
        title: opts.title(top.name),
        severity: severityFor(share, opts.warnAt),
        confidence: opts.confidence ?? 'high',
        value: m.value,
        total: input.total,
        functions: fns,
        evidence: [
          `${pct(share)} of CPU time is in ${opts.what} (${[...m.signalNames].sort().join(', ')})`,
          ...fns.map((f) => `${pct(f.share)} reached from ${where(f)}`),
        ],
        advice: opts.advice(nameList(fns)),
        commands: opts.commands(top.name),
        highlight: highlightFor(fns, m.signalNames),
      }),
    ];
  };
}

const listCmd = (fn: string) => `go tool pprof -list ${shq(exactName(fn))} cpu.pb.gz`;
const peekCmd = (re: string) => `go tool pprof -peek ${shq(re)} cpu.pb.gz`;

export const cpuSliceGrowth = siteRule({
  rule: 'cpu.slice-growth',
  concept: 'preallocation',
  related: ['slice-internals'],
  signal: A_GROWSLICE,
  infoAt: 0.03,
  warnAt: 0.08,
  what: 'slice growth',
  title: (fn) => `append keeps growing a slice in ${fn}`,
  advice: (fns) =>
    `Preallocate the slice in ${fns}: when the final length is known or can be estimated, create it with make([]T, 0, n) (or slices.Grow) so append never has to copy the backing array again.`,
  commands: (fn) => [listCmd(fn), peekCmd('runtime\\.growslice')],
});

export const cpuMapGrowth = siteRule({
  rule: 'cpu.map-growth',
  concept: 'preallocation',
  signal: A_MAP_GROW,
  infoAt: 0.03,
  warnAt: 0.08,
  what: 'map growth (rehashing into a bigger table)',
  title: (fn) => `A map keeps growing in ${fn}`,
  advice: (fns) =>
    `Give the map in ${fns} a size hint: make(map[K]V, n) with the expected number of keys builds the table once instead of doubling and rehashing it as it fills.`,
  commands: (fn) => [listCmd(fn)],
});

export const cpuConcat = siteRule({
  rule: 'cpu.string-concat',
  concept: 'strings-builder',
  signal: A_CONCAT,
  infoAt: 0.03,
  warnAt: 0.08,
  what: 'string concatenation',
  title: (fn) => `String concatenation with + in ${fn}`,
  advice: (fns) =>
    `Build the string in ${fns} with a strings.Builder (call Grow first when you can estimate the size) or strings.Join, instead of s += x, which copies the whole string every time.`,
  commands: (fn) => [listCmd(fn)],
});

export const cpuSprintf = siteRule({
  rule: 'cpu.sprintf',
  concept: 'sprintf-vs-strconv',
  related: ['interface-boxing'],
  signal: A_FMT,
  // Only formatting the user calls directly (fmt.Sprintf & co.), not fmt used by a library.
  accept: (s, at) => {
    for (let i = at; i >= 0; i--) if (FMT_ENTRY.test(s.frames[i].name)) return userFrameIndex(s.frames, i + 1) === i + 1;
    return false;
  },
  infoAt: 0.03,
  warnAt: 0.08,
  what: 'fmt formatting',
  title: (fn) => `fmt formatting on a hot path in ${fn}`,
  advice: (fns) =>
    `In ${fns}, replace fmt.Sprintf with strconv.AppendInt / AppendQuote / append into a reused []byte (or strconv.Itoa for a single number). fmt parses the format string, boxes every argument into an interface and allocates the result each call.`,
  commands: (fn) => [listCmd(fn), peekCmd('^fmt\\.Sprintf$')],
});

export const cpuBoxing = siteRule({
  rule: 'cpu.interface-boxing',
  concept: 'interface-boxing',
  related: ['escape-analysis'],
  signal: A_BOXING,
  infoAt: 0.02,
  warnAt: 0.05,
  what: 'interface conversions that allocate',
  title: (fn) => `Values are boxed into interfaces in ${fn}`,
  advice: (fns) =>
    `In ${fns}, values are stored in an interface (any, error, fmt arguments, map[string]any) and have to be copied to the heap. Keep hot paths on concrete types or generics, or pass pointers to long-lived values.`,
  commands: (fn) => [listCmd(fn), `go build -gcflags=-m ./... 2>&1 | grep 'escapes to heap'`],
});

export const cpuLockSpin = siteRule({
  rule: 'cpu.lock-contention',
  concept: 'atomics-vs-mutex',
  signal: LOCK_CPU,
  // Only the user's sync.Mutex/RWMutex: runtime.lock2 under mallocgc is the allocator's own lock.
  accept: (s, at) => /^(internal\/)?sync\./.test(s.frames[at].name),
  infoAt: 0.05,
  warnAt: 0.1,
  what: 'mutex locking, spinning and wake-ups',
  title: (fn) => `Contended mutex in ${fn}`,
  advice: (fns) =>
    `The locks taken in ${fns} are contended: goroutines spin and park waiting for each other. Shorten the critical section, shard the protected data, or use sync/atomic for single counters and flags. A mutex profile shows which Unlock makes others wait.`,
  commands: () => [`go tool pprof -sample_index=delay -top mutex.pb.gz`],
  confidence: 'medium',
});

/** Allocation itself (mallocgc and friends): the umbrella for every heap rule. */
export const cpuAllocation = siteRule({
  rule: 'cpu.allocation',
  concept: 'stack-vs-heap',
  related: ['escape-analysis', 'garbage-collector'],
  signal: ALLOC_CORE,
  infoAt: 0.1,
  warnAt: 0.25,
  what: 'heap allocation',
  title: (fn) => `Heap allocation is a large CPU cost, most of it from ${fn}`,
  advice: (fns) =>
    `Allocation is paid twice: once in mallocgc and again when the GC marks and sweeps. Find what ${fns} allocates with the allocs profile and keep short-lived values on the stack (see escape analysis).`,
  commands: (fn) => [`go tool pprof -sample_index=alloc_space -top allocs.pb.gz`, listCmd(fn)],
});

/** GC work: background marking, assists, sweeping, write barriers, phase changes. */
export const cpuGcPressure: Rule = (input) => {
  const table = new SiteTable();
  const parts = new Map<string, number>();
  const names = new Set<string>();
  let value = 0;
  let count = 0;
  let assist = 0;
  for (const s of input.samples) {
    if (isProfilerSample(s)) continue;
    // Idle-priority marking only uses CPUs that had nothing else to do (1.22+).
    if (s.frames.some((f) => GC_IDLE.test(f.name))) continue;
    let hit = -1;
    let part = '';
    for (let i = s.frames.length - 1; i >= 0 && hit < 0; i--) {
      for (const [label, re] of GC_PARTS)
        if (re.test(s.frames[i].name)) {
          hit = i;
          part = label;
          break;
        }
    }
    if (hit < 0) continue;
    names.add(s.frames[hit].name);
    value += s.value;
    count += countOf(s, input);
    parts.set(part, (parts.get(part) ?? 0) + s.value);
    if (part === 'mark assists' || part === 'sweeping' || part === 'write barriers') {
      // Work done on behalf of the GC inside the user's goroutine: point at its code.
      if (part === 'mark assists') assist += s.value;
      const site = userFrameIndex(s.frames, hit + 1);
      if (site >= 0) table.add(s.frames[site], s.value);
    }
  }
  const share = input.total ? value / input.total : 0;
  if (share < 0.1 || !enoughSamples(input, { table, value, count, signalNames: names })) return [];
  // Who allocates: the user frames above mallocgc and friends.
  const alloc = matchSignal(input, ALLOC_CORE);
  const allocFns = alloc.table.functions(input.total);
  const fns = allocFns.length ? allocFns : table.functions(input.total);
  const greenTea = input.samples.some((s) => s.frames.some((f) => /^runtime\.(scanSpan|tryDeferToSpanScan)$/.test(f.name)));
  const evidence = [
    `${pct(share)} of CPU time is garbage-collector work`,
    ...[...parts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${pct(v / input.total)} ${k}`),
  ];
  if (assist > 0) evidence.push(`mark assists (${pct(assist / input.total)}) mean allocating goroutines were drafted to help the GC`);
  if (alloc.value > 0) evidence.push(`${pct(alloc.value / input.total)} of CPU time is in the allocator (mallocgc and friends)`);
  for (const f of allocFns) evidence.push(`${pct(f.share)} allocating in ${where(f)}`);
  return [
    finding({
      rule: 'cpu.gc-pressure',
      concept: 'garbage-collector',
      related: ['gc-tuning', 'gctrace', 'stack-vs-heap'],
      title: `Garbage collection takes ${pct(share)} of CPU time`,
      severity: severityFor(share, 0.25),
      confidence: 'high',
      value,
      total: input.total,
      functions: fns,
      evidence,
      advice:
        `The program allocates fast enough that the GC runs often${fns.length ? `; the biggest allocators are ${nameList(fns)}` : ''}. First cut allocations (open the heap/allocs profile for the same run and sort by alloc_space). ` +
        `Then trade memory for CPU: GOGC=200 (or higher) makes cycles rarer; GOMEMLIMIT set to ~90% of the memory you can use, optionally with GOGC=off, lets the heap grow safely. Check cycle frequency with GODEBUG=gctrace=1.` +
        (greenTea ? '' : ' Go 1.26 and later enable the Green Tea collector by default, which cuts GC CPU for many programs.'),
      commands: [
        `go tool pprof -sample_index=alloc_space -top allocs.pb.gz`,
        `curl -s -o allocs.pb.gz 'http://localhost:6060/debug/pprof/allocs'`,
        `GODEBUG=gctrace=1 ./yourprogram 2>&1 | head -20`,
        `GOGC=200 ./yourprogram`,
      ],
      highlight:
        highlightFor(fns, names) || [GC_BG, GC_ASSIST, GC_DRAIN, GC_MARK, GC_SWEEP, GC_WB, GC_PHASE].map((r) => r.source).join('|'),
    }),
  ];
};

export const cpuRules: Rule[] = [cpuGcPressure, cpuAllocation, cpuSliceGrowth, cpuMapGrowth, cpuConcat, cpuSprintf, cpuBoxing, cpuLockSpin];
