// cpu.library-hotspot / heap.library-hotspot: most of a profile under one call from the
// user's code into a library (standard library or a dependency). The place to act is the
// user's call site; the advice depends on what the library is.
import type { Finding } from '../../../../contract/insights.js';
import { exactName } from '../../../../contract/go-regexp.js';
import { isStdlibFrame, packagePath } from '../frames.js';
import { A_BUFFER, A_BUILDER, A_FMT, A_STRCONV, LOCK_CPU } from '../patterns.js';
import type { Rule, RuleInput } from './common.js';
import { SiteTable, finding, highlightFor, nameList, pct, shq, where } from './common.js';

/**
 * The library entry must hold most of the program's own work: this share of the profile
 * once the runtime's background goroutines (GC workers, sweeper, scavenger: stacks of
 * runtime frames only) are left out, since their work follows from the program's...
 */
export const LIBRARY_HOTSPOT_SHARE = 0.5;
/** ...and at least this share of the whole profile. */
export const LIBRARY_HOTSPOT_MIN_TOTAL_SHARE = 0.25;

/** Entries other rules already explain (fmt, strconv, builders, locks): no second finding. */
const COVERED = new RegExp(`${A_FMT.source}|${A_STRCONV.source}|${A_BUILDER.source}|${A_BUFFER.source}|${LOCK_CPU.source}`);

interface Entry {
  value: number;
  count: number;
  table: SiteTable;
}

/**
 * Per library function called directly by user code: the value of the samples whose
 * leaf-most user frame called it. Work a library does in a callback into user code is the
 * user's own (that user frame is then the leaf-most one).
 */
function entries(input: RuleInput): { byEntry: Map<string, Entry>; background: number } {
  const out = new Map<string, Entry>();
  let background = 0;
  // The profiler's own work under the call (heap sampling of its allocations) stays in, so
  // the share is pprof's cum% of the entry.
  for (const s of input.samples) {
    const f = s.frames;
    if (f.every((x) => x.runtime)) {
      background += s.value;
      continue;
    }
    let u = 0;
    while (u < f.length && !f[u].user) u++;
    if (u === 0 || u >= f.length) continue;
    const lib = f[u - 1];
    // user -> runtime (mallocgc, growslice ...) is the user's own operation.
    if (lib.runtime) continue;
    let e = out.get(lib.name);
    if (!e) out.set(lib.name, (e = { value: 0, count: 0, table: new SiteTable() }));
    e.value += s.value;
    e.count += input.hasCounts ? s.count : 1;
    e.table.add(f[u], s.value);
  }
  return { byEntry: out, background };
}

interface LibraryAdvice {
  /** Why calls into this library cost what they cost, and what to change at the call site. */
  cpu: string;
  heap: string;
}

/** Advice by library entry; the first match wins. */
const ADVICE: [RegExp, LibraryAdvice][] = [
  [
    /^regexp\.(MustCompile|Compile)(POSIX)?$/,
    {
      cpu: 'The regexp is compiled on every call. Compile it once into a package-level variable (var re = regexp.MustCompile(...)) and reuse it.',
      heap: 'Each compilation builds a new program and its matcher state. Compile the regexp once into a package-level variable and reuse it.',
    },
  ],
  [
    /^regexp\.(Match|MatchString|MatchReader)$/,
    {
      cpu: 'The package-level regexp.MatchString (and Match, MatchReader) compiles the pattern on every call. Compile it once into a package-level variable and call its MatchString method instead.',
      heap: 'The package-level regexp.MatchString (and Match, MatchReader) compiles the pattern, allocating a new program, on every call. Compile it once into a package-level variable and call its MatchString method instead.',
    },
  ],
  [
    /^regexp\.\(\*Regexp\)\.(FindAll|Split|ReplaceAll)/,
    {
      cpu: "Go's regexp engine runs in linear time but is much slower than plain string functions, and FindAll* / Split / ReplaceAll* build a new result slice (and substrings) on every call. For a simple pattern (words, fields, a separator) scan the bytes yourself or use strings.Fields / strings.Split / strings.Index; otherwise compile the regexp once and, on hot paths, match []byte input with the Index variants instead of collecting every result.",
      heap: 'FindAll* / Split / ReplaceAll* allocate a new slice of results (and often the substrings) on every call, and the slice grows while matches are collected. For a simple pattern scan the bytes yourself or use strings.Fields / strings.Index; otherwise walk the matches with the Index variants on []byte and reuse your own buffers.',
    },
  ],
  [
    /^regexp\./,
    {
      cpu: "Go's regexp engine runs in linear time but is much slower than plain string functions. Make sure the regexp is compiled once (package-level variable), and for simple patterns use strings.Contains / HasPrefix / Index instead.",
      heap: 'Matching allocates match state and results. Compile the regexp once, prefer the Match/Index variants over Find*String when you only need positions, or use strings functions for simple patterns.',
    },
  ],
  [
    /^encoding\/json\./,
    {
      cpu: 'encoding/json walks every value by reflection on each call. Decode into concrete structs rather than map[string]any, stream with a reused json.Decoder / json.Encoder, and cache the encoded bytes of values that do not change.',
      heap: 'encoding/json allocates per call (reflection state, the output buffer, every decoded string, map and interface value). Decode into concrete structs rather than map[string]any / any, stream with a reused json.Decoder / json.Encoder, and cache encoded bytes of values that do not change.',
    },
  ],
  [
    /^sort\./,
    {
      cpu: 'Sorting calls the comparator about n·log(n) times. Make the comparison cheap (compute the keys once before sorting, not inside the less function), use slices.SortFunc instead of sort.Slice (no reflection-based swaps), and do not re-sort data that has not changed.',
      heap: 'sort.Slice allocates a reflection-based swapper per call, and a comparator that builds strings allocates on every comparison. Use slices.SortFunc and compute the keys once before sorting.',
    },
  ],
  [
    /^(os\.\(\*File\)\.(Write|WriteString|WriteAt|Read|ReadAt)|syscall\.(Write|Read|Syscall6?|RawSyscall6?)|internal\/poll\.)/,
    {
      cpu: 'Each call is a system call into the kernel. Wrap the file or connection in a bufio.Writer (or bufio.Reader) so that many small writes or reads become a few large ones, and Flush at the end.',
      heap: 'Reading and writing through small calls allocates per call. Wrap the file in a bufio.Writer / bufio.Reader and reuse one buffer.',
    },
  ],
  [
    /^compress\//,
    {
      cpu: 'Compression is CPU work by nature. Choose a faster level (for example gzip.BestSpeed), compress less data, and reuse writers with Reset instead of creating one per stream.',
      heap: 'Each new compressor allocates large internal tables. Reuse writers and readers with Reset (keep them in a sync.Pool) instead of creating one per stream.',
    },
  ],
  [
    /^crypto\//,
    {
      cpu: 'Cryptography is expensive by design. Check that the work is not repeated: the same data hashed again, a new TLS handshake per request (reuse connections), or a password hash cost set higher than needed.',
      heap: 'Check that the work is not repeated per call: reuse hashers with Reset, and reuse connections instead of doing new handshakes.',
    },
  ],
];

