// Rules over heap/allocs profiles. runtime/pprof strips the runtime's own frames from
// heap stacks (runtime.* always, internal/runtime/* from 1.24), so growslice, concatstrings,
// convT* and mapassign never show up there. The leaf is the allocating line of the first
// non-runtime function; what kind of allocation it was is read from the `bytes` label
// (average object size per bucket). Runtime frames are still honoured when a profile
// keeps them (hand-made converters).
import type { Finding, FindingFunction } from '../../../../contract/insights.js';
import type { Frame, StackSample } from '../frames.js';
import { exactName } from '../../../../contract/go-regexp.js';
import { memoTest } from '../frames.js';
import { A_BOXING, A_BUFFER, A_BUILDER, A_CONCAT, A_FMT, A_GROWSLICE, A_MAP_GROW, A_STRCONV, FMT_ENTRY } from '../patterns.js';
import type { Rule, RuleInput } from './common.js';
import { SiteTable, finding, highlightFor, nameList, pct, severityFor, shq, where } from './common.js';

/** Thresholds (shares of the selected sample type's total). */
export const HEAP_INFO_SHARE = 0.03;
export const HEAP_WARN_SHARE = 0.1;

interface LineGroup {
  site: Frame;
  /** Runtime frames kept below the site, when the writer did not strip them. */
  runtime: Set<string>;
  samples: StackSample[];
  value: number;
}

const isFmtEntry = memoTest(FMT_ENTRY);
const lineGroups = new WeakMap<RuleInput, LineGroup[]>();

/** Group samples by allocating line: the first non-runtime frame (file:line). Cached per input. */
function groupByLine(input: RuleInput): LineGroup[] {
  const cached = lineGroups.get(input);
  if (cached) return cached;
  const groups = new Map<Frame, LineGroup>();
  for (const s of input.samples) {
    if (s.profiler) continue;
    let i = 0;
    const runtime = new Set<string>();
    while (i < s.frames.length && s.frames[i].runtime) runtime.add(s.frames[i++].name);
    if (i >= s.frames.length) continue; // runtime-only stack (goroutine creation etc.)
    const site = s.frames[i];
    let g = groups.get(site);
    if (!g) groups.set(site, (g = { site, runtime: new Set(), samples: [], value: 0 }));
    for (const r of runtime) g.runtime.add(r);
    g.samples.push(s);
    g.value += s.value;
  }
  const out = [...groups.values()];
  lineGroups.set(input, out);
  return out;
}

/** Large enough in absolute terms: above ~4 sampling periods of bytes (FP-SMALL). */
function aboveNoise(input: RuleInput, value: number): boolean {
  if (input.sampleType.unit !== 'bytes' || input.period <= 1) return true;
  return value >= 4 * input.period;
}

export type LadderKind = 'geometric' | 'dense' | 'none';

export interface Ladder {
  kind: LadderKind;
  sizes: number[];
  /** Value of the samples that make up the ladder. */
  value: number;
}

/**
 * One allocating line seen with many object sizes is something growing: a slice or map
 * re-allocated at a bigger size (geometric steps), or a string rebuilt one piece at a time
 * (dense steps through nearly every size class).
 */
export function classifyLadder(samples: StackSample[]): Ladder {
  const bySize = new Map<number, { value: number; count: number }>();
  let objects = 0;
  for (const s of samples) {
    if (!s.bytes) continue;
    const e = bySize.get(s.bytes) ?? { value: 0, count: 0 };
    e.value += s.value;
    e.count += s.count;
    objects += s.count;
    bySize.set(s.bytes, e);
  }
  // A small object allocated on every iteration (e.g. &T{} next to the append) is not
  // part of the growth: leave out a small size that holds most of the line's objects.
  for (const [size, e] of bySize) if (size <= 256 && objects > 0 && e.count > objects / 2 && bySize.size > 1) bySize.delete(size);
  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  const value = [...bySize.values()].reduce((a, e) => a + e.value, 0);
  if (sizes.length < 3) return { kind: 'none', sizes, value };
  const ratios: number[] = [];
  for (let i = 1; i < sizes.length; i++) ratios.push(sizes[i] / sizes[i - 1]);
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const span = sizes[sizes.length - 1] / sizes[0];
  if (sizes.length >= 8 && median <= 1.2 && span >= 8) return { kind: 'dense', sizes, value };
  if (sizes.length >= 4 && median >= 1.2 && span >= 8) return { kind: 'geometric', sizes, value };
  return { kind: 'none', sizes, value };
}

function fmtBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(2)}MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(2)}kB`;
  return `${n}B`;
}

function sizeList(sizes: number[]): string {
  const shown = sizes.length > 8 ? [...sizes.slice(0, 4), NaN, ...sizes.slice(-3)] : sizes;
  return shown.map((s) => (Number.isNaN(s) ? '...' : fmtBytes(s))).join(', ');
}

function siteFn(site: Frame, value: number, total: number): FindingFunction {
  return { name: site.name, file: site.file, line: site.line, value, share: total ? value / total : 0 };
}

const listAlloc = (input: RuleInput, fn: string) =>
  `go tool pprof -sample_index=${input.sampleType.type} -list ${shq(exactName(fn))} ${input.file}`;

/** Growth at a user line: geometric ladder (or growslice / map-growth frames when kept). */
export const heapGrowth: Rule = (input) => {
  const out: Finding[] = [];
  for (const g of groupByLine(input)) {
    if (!g.site.user) continue;
    const rt = [...g.runtime];
    const slice = rt.some((n) => A_GROWSLICE.test(n));
    const map = rt.some((n) => A_MAP_GROW.test(n));
    const ladder = classifyLadder(g.samples);
    const value = slice || map ? g.value : ladder.kind === 'geometric' ? ladder.value : 0;
    const share = input.total ? value / input.total : 0;
    if (share < HEAP_INFO_SHARE || !aboveNoise(input, value)) continue;
    const what = slice ? 'slice' : map ? 'map' : 'slice or map';
    const fn = siteFn(g.site, value, input.total);
    const evidence = [`${pct(share)} of ${input.sampleType.type} at ${where(fn)}`];
    if (ladder.sizes.length >= 3)
      evidence.push(`the same line allocates ${ladder.sizes.length} different sizes growing step by step: ${sizeList(ladder.sizes)}`);
    if (rt.length) evidence.push(`runtime frames: ${rt.join(', ')}`);
    else
      evidence.push(
        'runtime.growslice / map growth frames are not in heap profiles (runtime/pprof removes them); the size ladder is the signal',
      );
    out.push(
      finding({
        rule: 'heap.slice-growth',
        concept: 'preallocation',
        related: ['slice-internals'],
        title: `A ${what} grows step by step in ${g.site.name}`,
        severity: severityFor(share, HEAP_WARN_SHARE),
        confidence: slice || map ? 'high' : 'medium',
        value,
        total: input.total,
        functions: [fn],
        evidence,
        advice:
          `Preallocate the ${what} in ${g.site.name}${g.site.line ? ` (line ${g.site.line})` : ''}: make([]T, 0, n) for a slice, make(map[K]V, n) for a map, with n the expected final size. ` +
          `Each growth step allocates a bigger array and copies everything over; the old arrays become garbage.`,
        commands: [listAlloc(input, g.site.name), `go build -gcflags=-m ./... 2>&1 | grep ':${g.site.line}:'`],
        highlight: highlightFor([fn], rt),
      }),
    );
  }
  return out;
};

/** String concatenation: a dense size ladder (or concatstrings frames when kept). */
export const heapConcat: Rule = (input) => {
  const out: Finding[] = [];
  for (const g of groupByLine(input)) {
    if (!g.site.user) continue;
    const rt = [...g.runtime].filter((n) => A_CONCAT.test(n));
    const ladder = classifyLadder(g.samples);
    const value = rt.length ? g.value : ladder.kind === 'dense' ? ladder.value : 0;
    const share = input.total ? value / input.total : 0;
    if (share < HEAP_INFO_SHARE || !aboveNoise(input, value)) continue;
    const fn = siteFn(g.site, value, input.total);
    const evidence = [`${pct(share)} of ${input.sampleType.type} at ${where(fn)}`];
    if (rt.length) evidence.push(`runtime frames: ${rt.join(', ')}`);
    else
      evidence.push(
        `the same line allocates ${ladder.sizes.length} sizes in small steps (${sizeList(ladder.sizes)}): a string rebuilt a little longer each time`,
      );
    out.push(
      finding({
        rule: 'heap.string-concat',
        concept: 'strings-builder',
        title: `A string is built with += in ${g.site.name}`,
        severity: severityFor(share, HEAP_WARN_SHARE),
        confidence: rt.length ? 'high' : 'medium',
        value,
        total: input.total,
        functions: [fn],
        evidence,
        advice: `Use a strings.Builder in ${g.site.name} (with Grow when the final size is known) or strings.Join: s += x copies the whole string into a new allocation every time, so the cost grows with the square of the length.`,
        commands: [listAlloc(input, g.site.name)],
        highlight: highlightFor([fn], rt),
      }),
    );
  }
  return out;
};

/** Allocations inside a standard-library helper, attributed to the user function that called it. */
function stdlibLeafRule(opts: {
  rule: string;
  concept: string;
  related?: string[];
  leaf: RegExp;
  infoAt: number;
  title: (fn: string) => string;
  advice: (fns: string, leaves: string) => string;
  commands: (input: RuleInput, fn: string) => string[];
}): Rule {
  const isLeaf = memoTest(opts.leaf);
  return (input) => {
    const table = new SiteTable();
    const leaves = new Set<string>();
    for (const s of input.samples) {
      if (s.profiler) continue;
      let i = 0;
      while (i < s.frames.length && s.frames[i].runtime) i++;
      // Walk the run of standard-library frames above the allocation; the rule's
      // function must be among them and the first frame above them must be the user's.
      let j = i;
      let hit = -1;
      while (j < s.frames.length && !s.frames[j].user) {
        if (hit < 0 && isLeaf(s.frames[j].name)) hit = j;
        j++;
      }
      // The caller edge: the user's code must call the rule's function itself (fmt.Sprintf,
      // strconv.Itoa, Builder.WriteString); fmt or strconv used inside encoding/json or a
      // dependency is that library's allocation, not the user's call to change.
      if (hit < 0 || j >= s.frames.length || !isLeaf(s.frames[j - 1].name)) continue;
      leaves.add(s.frames[hit].name);
      table.add(s.frames[j], s.value);
    }
    const share = input.total ? table.value / input.total : 0;
    if (share < opts.infoAt || !aboveNoise(input, table.value)) return [];
    const fns = table.functions(input.total, 0.005);
    if (!fns.length) return [];
    const leafList = [...leaves].sort().join(', ');
    return [
      finding({
        rule: opts.rule,
        concept: opts.concept,
        related: opts.related,
        title: opts.title(fns[0].name),
        severity: severityFor(share, HEAP_WARN_SHARE),
        confidence: 'high',
        value: table.value,
        total: input.total,
        functions: fns,
        evidence: [
          `${pct(share)} of ${input.sampleType.type} allocated inside ${leafList}`,
          ...fns.map((f) => `${pct(f.share)} called from ${where(f)}`),
        ],
        advice: opts.advice(nameList(fns), leafList),
        commands: opts.commands(input, fns[0].name),
        highlight: highlightFor(fns, leaves),
      }),
    ];
  };
}

export const heapSprintf = stdlibLeafRule({
  rule: 'heap.sprintf',
  concept: 'sprintf-vs-strconv',
  related: ['interface-boxing'],
  leaf: A_FMT,
  infoAt: HEAP_INFO_SHARE,
  title: (fn) => `fmt.Sprintf allocates in ${fn}`,
  advice: (fns) =>
    `In ${fns}, fmt allocates the result string and boxes its arguments on every call. On hot paths append into a reused []byte with strconv.AppendInt / AppendQuote (or use strconv.Itoa for one number) and convert to string once, at the end.`,
  commands: (input, fn) => [
    `go tool pprof -sample_index=${input.sampleType.type} -peek '^fmt\\.Sprintf$' ${input.file}`,
    listAlloc(input, fn),
  ],
});

export const heapStrconv = stdlibLeafRule({
  rule: 'heap.strconv',
  concept: 'sprintf-vs-strconv',
  leaf: A_STRCONV,
  infoAt: HEAP_INFO_SHARE,
  title: (fn) => `Number-to-string conversions allocate in ${fn}`,
  advice: (fns) =>
    `strconv.Itoa / FormatInt return a new string for every value of 100 and above. In ${fns}, append the digits into a reused buffer with strconv.AppendInt(buf[:0], n, 10) and keep working with the bytes.`,
  commands: (input, fn) => [listAlloc(input, fn)],
});

export const heapBuilder = stdlibLeafRule({
  rule: 'heap.buffer-growth',
  concept: 'strings-builder',
  related: ['preallocation'],
  leaf: new RegExp(`${A_BUILDER.source}|${A_BUFFER.source}`),
  infoAt: 0.05,
  title: (fn) => `strings.Builder / bytes.Buffer growth in ${fn}`,
  advice: (fns, leaves) =>
    `The builders or buffers in ${fns} grow while they are written (${leaves}). Call Grow(n) with the expected size before writing, and reuse a bytes.Buffer (Reset) across iterations; strings.Builder's Reset drops its buffer, so it cannot be reused.`,
  commands: (input, fn) => [listAlloc(input, fn)],
});

