// Entry point of the insights layer: decoded profile in, findings out. Pure.
//
// Rule ids (stable: links, tests and the labelled evaluation set use them):
//   cpu.gc-pressure        GC work (marking, assists, sweeping, write barriers) is a large share of CPU
//   cpu.allocation         heap allocation (mallocgc & co.) is a large share of CPU, by allocating call site
//   cpu.slice-growth       runtime.growslice called by the user's own code (append without capacity)
//   cpu.map-growth         map growth / rehashing under the user's own map assignments
//   cpu.string-concat      string concatenation (concatstrings) in the user's own code
//   cpu.sprintf            fmt formatting called directly by the user's code
//   cpu.interface-boxing   convT* (values copied into interfaces) in the user's own code
//   cpu.lock-contention    the user's sync.Mutex / RWMutex spinning and parking
//   cpu.library-hotspot    one call from user code into a library holds 50%+ of the program's own CPU time
//                          (runtime-only background stacks left out) and 25%+ of the whole profile
//   heap.slice-growth      a user line allocating a geometric size ladder (slice or map growth)
//   heap.string-concat     a user line allocating a dense size ladder (s += x)
//   heap.sprintf           fmt allocations called directly from user code
//   heap.strconv           strconv number formatting allocations from user code
//   heap.buffer-growth     strings.Builder / bytes.Buffer growth from user code
//   heap.small-objects     most objects tiny and from one user line (boxing, escapes)
//   heap.library-hotspot   one call from user code into a library allocates 50%+ of the bytes
//   goroutine.leak         one snapshot: goroutines parked on one channel send in one function (3+ and most of
//                          the program, or 50+ and 20%, or 100+), a never-completing operation, or (text dumps)
//                          10+ goroutines all waiting 10+ minutes; receives/selects alone look like idle pools
//   goroutine.proven-leak  stacks of Go 1.26+'s goroutineleak profile (the GC proved them unreachable)
//   goroutine.growth       a parked goroutine group that grew since the base profile (?base=)
//   mutex.hot-lock         an Unlock called by user code that makes others wait (mutex profile)
//   block.lock-wait        goroutines blocked in a Lock called by user code (block profile)
// (a mutex a library locks itself, e.g. log.Logger's, is never the user's)
// "User code" is the main module, decided from the profile (frames.ts codeOwner): standard
// library and dependency modules (module cache / vendor paths) are library code.
import { resolveSampleIndex } from '../analysis/sampleindex.js';
import type { Profile } from '../model/profile.js';
import { QueryError } from '../model/query.js';
import type { Finding, InsightsReport, ProfileFamily } from '../../../contract/insights.js';
import { guessGoVersion, looksLikeGo, stackSamples } from './frames.js';
import { detectKind } from '../report/meta.js';
import { baseName } from '../analysis/paths.js';
import type { ProfileKind } from '../../../contract/views.js';
import { INSTRUMENTED } from './patterns.js';
import type { Rule, RuleInput } from './rules/common.js';
import { shellWord } from './rules/common.js';
import { cpuRules } from './rules/cpu.js';
import { heapRules } from './rules/heap.js';
import { goroutineRules } from './rules/goroutine.js';
import { contentionRules } from './rules/contention.js';
import { cpuLibraryHotspot, heapLibraryHotspot } from './rules/library.js';

/** Unknown sample type requested (HTTP 400). */
export class InsightsQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InsightsQueryError';
  }
}

export function profileFamily(p: Profile): ProfileFamily {
  const types = new Set(p.sampleType.map((t) => t.type));
  if (types.has('alloc_space') || types.has('inuse_space') || types.has('alloc_objects') || types.has('inuse_objects')) return 'heap';
  if (types.has('goroutine') || types.has('goroutineleak')) return 'goroutine';
  if (types.has('delay') || types.has('contentions')) return 'contention';
  if (types.has('cpu') || (types.has('samples') && p.periodType?.type === 'cpu')) return 'cpu';
  return 'other';
}