function adviceFor(entry: string, kind: 'cpu' | 'heap', dep: boolean): string {
  for (const [re, a] of ADVICE) if (re.test(entry)) return a[kind];
  const pkg = packagePath(entry) || entry;
  const what = dep ? `the dependency ${pkg}` : pkg;
  return kind === 'cpu'
    ? `The time is spent inside ${what}, not in your own code: make fewer calls (cache or batch results), give it smaller inputs, or look for a cheaper API of the same package. The peek command below shows where inside ${pkg} the time goes.`
    : `The memory is allocated inside ${what}, not by your own lines: make fewer calls (cache or batch results), give it smaller inputs, or look for an API variant that reuses a buffer you pass in.`;
}

function libraryRule(kind: 'cpu' | 'heap'): Rule {
  return (input) => {
    // CPU: the same noise floor as the other CPU rules; heap: ~4 sampling periods of bytes.
    if (kind === 'cpu') {
      const n = input.hasCounts ? input.samples.reduce((a, s) => a + s.count, 0) : input.samples.length;
      if (n < 100) return [];
    }
    const out: Finding[] = [];
    const { byEntry, background } = entries(input);
    const own = input.total - background;
    for (const [entry, e] of byEntry) {
      const share = input.total ? e.value / input.total : 0;
      const ownShare = own > 0 ? e.value / own : 0;
      if (ownShare < LIBRARY_HOTSPOT_SHARE || share < LIBRARY_HOTSPOT_MIN_TOTAL_SHARE || COVERED.test(entry)) continue;
      if (kind === 'heap' && input.sampleType.unit === 'bytes' && input.period > 1 && e.value < 4 * input.period) continue;
      const fns = e.table.functions(input.total, 0.005);
      if (!fns.length) continue;
      const dep = !isStdlibFrame(entry);
      const pkg = packagePath(entry) || entry;
      const what = kind === 'cpu' ? 'CPU time' : `${input.sampleType.type}`;
      const sites = fns.map((f) => `${pct(f.share)} from the call at ${where(f)}`);
      out.push(
        finding({
          rule: `${kind}.library-hotspot`,
          concept: kind === 'cpu' ? 'reading-pprof' : 'stack-vs-heap',
          related: kind === 'cpu' ? [] : ['escape-analysis'],
          title: `${pct(share)} of ${what} is inside ${entry}, called from ${fns[0].name}`,
          severity: ownShare >= 0.7 ? 'warning' : 'info',
          confidence: 'high',
          value: e.value,
          total: input.total,
          functions: fns,
          evidence: [
            `${pct(share)} of ${what} is spent under one library call, ${entry} (package ${pkg}${dep ? ', a dependency' : ', standard library'})`,
            ...(background > 0 && kind === 'cpu'
              ? [
                  `${pct(ownShare)} of the time outside the runtime's background work (${pct(background / input.total)} GC workers, sweeping and other runtime-only stacks, largely paying for this call's allocations)`,
                ]
              : []),
            ...sites,
            `the work is done by library code: your own lines in ${nameList(fns)} are only the callers`,
          ],
          advice: `${nameList(fns)} ${fns.length > 1 ? 'call' : 'calls'} ${entry}, which holds most of this profile. ${adviceFor(entry, kind, dep)}`,
          commands: [
            `go tool pprof ${kind === 'heap' ? `-sample_index=${input.sampleType.type} ` : ''}-peek ${shq(exactName(entry))} ${input.file}`,
            `go tool pprof ${kind === 'heap' ? `-sample_index=${input.sampleType.type} ` : ''}-list ${shq(exactName(fns[0].name))} ${input.file}`,
          ],
          highlight: highlightFor(fns, [entry]),
        }),
      );
    }
    return out;
  };
}

export const cpuLibraryHotspot = libraryRule('cpu');
export const heapLibraryHotspot = libraryRule('heap');
