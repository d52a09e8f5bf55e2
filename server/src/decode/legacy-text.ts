// Readers for the legacy text profiles Go's runtime/pprof writes with ?debug=1 (and the
// gperftools heap/contention text they descend from): count profiles (goroutine,
// threadcreate), heap profiles, and contention profiles (block, mutex, contentionz).
// The rules follow pprof's profile/legacy_profile.go as of the pinned snapshot: every
// frame address is decremented by one (it points after the call), values of sampled
// heap profiles are un-sampled, and an optional memory-map section supplies mappings.
// The results are checked against the corpus `.string` goldens (= `pprof -raw`).
import type { Func, Location, Mapping, Profile, Sample } from '../model/profile.js';
import type { ValueType } from '../../../contract/views.js';
import { compileGoRegexp, type GoRegexp } from '../../../contract/go-regexp.js';
import { ProfileDecodeError } from './errors.js';

type TextKind = 'count-text' | 'heap-text' | 'contention-text';

const U64 = (1n << 64n) - 1n;

/**
 * pprof's line patterns are Go regexps, matched unanchored. JavaScript's backtracking
 * engine takes polynomial time on some of them (a line of 5,000 digits), so `slow` is the
 * pattern in Go's engine (linear). `fast`, when given, is the same pattern anchored at the
 * start with adjacent quantifiers over disjoint classes (linear in V8 too): if it matches,
 * its match is the first one the Go pattern finds, with the same groups.
 */
export function linePattern(src: string, fast?: RegExp): (line: string) => (string | undefined)[] | null {
  const slow = lazyGoRegexp(src);
  if (!fast) return (line) => slow.exec(line);
  return (line) => fast.exec(line) ?? slow.exec(line);
}

/**
 * compileGoRegexp(src), compiled on first use: the legacy formats' patterns are module
 * constants, and compiling them all when the module loads cost every CLI command 60 ms
 * (230 ms on a loaded machine) though a profile.proto never needs them.
 */
export function lazyGoRegexp(src: string): GoRegexp {
  let re: GoRegexp | null = null;
  const get = (): GoRegexp => (re ??= compileGoRegexp(src));
  return { source: src, test: (s) => get().test(s), exec: (s) => get().exec(s) };
}

