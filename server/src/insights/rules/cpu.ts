// Rules over CPU profiles (cpu/nanoseconds). Runtime frames are all present here, so
// each rule finds its runtime signal frame and follows its caller edge to the function
// whose own call performs it (frames.ts callSiteIndex); library callers are not the user's.
import type { FindingFunction } from '../../../../contract/insights.js';
import type { StackSample } from '../frames.js';
import { exactName } from '../../../../contract/go-regexp.js';
import { callSiteIndex, libraryEntry, userFrameIndex } from '../frames.js';
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
  /** The user's call sites that perform the operation themselves (file:line of the call). */
  table: SiteTable;
  /** Value matched, including samples with no user frame above the signal. */
  value: number;
  count: number;
  /** Value and count whose direct caller is the user's code (what `table` holds). */
  userValue: number;
  userCount: number;
  /**
   * The operation performed by library code (standard library or a dependency), keyed by
   * the library function the user's code called; its table holds the user's call sites.
   */
  library: Map<string, { value: number; callers: Set<string>; table: SiteTable }>;
  signalNames: Set<string>;
}

/**
 * cum(signal), counted once per sample at its root-most matching frame, attributed by the
 * caller edge: the function whose own call performs the operation (callSiteIndex). When that
 * caller is library code, the sample goes to the user's call into the library instead.
 */
export function matchSignal(input: RuleInput, signal: RegExp, accept?: (s: StackSample, at: number) => boolean): SignalMatch {
  const m: SignalMatch = {
    table: new SiteTable(),
    value: 0,
    count: 0,
    userValue: 0,
    userCount: 0,
    library: new Map(),
    signalNames: new Set(),
  };
  for (const s of input.samples) {
    if (isProfilerSample(s)) continue;
    // The root-most matching frame: the entry point the calling code used.
    let at = -1;
    for (let i = s.frames.length - 1; i >= 0; i--)
      if (signal.test(s.frames[i].name)) {
        at = i;
        break;
      }
    if (at < 0 || (accept && !accept(s, at))) continue;
    m.signalNames.add(s.frames[at].name);
    const c = countOf(s, input);
    m.value += s.value;
    m.count += c;
    const site = callSiteIndex(s.frames, at);
    if (site < 0) continue;
    if (s.frames[site].user) {
      m.userValue += s.value;
      m.userCount += c;
      m.table.add(s.frames[site], s.value, c);
      continue;
    }
    const lib = libraryEntry(s.frames, site);
    if (!lib) continue;
    const key = s.frames[lib.entry].name;
    let e = m.library.get(key);
    if (!e) m.library.set(key, (e = { value: 0, callers: new Set(), table: new SiteTable() }));
    e.value += s.value;
    e.callers.add(s.frames[site].name);
    e.table.add(s.frames[lib.user], s.value, c);
  }
  return m;
}

/** One line saying how much of the operation happens inside libraries (not the user's own code). */
function libraryNote(input: RuleInput, m: SignalMatch, what: string): string[] {
  const libValue = [...m.library.values()].reduce((a, e) => a + e.value, 0);
  if (libValue <= 0 || !input.total) return [];
  const top = [...m.library.entries()].sort((a, b) => b[1].value - a[1].value)[0];
  const callers = [...top[1].callers].sort().slice(0, 3).join(', ');
  return [
    `${pct(libValue / input.total)} more ${what} happens inside library code (most under ${top[0]}, called by ${callers}) and is not counted here: those call sites are not yours`,
  ];
}

function enoughSamples(input: RuleInput, matchedCount: number): boolean {
  const totalCount = input.hasCounts ? input.samples.reduce((a, s) => a + s.count, 0) : input.samples.length;
  return totalCount >= CPU_MIN_TOTAL_SAMPLES && matchedCount >= CPU_MIN_MATCHED_SAMPLES;
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
  commands: (fn: string, input: RuleInput) => string[];
  confidence?: 'high' | 'medium' | 'low';
}): Rule {
  return (input) => {
    const m = matchSignal(input, opts.signal, opts.accept);
    // Only operations the user's own code performs: growth inside regexp is not an append
    // the user can preallocate (library-caused work is cpu.library-hotspot's subject).
    const share = input.total ? m.userValue / input.total : 0;
    if (share < opts.infoAt || !enoughSamples(input, m.userCount)) return [];
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
        value: m.userValue,
        total: input.total,
        functions: fns,
        evidence: [
          `${pct(share)} of CPU time is in ${opts.what} (${[...m.signalNames].sort().join(', ')}) called directly by your code`,
          ...fns.map((f) => `${pct(f.share)} called at ${where(f)}`),
          ...libraryNote(input, m, opts.what),
        ],
        advice: opts.advice(nameList(fns)),
        commands: opts.commands(top.name, input),
        highlight: highlightFor(fns, m.signalNames),
      }),
    ];
  };
}

const listCmd = (fn: string, input: RuleInput) => `go tool pprof -list ${shq(exactName(fn))} ${input.file}`;
const peekCmd = (re: string, input: RuleInput) => `go tool pprof -peek ${shq(re)} ${input.file}`;
/** Commands that need another profile of the same program say how to fetch it first. */
const fetchCmd = (endpoint: string) => `curl -s -o ${endpoint}.pb.gz 'http://localhost:6060/debug/pprof/${endpoint}'`;

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
  commands: (fn, input) => [listCmd(fn, input), peekCmd('^runtime\\.growslice$', input)],
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
  commands: (fn, input) => [listCmd(fn, input)],
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
  commands: (fn, input) => [listCmd(fn, input)],
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
  commands: (fn, input) => [listCmd(fn, input), peekCmd('^fmt\\.Sprintf$', input)],
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
  commands: (fn, input) => [listCmd(fn, input), `go build -gcflags=-m ./... 2>&1 | grep 'escapes to heap'`],
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
  commands: () => [fetchCmd('mutex'), `go tool pprof -sample_index=delay -top mutex.pb.gz`],
  confidence: 'medium',
});

