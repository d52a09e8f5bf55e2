// Reader for the legacy binary CPU profile of gperftools and of Go before 1.9
// ("profilez"): a header of five words (0, 3, 0, period in µs, 0), then records
// (count, depth, depth addresses) up to an end marker (0, 1, 0), then /proc/self/maps
// text. Words are 32 or 64 bits in either byte order. Rules follow pprof's parseCPU /
// cpuProfile: non-leaf addresses move back by one, a second frame shared by almost all
// samples (the signal handler) is stripped, and a leaf duplicated as leaf+1 is dropped.
import type { Profile } from '../model/profile.js';
import { ProfileDecodeError } from './errors.js';
import { Builder, Lines, cleanupDuplicateLocations, legacyFrameInfo } from './legacy-text.js';
import { finishJavaCpu } from './legacy-java.js';

type WordReader = { size: 4 | 8; little: boolean; java: boolean };

const ORDERS: { size: 4 | 8; little: boolean }[] = [
  { size: 4, little: true },
  { size: 4, little: false },
  { size: 8, little: true },
  { size: 8, little: false },
];

function word(view: DataView, off: number, w: { size: 4 | 8; little: boolean }): bigint {
  return w.size === 4 ? BigInt(view.getUint32(off, w.little)) : view.getBigUint64(off, w.little);
}

/** The word layout whose header matches a C++/Go CPU profile, or null. */
export function cpuHeaderLayout(b: Uint8Array): WordReader | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (const w of ORDERS) {
    if (b.length < 5 * w.size) continue;
    const h = [0, 1, 2, 3, 4].map((i) => word(view, i * w.size, w));
    // The third word is 0 for C++/Go, 1 for Java.
    if (h[0] === 0n && h[1] === 3n && (h[2] === 0n || h[2] === 1n) && h[3] > 0n && h[4] === 0n) return { ...w, java: h[2] === 1n };
  }
  return null;
}

function unrecognized(): ProfileDecodeError {
  return new ProfileDecodeError('malformed', 'parsing legacy CPU profile: a sample record runs past the end of the data');
}

export function readLegacyCpu(b: Uint8Array): Profile {
  const w = cpuHeaderLayout(b);
  if (!w) throw new ProfileDecodeError('not-a-profile', 'not a legacy CPU profile');
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const size = w.size;
  const periodUs = word(view, 3 * size, w);
  const period = periodUs * 1000n;
  const bld = new Builder();
  bld.period = period;
  bld.periodType = { type: 'cpu', unit: 'nanoseconds' };
  bld.sampleType = [
    { type: 'samples', unit: 'count' },
    { type: 'cpu', unit: 'nanoseconds' },
  ];

  let off = 5 * size;
  while (off < b.length) {
    if (off + 2 * size > b.length) throw unrecognized();
    const count = word(view, off, w);
    const nstk = word(view, off + size, w);
    off += 2 * size;
    // pprof's bound: the depth cannot exceed the remaining bytes / 4.
    if (nstk > BigInt(Math.floor((b.length - off) / 4))) throw unrecognized();
    const n = Number(nstk);
    if (off + n * size > b.length) throw unrecognized();
    const addrs: bigint[] = [];
    for (let i = 0; i < n; i++) addrs.push(word(view, off + i * size, w));
    off += n * size;
    if (count === 0n && n === 1 && addrs[0] === 0n) break; // end-of-data marker
    // Non-leaf addresses point after the call (not for Java, whose "addresses" are symbol ids).
    const locs = addrs.map((a, i) => bld.location(i > 0 && !w.java ? BigInt.asUintN(64, a - 1n) : a));
    const c = BigInt.asIntN(64, count);
    const values = [c, BigInt.asIntN(64, c * BigInt.asIntN(64, period))];
    if (values.some((v) => v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))) {
      throw new ProfileDecodeError('malformed', 'parsing legacy CPU profile: a sample count is too large');
    }
    bld.samples.push({ location: locs, value: values.map(Number), label: null, numLabel: null, numUnit: null });
  }

  if (w.java) return finishJavaCpu(bld, b.subarray(off));

  // A second frame common to almost every sample was pushed by the signal handler:
  // strip it (up to two such frames), allowing one different sample per 32.
  const samples = bld.samples;
  const margin = Math.floor(samples.length / 32);
  for (let iter = 0; iter < 2; iter++) {
    const counts = new Map<bigint, number>();
    for (const s of samples) {
      if (s.location.length > 1) {
        const a = s.location[1].address;
        counts.set(a, (counts.get(a) ?? 0) + 1);
      }
    }
    for (const [addr, n] of counts) {
      if (n >= samples.length - margin) {
        for (const s of samples) {
          if (s.location.length > 1 && s.location[1].address === addr) s.location.splice(1, 1);
        }
        break;
      }
    }
  }
  const lines = new Lines(new TextDecoder('utf-8').decode(b.subarray(off)));
  return cleanupDuplicateLocations(bld.finish(lines, ...legacyFrameInfo(bld.sampleType), false));
}