/** Line scanner with the semantics of Go's bufio.Scanner (ScanLines). */
export class Lines {
  private readonly lines: string[];
  private i = -1;
  text = '';
  constructor(src: string) {
    const lines = src.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    this.lines = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
  scan(): boolean {
    this.i++;
    if (this.i >= this.lines.length) {
      this.text = '';
      return false;
    }
    this.text = this.lines[this.i];
    return true;
  }
}

function isSpaceOrComment(line: string): boolean {
  const t = line.trim();
  return t.length === 0 || t[0] === '#';
}

function isMemoryMapSentinel(line: string): boolean {
  return line.includes('--- Memory map: ---') || line.includes('MAPPED_LIBRARIES:');
}

function malformed(what: string, detail: string): ProfileDecodeError {
  return new ProfileDecodeError('malformed', `parsing ${what}: ${detail}`);
}

function parseIntStrict(s: string, what: string): number {
  if (!/^[-+]?\d+$/.test(s)) throw malformed(what, `invalid number ${JSON.stringify(s)}`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw malformed(what, `number ${s} is too large`);
  return n;
}

function hexAddresses(s: string, what: string): bigint[] {
  const out: bigint[] = [];
  for (const m of s.matchAll(/0x[0-9a-f]+/g)) {
    const v = BigInt(m[0]);
    if (v > U64) throw malformed(what, `failed to parse as hex 64-bit number: ${m[0]}`);
    out.push(v);
  }
  return out;
}

/** Shared state of a legacy profile under construction. */
export class Builder {
  sampleType: ValueType[] = [];
  periodType: ValueType | null = null;
  period = 0n;
  durationNanos = 0n;
  samples: Sample[] = [];
  private locs = new Map<bigint, Location>();

  /** The one location of an address (pprof keys legacy locations by address). */
  location(addr: bigint): Location {
    let loc = this.locs.get(addr);
    if (!loc) {
      loc = { id: 0, mapping: null, address: addr, line: [], isFolded: false };
      this.locs.set(addr, loc);
    }
    return loc;
  }

  /** The address -> location table built so far. */
  locationsByAddress(): Map<bigint, Location> {
    return this.locs;
  }

  /** Stack addresses point after each call: pprof moves every frame back by one. */
  stack(addrs: bigint[]): Location[] {
    return addrs.map((raw) => this.location(BigInt.asUintN(64, raw - 1n)));
  }

  /**
   * Mappings from the memory-map text, then pprof's id renumbering. Text formats first
   * skip to the memory-map sentinel line; the binary CPU format's trailer is all map.
   */
  finish(lines: Lines, dropFrames: string, keepFrames: string, seekSentinel = true): Profile {
    if (seekSentinel)
      while (!isMemoryMapSentinel(lines.text) && lines.scan()) {
        /* skip */
      }
    const mappings = massageMappings(parseProcMaps(lines));
    // remapLocationIDs: ids in order of first use by a sample; unused locations vanish.
    const locList: Location[] = [];
    const seen = new Set<Location>();
    for (const s of this.samples) {
      for (const l of s.location) {
        if (seen.has(l)) continue;
        seen.add(l);
        l.id = locList.length + 1;
        locList.push(l);
      }
    }
    // remapFunctionIDs: ids in order of first use by a location (Java profiles name frames).
    const fnList: Func[] = [];
    const seenFn = new Set<Func>();
    for (const l of locList) {
      for (const ln of l.line) {
        if (seenFn.has(ln.function)) continue;
        seenFn.add(ln.function);
        ln.function.id = fnList.length + 1;
        fnList.push(ln.function);
      }
    }
    const finalMappings = remapMappingIDs(mappings, locList);
    return {
      sampleType: this.sampleType,
      defaultSampleType: '',
      sample: this.samples,
      mapping: finalMappings,
      location: locList,
      function: fnList,
      dropFrames,
      keepFrames,
      timeNanos: 0n,
      durationNanos: this.durationNanos,
      periodType: this.periodType,
      period: this.period,
      comments: [],
      docUrl: '',
      exactValues: null,
    };
  }
}

// ---- memory maps ----

const HEX = '[0-9A-Fa-f]';
const cHex = `(?:0x)?(${HEX}+)`;
const cHexRange = `\\s*${cHex}[\\s-]?\\s*${cHex}:?`;
const cSpaceString = '(?:\\s+(\\S+))?';
const cSpaceHex = `(?:\\s+(${HEX}+))?`;
const cSpaceAtOffset = `(?:\\s+\\(@(${HEX}+)\\))?`;
const cPerm = '(?:\\s+([-rwxp]+))?';
const hexPair = `\\s+${HEX}+:${HEX}+`;
const spaceDigits = '\\s+[0-9]+';
const procMapsRE = linePattern(`^${cHexRange}${cPerm}${cSpaceHex}${hexPair}${spaceDigits}${cSpaceString}`);
const briefMapsRE = linePattern(`^${cHexRange}${cPerm}${cSpaceString}${cSpaceAtOffset}${cSpaceHex}`);
const logInfoRE = linePattern('^[^[\\]]+:[0-9]+]\\s');

function newMapping(start: bigint, limit: bigint, offset: bigint, file: string, buildId: string): Mapping {
  return {
    id: 0,
    start,
    limit,
    offset,
    file,
    buildId,
    hasFunctions: false,
    hasFilenames: false,
    hasLineNumbers: false,
    hasInlineFrames: false,
  };
}

function parseMappingEntry(l: string): Mapping | null | 'unrecognized' {
  let start: string,
    end: string,
    perm: string | undefined,
    file: string | undefined,
    offset: string | undefined,
    buildId: string | undefined;
  let me = procMapsRE(l);
  if (me) {
    [, start, end, perm, offset, file] = me as string[];
  } else if ((me = briefMapsRE(l))) {
    [, start, end, perm, file, offset, buildId] = me as string[];
  } else return 'unrecognized';
  if (perm && !perm.includes('x')) return null;
  const p = (h: string) => BigInt('0x' + h);
  if (start.length > 16 || end.length > 16 || (offset && offset.length > 16)) return 'unrecognized';
  return newMapping(p(start), p(end), offset ? p(offset) : 0n, file ?? '', buildId ?? '');
}

function parseProcMaps(lines: Lines): Mapping[] {
  const out: Mapping[] = [];
  const attrs: [string, string][] = [];
  while (lines.scan()) {
    let line = lines.text;
    const lm = logInfoRE(line);
    if (lm) line = line.slice(lm[0]!.length);
    for (const [k, v] of attrs) line = line.split(k).join(v);
    const m = parseMappingEntry(line);
    if (m === 'unrecognized') {
      // "attr=value" lines define $attr for the following entries.
      const eq = line.indexOf('=');
      if (eq >= 0) attrs.push(['$' + line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
      continue;
    }
    if (m) out.push(m);
  }
  return out;
}

const libRx = /([.]so$|[.]so[._][0-9]+)/;

function massageMappings(ms: Mapping[]): Mapping[] {
  let mappings = ms;
  if (ms.length > 1) {
    mappings = [ms[0]];
    for (const m of ms.slice(1)) {
      const lm = mappings[mappings.length - 1];
      const offset = BigInt.asUintN(64, lm.offset + (lm.limit - lm.start));
      if (lm.limit === m.start && offset === m.offset && (lm.file === m.file || lm.file === '')) {
        lm.file = m.file;
        lm.limit = m.limit;
        if (lm.buildId === '') lm.buildId = m.buildId;
        continue;
      }
      mappings.push(m);
    }
  }
  for (let i = 0; i < mappings.length; i++) {
    const file = mappings[i].file.split('(deleted)').join('').trim();
    if (file.length === 0 || libRx.test(file) || file.startsWith('[')) continue;
    [mappings[0], mappings[i]] = [mappings[i], mappings[0]];
    break;
  }
  mappings.forEach((m, i) => (m.id = i + 1));
  return mappings;
}

function remapMappingIDs(ms: Mapping[], locs: Location[]): Mapping[] {
  let mappings = ms;
  if (mappings.length > 0 && mappings[0].file.startsWith('/anon_hugepage')) {
    if (mappings.length > 1 && mappings[0].limit === mappings[1].start) mappings = mappings.slice(1);
  }
  if (mappings.length > 0) {
    const m = mappings[0];
    if (BigInt.asUintN(64, m.start - m.offset) === 0x400000n) {
      m.start = 0x400000n;
      m.offset = 0n;
    }
  }
  let fake: Mapping | null = null;
  next: for (const l of locs) {
    const a = l.address;
    if (l.mapping !== null || a === 0n) continue;
    for (const m of mappings) {
      if (m.start <= a && a < m.limit) {
        l.mapping = m;
        continue next;
      }
    }
    for (const m of mappings) {
      if (m.offset !== 0n && BigInt.asUintN(64, m.start - m.offset) <= a && a < m.start) {
        m.start = BigInt.asUintN(64, m.start - m.offset);
        m.offset = 0n;
        l.mapping = m;
        continue next;
      }
    }
    if (!fake) {
      fake = newMapping(0n, U64, 0n, '', '');
      mappings = [...mappings, fake];
    }
    l.mapping = fake;
  }
  mappings.forEach((m, i) => (m.id = i + 1));
  return mappings;
}

/**
 * The leaf may appear twice, from the signal context and from unwinding (the latter
 * already moved back by one): drop the copy. pprof does this after numbering the
 * locations, so the dropped location keeps its id and stays in the table.
 */
export function cleanupDuplicateLocations(p: Profile): Profile {
  for (const s of p.sample) {
    if (s.location.length > 1 && s.location[0].address === BigInt.asUintN(64, s.location[1].address + 1n)) s.location.splice(1, 1);
  }
  return p;
}

export function legacyFrameInfo(st: ValueType[]): [string, string] {
  return frameInfo(st);
}

// ---- drop_frames set by pprof for legacy profiles (addLegacyFrameInfo) ----

const allocRx = [
  'calloc',
  'cfree',
  'malloc',
  'free',
  'memalign',
  'do_memalign',
  '(__)?posix_memalign',
  'pvalloc',
  'valloc',
  'realloc',
  'tcmalloc::.*',
  'tc_calloc',
  'tc_cfree',
  'tc_malloc',
  'tc_free',
  'tc_memalign',
  'tc_posix_memalign',
  'tc_pvalloc',
  'tc_valloc',
  'tc_realloc',
  'tc_new',
  'tc_delete',
  'tc_newarray',
  'tc_deletearray',
  'tc_new_nothrow',
  'tc_newarray_nothrow',
  'malloc_zone_malloc',
  'malloc_zone_calloc',
  'malloc_zone_valloc',
  'malloc_zone_realloc',
  'malloc_zone_memalign',
  'malloc_zone_free',
  'runtime\\..*',
  'BaseArena::.*',
  '(::)?do_malloc_no_errno',
  '(::)?do_malloc_pages',
  '(::)?do_malloc',
  'DoSampledAllocation',
  'MallocedMemBlock::MallocedMemBlock',
  '_M_allocate',
  '__builtin_(vec_)?delete',
  '__builtin_(vec_)?new',
  '__gnu_cxx::new_allocator::allocate',
  '__libc_malloc',
  '__malloc_alloc_template::allocate',
  'allocate',
  'cpp_alloc',
  'operator new(\\[\\])?',
  'simple_alloc::allocate',
].join('|');
const allocSkipRx = ['runtime\\.panic', 'runtime\\.reflectcall', 'runtime\\.call[0-9]*'].join('|');
const cpuProfilerRx = [
  'ProfileData::Add',
  'ProfileData::prof_handler',
  'CpuProfiler::prof_handler',
  '__pthread_sighandler',
  '__restore',
].join('|');
const lockRx = [
  'RecordLockProfileData',
  '(base::)?RecordLockProfileData.*',
  '(base::)?SubmitMutexProfileData.*',
  '(base::)?SubmitSpinLockProfileData.*',
  '(base::Mutex::)?AwaitCommon.*',
  '(base::Mutex::)?Unlock.*',
  '(base::Mutex::)?UnlockSlow.*',
  '(base::Mutex::)?ReaderUnlock.*',
  '(base::MutexLock::)?~MutexLock.*',
  '(Mutex::)?AwaitCommon.*',
  '(Mutex::)?Unlock.*',
  '(Mutex::)?UnlockSlow.*',
  '(Mutex::)?ReaderUnlock.*',
  '(MutexLock::)?~MutexLock.*',
  '(SpinLock::)?Unlock.*',
  '(SpinLock::)?SlowUnlock.*',
  '(SpinLockHolder::)?~SpinLockHolder.*',
].join('|');

const heapzTypes = [
  ['allocations', 'size'],
  ['objects', 'space'],
  ['inuse_objects', 'inuse_space'],
  ['alloc_objects', 'alloc_space'],
  ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'],
];

function frameInfo(st: ValueType[]): [string, string] {
  const is = (t: string[]) => t.length === st.length && t.every((x, i) => st[i].type === x);
  if (heapzTypes.some(is)) return [allocRx, allocSkipRx];
  if (is(['contentions', 'delay'])) return [lockRx, ''];
  return [cpuProfilerRx, ''];
}

// ---- count profiles ----

function readCount(lines: Lines): Profile {
  const what = 'count profile';
  while (lines.scan() && isSpaceOrComment(lines.text)) {
    /* skip leading comments */
  }
  const m = /^(\S+) profile: total \d+$/.exec(lines.text);
  if (!m) throw malformed(what, 'missing "<type> profile: total N" header');
  const b = new Builder();
  b.periodType = { type: m[1], unit: 'count' };
  b.period = 1n;
  b.sampleType = [{ type: m[1], unit: 'count' }];
  while (lines.scan()) {
    const line = lines.text;
    if (isSpaceOrComment(line)) continue;
    if (line.startsWith('---')) break;
    const cm = /^(\d+) @((?: 0x[0-9a-f]+)+)$/.exec(line);
    if (!cm) throw malformed(what, `malformed sample line ${JSON.stringify(line.slice(0, 80))}`);
    const n = parseIntStrict(cm[1], what);
    b.samples.push({ location: b.stack(hexAddresses(cm[2], what)), value: [n], label: null, numLabel: null, numUnit: null });
  }
  return b.finish(lines, ...frameInfo(b.sampleType));
}

// ---- heap profiles ----

const heapHeaderRE = linePattern('heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] *@ *(heap[_a-z0-9]*)/?(\\d*)');
const heapSampleRE = linePattern(
  '(-?\\d+): *(-?\\d+) *\\[ *(\\d+): *(\\d+) *] @([ x0-9a-f]*)',
  /^(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *\] @([ x0-9a-f]*)/,
);
const growthHeaderRE = lazyGoRegexp('heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] @ growthz?');
const fragmentationHeaderRE = lazyGoRegexp('heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] @ fragmentationz?');
const contentionSampleRE = linePattern('(\\d+) *(\\d+) @([ x0-9a-f]*)', /^(\d+) +(\d+) @([ x0-9a-f]*)/);

/** Estimate of the unsampled count and size (heap v2 Poisson sampling, pprof's scaleHeapSample). */
export function scaleHeapSample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const avgSize = size / count;
  const scale = 1 / (1 - Math.exp(-avgSize / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

function readHeap(lines: Lines): Profile {
  const what = 'heap profile';
  if (!lines.scan()) throw malformed(what, 'empty input');
  const header = lines.text;
  const b = new Builder();
  b.periodType = { type: 'space', unit: 'bytes' };
  let sampling = '';
  let hasAlloc = false;
  let h: (string | undefined)[] | null;
  if ((h = heapHeaderRE(header))) {
    let period = h[6] ? parseIntStrict(h[6], what) : 0;
    if ((h[3] !== h[1] && h[3] !== '0') || (h[4] !== h[2] && h[4] !== '0')) hasAlloc = true;
    switch (h[5]) {
      case 'heapz_v2':
      case 'heap_v2':
        sampling = 'v2';
        break;
      case 'heapprofile':
        period = 1;
        break;
      case 'heap':
        sampling = 'v2';
        period = Math.trunc(period / 2);
        break;
      default:
        throw new ProfileDecodeError(
          'unsupported',
          `legacy heap profile (text) of kind "${h[5]}" is not supported; convert it with \`go tool pprof -proto\``,
        );
    }
    b.period = BigInt(period);
  } else if (growthHeaderRE.test(header) || fragmentationHeaderRE.test(header)) {
    b.period = 1n;
  } else {
    throw malformed(what, 'the first line is not a "heap profile: ..." header');
  }
  b.sampleType = hasAlloc
    ? [
        { type: 'alloc_objects', unit: 'count' },
        { type: 'alloc_space', unit: 'bytes' },
        { type: 'inuse_objects', unit: 'count' },
        { type: 'inuse_space', unit: 'bytes' },
      ]
    : [
        { type: 'objects', unit: 'count' },
        { type: 'space', unit: 'bytes' },
      ];
  const rate = Number(b.period);
  while (lines.scan()) {
    const line = lines.text.trim();
    if (isSpaceOrComment(line)) continue;
    if (isMemoryMapSentinel(line)) break;
    const sd = heapSampleRE(line) as string[] | null;
    if (!sd) throw malformed(what, `unrecognised sample line ${JSON.stringify(line.slice(0, 80))}`);
    const value: number[] = [];
    let blocksize = 0;
    const add = (cs: string, ss: string, label: string) => {
      let count = parseIntStrict(cs, what);
      let size = parseIntStrict(ss, what);
      if (count === 0 && size !== 0) throw malformed(what, `${label} count was 0 but ${label} bytes was ${size}`);
      if (count !== 0) {
        blocksize = Math.trunc(size / count);
        if (sampling === 'v2') [count, size] = scaleHeapSample(count, size, rate);
      }
      value.push(count, size);
    };
    if (hasAlloc) add(sd[3], sd[4], 'allocation');
    add(sd[1], sd[2], 'inuse');
    b.samples.push({
      location: b.stack(hexAddresses(sd[5], what)),
      value,
      label: null,
      numLabel: { bytes: [blocksize] },
      numUnit: { bytes: [''] },
    });
  }
  return b.finish(lines, ...frameInfo(b.sampleType));
}

// ---- contention profiles ----

function readContention(lines: Lines): Profile {
  const what = 'contention profile';
  if (!lines.scan()) throw malformed(what, 'empty input');
  const first = lines.text;
  if (!(first.startsWith('--- contentionz ') || first.startsWith('--- mutex:') || first.startsWith('--- contention:'))) {
    throw malformed(what, 'missing "--- contention" header');
  }
  const b = new Builder();
  b.periodType = { type: 'contentions', unit: 'count' };
  b.period = 1n;
  b.sampleType = [
    { type: 'contentions', unit: 'count' },
    { type: 'delay', unit: 'nanoseconds' },
  ];
  let cpuHz = 0;
  let period = 1;
  while (lines.scan()) {
    const line = lines.text.trim();
    if (isSpaceOrComment(line)) continue;
    if (line.startsWith('---')) break;
    const eq = line.indexOf('=');
    if (eq < 0) break;
    const key = line.slice(0, eq).trim();
    const val = line.slice(eq + 1).trim();
    switch (key) {
      case 'cycles/second':
        cpuHz = parseIntStrict(val, what);
        break;
      case 'sampling period':
        period = parseIntStrict(val, what);
        break;
      case 'ms since reset':
        b.durationNanos = BigInt(parseIntStrict(val, what)) * 1000000n;
        break;
      case 'discarded samples':
        break;
      case 'format':
      case 'resolution':
        throw new ProfileDecodeError(
          'unsupported',
          'legacy Java contention profile (text) is not supported; convert it with `go tool pprof -proto`',
        );
      default:
        throw malformed(what, `unknown header attribute ${JSON.stringify(key)}`);
    }
  }
  b.period = BigInt(period);
  for (;;) {
    const line = lines.text.trim();
    if (line.startsWith('---')) break;
    if (!isSpaceOrComment(line)) {
      const sd = contentionSampleRE(line) as string[] | null;
      if (!sd) throw malformed(what, `unrecognised sample line ${JSON.stringify(line.slice(0, 80))}`);
      let v1 = parseIntStrict(sd[1], what);
      let v2 = parseIntStrict(sd[2], what);
      // Delays are in cycles: scale to nanoseconds; counts are sampled 1 in `period`.
      if (period > 0) {
        if (cpuHz > 0) v1 = Math.trunc((v1 * period) / (cpuHz / 1e9));
        v2 = v2 * period;
      }
      b.samples.push({ location: b.stack(hexAddresses(sd[3], what)), value: [v2, v1], label: null, numLabel: null, numUnit: null });
    }
    if (!lines.scan()) break;
  }
  return b.finish(lines, ...frameInfo(b.sampleType));
}

// ---- threadz profiles ----

const threadzStartRE = lazyGoRegexp('--- threadz \\d+ ---');
const threadStartRE = lazyGoRegexp('--- Thread ([0-9A-Fa-f]+) \\(name: (.*)/(\\d+)\\) stack: ---');

/** One thread's stack; returns the line after it and the addresses (null: "same as previous"). */
function threadSample(lines: Lines): { next: string; addrs: bigint[] | null } {
  let line = '';
  let same = false;
  const addrs: bigint[] = [];
  while (lines.scan()) {
    line = lines.text.trim();
    if (line === '') continue;
    if (line.startsWith('---')) break;
    if (line.includes('same as previous thread')) {
      same = true;
      continue;
    }
    addrs.push(...hexAddresses(line, 'threadz profile'));
  }
  return { next: line, addrs: same ? null : addrs };
}

function readThreadz(lines: Lines): Profile {
  const what = 'threadz profile';
  while (lines.scan() && isSpaceOrComment(lines.text)) {
    /* skip leading comments */
  }
  let line = lines.text;
  if (threadzStartRE.test(line)) {
    while (lines.scan()) {
      line = lines.text;
      if (isMemoryMapSentinel(line) || line.startsWith('-')) break;
    }
  } else if (!threadStartRE.test(line)) {
    throw malformed(what, 'missing "--- threadz" header');
  }
  const b = new Builder();
  b.sampleType = [{ type: 'thread', unit: 'count' }];
  b.periodType = { type: 'thread', unit: 'count' };
  b.period = 1n;
  while (!isMemoryMapSentinel(line)) {
    if (line.startsWith('---- no stack trace for')) break;
    if (!threadStartRE.test(line)) throw malformed(what, `expected a "--- Thread ..." line, got ${JSON.stringify(line.slice(0, 80))}`);
    const t = threadSample(lines);
    line = t.next;
    if (t.addrs === null || t.addrs.length === 0) {
      // "same as previous thread": one more thread with the last stack.
      const last = b.samples[b.samples.length - 1];
      if (last) last.value[0]++;
      continue;
    }
    const addrs = t.addrs;
    const locs = addrs.map((a, i) => b.location(i > 0 ? BigInt.asUintN(64, a - 1n) : a));
    b.samples.push({ location: locs, value: [1], label: null, numLabel: null, numUnit: null });
  }
  return cleanupDuplicateLocations(b.finish(lines, ...frameInfo(b.sampleType)));
}

export function readLegacyText(bytes: Uint8Array, kind: TextKind | 'threadz-text'): Profile {
  const lines = new Lines(new TextDecoder('utf-8').decode(bytes));
  switch (kind) {
    case 'count-text':
      return readCount(lines);
    case 'heap-text':
      return readHeap(lines);
    case 'contention-text':
      return readContention(lines);
    case 'threadz-text':
      return readThreadz(lines);
  }
}