/**
 * Sample index the rules read: `si` as pprof resolves it (resolveSampleIndex); without one,
 * alloc_space for heap profiles (rules look at allocation churn, so heap and allocs
 * profiles of one run agree), else pprof's default.
 */
export function insightsSampleIndex(p: Profile, si?: string): number {
  const names = p.sampleType.map((t) => t.type);
  if (si !== undefined && si !== '') {
    try {
      return resolveSampleIndex(p, si);
    } catch (e) {
      if (e instanceof QueryError) throw new InsightsQueryError(`unknown sample type "${si}"; this profile has: ${names.join(', ')}`);
      throw e;
    }
  }
  if (profileFamily(p) === 'heap' && names.includes('alloc_space')) return names.indexOf('alloc_space');
  return resolveSampleIndex(p, '');
}

/** The count column that goes with the value column (CPU samples, heap objects, contentions). */
function countIndex(p: Profile, family: ProfileFamily, index: number): number {
  const names = p.sampleType.map((t) => t.type);
  const type = names[index] ?? '';
  if (family === 'cpu') return names.indexOf('samples');
  if (family === 'heap') return names.indexOf(type.startsWith('inuse') ? 'inuse_objects' : 'alloc_objects');
  if (family === 'contention') return names.indexOf('contentions');
  return -1;
}

const RULES: Record<ProfileFamily, Rule[]> = {
  cpu: [...cpuRules, cpuLibraryHotspot],
  heap: [...heapRules, heapLibraryHotspot],
  goroutine: goroutineRules,
  contention: contentionRules,
  other: [],
};

const SEVERITY_ORDER = { warning: 0, info: 1 } as const;

/** Where a report's "Try next" commands point and what to compare with. */
export interface InsightsOptions {
  /** The profile's stored name (e.g. the uploaded file name); commands use it. */
  name?: string;
  /** An earlier goroutine profile of the same program (goroutine.growth). */
  base?: Profile;
}

/** `curl -o` names of the endpoints, for profiles without a stored name. */
const DEFAULT_FILE: Record<ProfileKind, string> = {
  cpu: 'cpu.pb.gz',
  heap: 'heap.pb.gz',
  allocs: 'allocs.pb.gz',
  goroutine: 'goroutine.pb.gz',
  mutex: 'mutex.pb.gz',
  block: 'block.pb.gz',
  threadcreate: 'threadcreate.pb.gz',
  other: 'profile.pb.gz',
};

function commandFile(kind: ProfileKind, name?: string): string {
  // The stored name is the uploader's: keep its last path part, without control characters.
  const plain = [...(name ?? '')].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('');
  const base = plain.split(/[\\/]/).pop()?.trim() ?? '';
  return shellWord(base || DEFAULT_FILE[kind]);
}