/** A user function and, when the work happens inside a library it called, that library function. */
interface Attributed {
  fn: FindingFunction;
  via: string;
}

/** The user's own call sites and the user's calls into libraries, largest first. */
function attributed(input: RuleInput, m: SignalMatch, limit = 5): Attributed[] {
  const out: Attributed[] = m.table.functions(input.total).map((fn) => ({ fn, via: '' }));
  for (const [entry, e] of m.library) for (const fn of e.table.functions(input.total)) out.push({ fn, via: entry });
  out.sort((a, b) => b.fn.value - a.fn.value || a.fn.name.localeCompare(b.fn.name));
  return out.slice(0, limit);
}

function describeSite(a: Attributed): string {
  return a.via ? `${pct(a.fn.share)} inside ${a.via}, called from ${where(a.fn)}` : `${pct(a.fn.share)} allocated by ${where(a.fn)} itself`;
}

/** Functions of a finding: one entry per user function (the first, largest, line wins). */
function uniqueFns(list: Attributed[], total: number): FindingFunction[] {
  const seen = new Map<string, FindingFunction>();
  for (const a of list) {
    const prev = seen.get(a.fn.name);
    if (prev) prev.value += a.fn.value;
    else seen.set(a.fn.name, { ...a.fn });
  }
  return [...seen.values()].map((f) => ({ ...f, share: total ? f.value / total : 0 }));
}

/** Allocation itself (mallocgc and friends): the umbrella for every heap rule. */
export const cpuAllocation: Rule = (input) => {
  const m = matchSignal(input, ALLOC_CORE);
  const share = input.total ? m.value / input.total : 0;
  if (share < 0.1 || !enoughSamples(input, m.count)) return [];
  const sites = attributed(input, m);
  if (!sites.length) return [];
  const fns = uniqueFns(sites, input.total);
  const top = sites[0];
  return [
    finding({
      rule: 'cpu.allocation',
      concept: 'stack-vs-heap',
      related: ['escape-analysis', 'garbage-collector'],
      title: top.via
        ? `Heap allocation is a large CPU cost, most of it inside ${top.via} (called from ${top.fn.name})`
        : `Heap allocation is a large CPU cost, most of it from ${top.fn.name}`,
      severity: severityFor(share, 0.25),
      confidence: 'high',
      value: m.value,
      total: input.total,
      functions: fns,
      evidence: [`${pct(share)} of CPU time is in heap allocation (${[...m.signalNames].sort().join(', ')})`, ...sites.map(describeSite)],
      advice: top.via
        ? `Allocation is paid twice: once in mallocgc and again when the GC marks and sweeps. Most of it happens inside library code that ${top.fn.name} calls (${top.via}): call it less often, reuse its results, or use a variant of its API that appends into a buffer you keep.`
        : `Allocation is paid twice: once in mallocgc and again when the GC marks and sweeps. Find what ${nameList(fns)} allocates with the allocs profile and keep short-lived values on the stack (see escape analysis).`,
      commands: [fetchCmd('allocs'), `go tool pprof -sample_index=alloc_space -top allocs.pb.gz`, listCmd(top.fn.name, input)],
      highlight: highlightFor(fns, [...m.signalNames, ...sites.map((a) => a.via).filter(Boolean)]),
    }),
  ];
};

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
  if (share < 0.1 || !enoughSamples(input, count)) return [];
  // Who allocates: the call sites of mallocgc and friends (or the user's calls into the
  // library that allocates).
  const alloc = matchSignal(input, ALLOC_CORE);
  const allocSites = attributed(input, alloc);
  const allocFns = uniqueFns(allocSites, input.total);
  const fns = allocFns.length ? allocFns : table.functions(input.total);
  const greenTea = input.samples.some((s) => s.frames.some((f) => /^runtime\.(scanSpan|tryDeferToSpanScan)$/.test(f.name)));
  const evidence = [
    `${pct(share)} of CPU time is garbage-collector work`,
    ...[...parts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${pct(v / input.total)} ${k}`),
  ];
  if (assist > 0) evidence.push(`mark assists (${pct(assist / input.total)}) mean allocating goroutines were drafted to help the GC`);
  if (alloc.value > 0) evidence.push(`${pct(alloc.value / input.total)} of CPU time is in the allocator (mallocgc and friends)`);
  for (const a of allocSites) evidence.push(describeSite(a));
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
        fetchCmd('allocs'),
        `go tool pprof -sample_index=alloc_space -top allocs.pb.gz`,
        `GODEBUG=gctrace=1 ${input.program} 2>&1 | head -20`,
        `GOGC=200 ${input.program}`,
      ],
      highlight:
        highlightFor(fns, [...names, ...allocSites.map((a) => a.via).filter(Boolean)]) ||
        [GC_BG, GC_ASSIST, GC_DRAIN, GC_MARK, GC_SWEEP, GC_WB, GC_PHASE].map((r) => r.source).join('|'),
    }),
  ];
};

export const cpuRules: Rule[] = [cpuGcPressure, cpuAllocation, cpuSliceGrowth, cpuMapGrowth, cpuConcat, cpuSprintf, cpuBoxing, cpuLockSpin];