/** Many tiny objects at one user line: values escaping one by one (boxing, closures, &T{}). */
export const heapSmallObjects: Rule = (input) => {
  if (!/objects$|space$/.test(input.sampleType.type) || !input.hasCounts) return [];
  const totalObjects = input.samples.reduce((a, s) => a + s.count, 0);
  // Lines that call fmt: tiny objects there are the boxed arguments of the call.
  const fmtCallers = new Set<string>();
  for (const s of input.samples) {
    for (let i = 0; i + 1 < s.frames.length; i++) {
      if (s.frames[i + 1].user && isFmtEntry(s.frames[i].name)) fmtCallers.add(`${s.frames[i + 1].name}:${s.frames[i + 1].line}`);
    }
  }
  const out: Finding[] = [];
  for (const g of groupByLine(input)) {
    if (!g.site.user) continue;
    let objects = 0;
    let tiny = 0;
    for (const s of g.samples) {
      objects += s.count;
      if (s.bytes > 0 && s.bytes <= 16) tiny += s.count;
    }
    const objShare = totalObjects ? objects / totalObjects : 0;
    const boxing = [...g.runtime].filter((n) => A_BOXING.test(n));
    if (objShare < 0.05 || (tiny < 0.9 * objects && !boxing.length)) continue;
    if (!boxing.length && fmtCallers.has(`${g.site.name}:${g.site.line}`)) boxing.push('fmt arguments (...any)');
    const fn = siteFn(g.site, g.value, input.total);
    out.push(
      finding({
        rule: 'heap.small-objects',
        concept: boxing.length ? 'interface-boxing' : 'escape-analysis',
        related: boxing.length ? ['escape-analysis'] : ['interface-boxing', 'closures', 'values-vs-pointers'],
        title: boxing.length ? `Values are boxed into interfaces in ${g.site.name}` : `Many tiny heap objects from ${g.site.name}`,
        severity: objShare >= 0.2 ? 'warning' : 'info',
        confidence: boxing.length ? 'high' : 'low',
        value: g.value,
        total: input.total,
        functions: [fn],
        evidence: [
          `${pct(objShare)} of all allocated objects come from ${where(fn)}`,
          boxing.length ? `boxed through: ${boxing.join(', ')}` : `${pct(objects ? tiny / objects : 0)} of them are 16 bytes or smaller`,
        ],
        advice: boxing.length
          ? `In ${g.site.name}, values are stored in interfaces and copied to the heap. Keep hot paths on concrete types or generics.`
          : `Line ${g.site.line} of ${g.site.name} puts small values on the heap one at a time. Typical causes: an int or string stored in an interface (any, fmt arguments), a variable captured by a closure that outlives the call, new(T)/&T{} that escapes, or a small slice or string that is returned or stored. Run the compiler's escape analysis on that line to see which one.`,
        commands: [`go build -gcflags=-m ./... 2>&1 | grep ':${g.site.line}:'`, listAlloc(input, g.site.name)],
        highlight: highlightFor(
          [fn],
          boxing.filter((b) => !b.includes(' ')),
        ),
      }),
    );
  }
  return out;
};

export const heapRules: Rule[] = [heapGrowth, heapConcat, heapSprintf, heapStrconv, heapBuilder, heapSmallObjects];