function programCommand(p: Profile): string {
  const file = p.mapping[0]?.file ?? '';
  const name = baseName(file);
  // Only a plain executable name: not a shared library, a kernel map or a temporary go run build.
  return name && /^[A-Za-z0-9._+-]+$/.test(name) && !/\.so(\.|$)|^\[/.test(name) && !file.includes('/go-build')
    ? `./${name}`
    : './yourprogram';
}

/** The rules' view of a profile (also used by tests to look below the thresholds). */
export function ruleInput(p: Profile, si?: string, opts: InsightsOptions = {}): RuleInput {
  const family = profileFamily(p);
  const index = insightsSampleIndex(p, si);
  const ci = countIndex(p, family, index);
  const samples = stackSamples(p, index, ci);
  const kind = detectKind(p);
  const input: RuleInput = {
    samples,
    total: samples.reduce((a, s) => a + Math.abs(s.value), 0),
    sampleType: { type: p.sampleType[index].type, unit: p.sampleType[index].unit },
    period: Number(p.period),
    hasCounts: ci >= 0,
    goVersion: guessGoVersion(p),
    file: commandFile(kind, opts.name),
    program: programCommand(p),
    kind,
  };
  if (opts.base) {
    if (family !== 'goroutine' || profileFamily(opts.base) !== 'goroutine')
      throw new InsightsQueryError(
        `a base profile is compared for goroutine growth only: this profile is ${family === 'goroutine' ? 'a goroutine profile' : `a ${family} profile`} and the base is ${profileFamily(opts.base) === 'goroutine' ? 'a goroutine profile' : `a ${profileFamily(opts.base)} profile`}`,
      );
    const b = opts.base;
    const bi = insightsSampleIndex(b);
    input.base = stackSamples(b, bi, -1);
    input.baseTotal = input.base.reduce((a, s) => a + Math.abs(s.value), 0);
  }
  return input;
}

/**
 * Findings naming one function at different lines get the line in their title, so two
 * "A string is built with += in main.joinIDs" read apart.
 */
function titlesWithLines(findings: Finding[]): void {
  const lines = new Map<string, Set<string>>();
  const at = (f: Finding) => f.functions[0];
  for (const f of findings) {
    const fn = at(f);
    if (!fn || !fn.line) continue;
    let s = lines.get(fn.name);
    if (!s) lines.set(fn.name, (s = new Set()));
    s.add(`${fn.file}:${fn.line}`);
  }
  for (const f of findings) {
    const fn = at(f);
    if (!fn || !fn.line || (lines.get(fn.name)?.size ?? 0) < 2 || !f.title.includes(fn.name)) continue;
    const file = fn.file.split('/').pop() ?? '';
    f.title += file ? ` (${file}:${fn.line})` : ` (line ${fn.line})`;
  }
}

export function computeInsights(p: Profile, si?: string, opts: InsightsOptions = {}): InsightsReport {
  const family = profileFamily(p);
  const index = p.sampleType.length ? insightsSampleIndex(p, si) : -1;
  const sampleType = index >= 0 ? { type: p.sampleType[index].type, unit: p.sampleType[index].unit } : { type: '', unit: '' };
  // Only the Go runtime writes goroutineleak profiles, and an empty one has no frames at all.
  const leakProfile = sampleType.type === 'goroutineleak';
  const isGo = leakProfile || looksLikeGo(p);
  const report: InsightsReport = {
    kind: family,
    sampleType,
    total: 0,
    goVersion: isGo ? guessGoVersion(p) : '',
    isGo,
    findings: [],
    notes: [],
  };
  if (index < 0) {
    report.notes.push('The profile has no sample types.');
    return report;
  }
  const input = ruleInput(p, si, opts);
  const { samples, total } = input;
  report.total = total;
  if (family === 'other') {
    report.notes.push(`No insights rules exist for this kind of profile (${p.sampleType.map((t) => t.type).join(', ')}).`);
    return report;
  }
  if (leakProfile && total <= 0) {
    report.notes.push(
      'The goroutineleak profile lists no goroutines: the garbage collector found none blocked on something no running goroutine can reach (a leak through a global stays invisible to it).',
    );
    return report;
  }
  if (!isGo) {
    report.notes.push('No Go runtime frames in this profile: the insights rules only understand Go programs.');
    return report;
  }
  if (total <= 0) {
    report.notes.push(
      family === 'contention'
        ? 'The profile holds no samples. Mutex and block profiles stay empty unless runtime.SetMutexProfileFraction / runtime.SetBlockProfileRate enable them.'
        : 'The profile holds no samples for this sample type.',
    );
    return report;
  }
  if (samples.some((s) => s.value < 0)) {
    report.notes.push('The profile has negative values (a diff); rules only run on ordinary profiles.');
    return report;
  }
  if (p.function.some((f) => INSTRUMENTED.test(f.name))) {
    report.notes.push(
      'This binary was built with -race or checkptr instrumentation: timings and allocations are not representative, so no rules were run.',
    );
    return report;
  }
  const findings: Finding[] = [];
  for (const rule of RULES[family]) findings.push(...rule(input));
  titlesWithLines(findings);
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.share - a.share || a.rule.localeCompare(b.rule));
  report.findings = findings;
  if (!findings.length) report.notes.push('No rule found a strong enough signal in this profile (rules stay silent rather than guess).');
  return report;
}
