// Legacy (pre-profile.proto) profile formats: detection, and reading of the text
// formats Go's runtime/pprof still writes with ?debug=1, the old binary CPU format and
// gperftools' threadz. Formats we recognise but do not read (Java's) are refused with
// kind 'unsupported' and a message naming the format, so a user knows to convert the
// file with `go tool pprof -proto` rather than guess.
import type { Profile } from '../model/profile.js';
import { lazyGoRegexp, readLegacyText } from './legacy-text.js';
import { readLegacyCpu } from './legacy-cpu.js';
import { readJavaText } from './legacy-java.js';

export type LegacyKind =
  | 'cpu-binary' // gperftools / old Go CPU profile (binary words)
  | 'java-cpu-binary' // Java profilez CPU profile (binary words)
  | 'heap-text' // "heap profile: ..." (Go heap debug=1, gperftools heapz/growthz/fragmentationz)
  | 'count-text' // "goroutine profile: total N", "threadcreate profile: total N"
  | 'threadz-text' // "--- threadz N ---"
  | 'contention-text' // "--- contentionz", "--- contention:", "--- mutex:" (C++ and Go)
  | 'java-text'; // Java "--- heapz"/"--- contentionz" with "format = java", or other "--- heapz"

export interface FormatSupport {
  format: string;
  example: string;
  read: boolean;
  note: string;
}

const FORMAT_NAMES: Record<LegacyKind, string> = {
  'cpu-binary': 'legacy gperftools/Go CPU profile (binary)',
  'java-cpu-binary': 'legacy Java CPU profile (profilez binary)',
  'heap-text': 'legacy heap profile (text)',
  'count-text': 'legacy Go count profile (text)',
  'threadz-text': 'legacy threadz profile (text)',
  'contention-text': 'legacy contention profile (text)',
  'java-text': 'legacy Java profile (text)',
};

/** Which formats the decoder reads; the README lists this. */
export function describeSupportedFormats(): FormatSupport[] {
  return [
    {
      format: 'profile.proto (gzip-compressed or not)',
      example: 'any `go tool pprof -proto` output, runtime/pprof, /debug/pprof/*',
      read: true,
      note: 'the native format; every validity rule of pprof is enforced',
    },
    {
      format: FORMAT_NAMES['count-text'],
      example: '/debug/pprof/goroutine?debug=1, threadcreate?debug=1',
      read: true,
      note: 'unsymbolized: frames show as addresses',
    },
    {
      format: FORMAT_NAMES['heap-text'] + ', Go and gperftools',
      example: '/debug/pprof/heap?debug=1, gperftools heapz / growthz',
      read: true,
      note: 'values un-sampled like pprof; unsymbolized',
    },
    {
      format: FORMAT_NAMES['contention-text'] + ', C++ contentionz and Go',
      example: '/debug/pprof/mutex?debug=1, block?debug=1',
      read: true,
      note: 'delays converted with cycles/second like pprof; unsymbolized',
    },
    { format: FORMAT_NAMES['threadz-text'], example: '--- threadz 1 --- (gperftools)', read: true, note: 'unsymbolized' },
    {
      format: FORMAT_NAMES['cpu-binary'],
      example: 'Go before 1.9 CPU profiles, gperftools CPU profiler',
      read: true,
      note: 'signal-handler frame stripped like pprof; unsymbolized',
    },
    { format: FORMAT_NAMES['java-cpu-binary'], example: 'Java profilez', read: true, note: 'symbolized frames become functions' },
    {
      format: FORMAT_NAMES['java-text'],
      example: '--- heapz 1 --- / --- contentionz 1 --- with format = java',
      read: true,
      note: 'symbolized frames become functions; heap values un-sampled',
    },
  ];
}

function word(b: Uint8Array, i: number, size: 4 | 8, little: boolean): number {
  const off = i * size;
  let v = 0;
  for (let k = 0; k < size; k++) {
    const byte = b[little ? off + size - 1 - k : off + k];
    v = v * 256 + byte;
  }
  return v;
}

/** The first non-blank, non-comment line (as pprof's parsers skip those), capped in length. */
function firstLine(b: Uint8Array): string {
  const head = new TextDecoder('utf-8').decode(b.subarray(0, Math.min(b.length, 4096)));
  for (const line of head.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    return line.replace(/\r$/, '');
  }
  return '';
}

// Go regexps (linear time) as pprof matches a first line.
const heapHeader = lazyGoRegexp('heap profile: *\\d+: *\\d+ *\\[ *\\d+: *\\d+ *\\] *@');
const countHeader = lazyGoRegexp('^\\w+ profile: total \\d+\\s*$');
const threadzHeader = lazyGoRegexp('^--- threadz \\d+ ---|^--- Thread [0-9a-fA-F]+ \\(name: .*/\\d+\\) stack: ---');

export function detectLegacy(b: Uint8Array): LegacyKind | null {
  // CPU profilez header words: 0, 3, 0|1 (C++|Java), period > 0, 0; any word size/endianness.
  for (const size of [4, 8] as const) {
    if (b.length < 5 * size) continue;
    for (const little of [true, false]) {
      const w = (i: number) => word(b, i, size, little);
      if (w(0) === 0 && w(1) === 3 && w(3) > 0 && w(4) === 0) {
        if (w(2) === 0) return 'cpu-binary';
        if (w(2) === 1) return 'java-cpu-binary';
      }
    }
  }
  const line = firstLine(b);
  if (heapHeader.test(line)) return 'heap-text';
  if (countHeader.test(line)) return 'count-text';
  if (threadzHeader.test(line)) return 'threadz-text';
  if (line.startsWith('--- contention') || line.startsWith('--- mutex:')) {
    // pprof's C++/Go contention parser gives up on "format"/"resolution" attributes and
    // the Java parser takes the file.
    return /^\s*(format|resolution)\s*=/m.test(firstLines(b)) ? 'java-text' : 'contention-text';
  }
  if (line.startsWith('--- heapz') || line.startsWith('--- heap')) return 'java-text';
  return null;
}

function firstLines(b: Uint8Array): string {
  return new TextDecoder('utf-8').decode(b.subarray(0, Math.min(b.length, 1024)));
}

export function decodeLegacy(b: Uint8Array, kind: LegacyKind): Profile {
  switch (kind) {
    case 'count-text':
    case 'heap-text':
    case 'contention-text':
    case 'threadz-text':
      return readLegacyText(b, kind);
    case 'cpu-binary':
    case 'java-cpu-binary':
      return readLegacyCpu(b);
    case 'java-text':
      return readJavaText(b);
  }
}

export function legacyFormatName(kind: LegacyKind): string {
  return FORMAT_NAMES[kind];
}
