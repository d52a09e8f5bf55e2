// Entry point of the decode layer: bytes in, Profile out.
// Order follows pprof's profile.ParseData: inflate gzip, try profile.proto, and only
// if that fails (for a reason other than "concatenated profiles") try legacy formats.
import type { Profile, ProfileFormat } from '../model/profile.js';
import { ProfileDecodeError } from './errors.js';
import { HOW_TO_GET_A_PROFILE, fileKind } from './file-kind.js';
import { decodeProtoFast } from './fast-decoder.js';
import { DEFAULT_MAX_INFLATED_BYTES, gunzipCapped, isGzip } from './gunzip.js';
import { decodeLegacy, detectLegacy, type LegacyKind } from './legacy.js';
import { dumpToProfile, looksLikeGoroutineDump, parseGoroutineDump, rememberDump } from '../goroutines/index.js';

export { ProfileDecodeError } from './errors.js';
export type { DecodeErrorKind } from './errors.js';
export { describeSupportedFormats, type FormatSupport } from './legacy.js';
export { DEFAULT_MAX_INFLATED_BYTES } from './gunzip.js';

export interface DecodeOptions {
  /** Cap on the inflated size of gzip input, in bytes (default 1 GiB). */
  maxInflatedBytes?: number;
  /** Called with the inflated size before decoding (a memory budget may refuse by throwing). */
  beforeDecode?: (rawBytes: number) => void;
}

function checkNotEmpty(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new ProfileDecodeError('empty', 'parsing profile: empty input file');
}

/** A decoded profile with where it came from (for metadata). */
export interface DecodedProfile {
  profile: Profile;
  format: ProfileFormat;
  /** Whether the input was gzip-compressed. */
  gzipped: boolean;
  /** Size of the (inflated) profile data in bytes. */
  rawBytes: number;
}

const LEGACY_FORMAT: Partial<Record<LegacyKind, ProfileFormat>> = {
  'count-text': 'legacy-count',
  'heap-text': 'legacy-heap',
  'contention-text': 'legacy-contention',
  'threadz-text': 'legacy-threadz',
  'cpu-binary': 'legacy-cpu',
  'java-cpu-binary': 'legacy-cpu',
};

function decodeRaw(raw: Uint8Array): { profile: Profile; format: ProfileFormat } {
  const out = decodeAny(raw);
  // pprof refuses these before any report ("profiles have empty common sample type
  // list"); every view needs a sample type, so refuse at upload rather than answer 5xx.
  if (out.profile.sampleType.length === 0) {
    throw new ProfileDecodeError(
      'malformed',
      'parsing profile: the profile has no sample types (pprof: profiles have empty common sample type list)',
    );
  }
  return out;
}

function decodeAny(raw: Uint8Array): { profile: Profile; format: ProfileFormat } {
  checkNotEmpty(raw);
  try {
    return { profile: decodeProtoFast(raw), format: 'proto' };
  } catch (err) {
    if (!(err instanceof ProfileDecodeError)) throw err;
    if (/concatenated profiles/.test(err.message)) throw err;
    const legacy: LegacyKind | null = detectLegacy(raw);
    if (legacy) {
      // decodeLegacy throws 'unsupported' for every kind it does not read.
      const profile = decodeLegacy(raw, legacy);
      const javaKind = profile.sampleType[0]?.type === 'contentions' ? 'legacy-contention' : 'legacy-heap';
      return { profile, format: LEGACY_FORMAT[legacy] ?? javaKind };
    }
    const dump = goroutineDump(raw);
    if (dump) return { profile: dump, format: 'goroutine-dump' };
    // A known kind of file (an image, an archive, a log) is named as such, with how to get a
    // profile, before any protobuf complaint: text often starts with bytes that look like a field tag.
    const kind = fileKind(raw);
    if (kind) {
      const start = kind.text ? ` (it starts with ${describeStart(raw)})` : '';
      throw new ProfileDecodeError('not-a-profile', `this is ${kind.what}, not a profile${start}; ${HOW_TO_GET_A_PROFILE}`);
    }
    if (looksLikeProto(raw)) throw err;
    throw new ProfileDecodeError(
      'not-a-profile',
      `not a profile: the data is neither gzip, a profile.proto message nor a known legacy profile format (it starts with ${describeStart(raw)})`,
    );
  }
}

/** decodeProfile plus the detected format and sizes. */
export function decodeProfileDetailed(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedProfile {
  const { raw, gzipped } = inflateProfileBytes(bytes, opts);
  return decodeInflated(raw, gzipped, opts);
}

/**
 * The rest of decodeProfileDetailed, for a caller that inflated the data itself
 * (inflateProfileBytes) and let the compressed bytes go: on a 1M-sample profile the
 * 150 MB of gzip are then freed by the collection that the decoder's first large
 * allocations start, instead of staying beside everything the decode builds.
 */
export function decodeInflated(raw: Uint8Array, gzipped: boolean, opts: DecodeOptions = {}): DecodedProfile {
  checkNotEmpty(raw);
  opts.beforeDecode?.(raw.length);
  return { ...decodeRaw(raw), gzipped, rawBytes: raw.length };
}

/** The profile data of a file's bytes: inflated when gzip (capped), else as given; empty input refused as decodeProfile refuses it. */
export function inflateProfileBytes(bytes: Uint8Array, opts: DecodeOptions = {}): { raw: Uint8Array; gzipped: boolean } {
  checkNotEmpty(bytes);
  const gzipped = isGzip(bytes);
  const raw = gzipped ? gunzipCapped(bytes, opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES) : bytes;
  if (raw.length === 0) throw new ProfileDecodeError('empty', 'parsing profile: empty input file (the gzip data inflates to nothing)');
  return { raw, gzipped };
}

export function decodeProfile(bytes: Uint8Array, opts: DecodeOptions = {}): Profile {
  return decodeProfileDetailed(bytes, opts).profile;
}

/** A `debug=2` goroutine dump or crash traceback as a goroutine profile, else null. */
function goroutineDump(raw: Uint8Array): Profile | null {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(raw.subarray(0, 65536));
  if (!looksLikeGoroutineDump(head)) return null;
  const d = parseGoroutineDump(new TextDecoder('utf-8', { fatal: false }).decode(raw));
  if (!d.goroutines.some((g) => g.frames.length > 0)) return null;
  return rememberDump(dumpToProfile(d), d);
}

/**
 * Whether the first tag is a plausible Profile field (1..15 with its wire type).
 * Used only to choose between reporting the protobuf error and "not a profile".
 */
function looksLikeProto(b: Uint8Array): boolean {
  const tag = b[0];
  if (tag >= 0x80) return false;
  const field = tag >>> 3;
  const wt = tag & 7;
  if ([1, 2, 3, 4, 5, 6, 11].includes(field)) return wt === 2;
  if (field === 13) return wt === 0 || wt === 2;
  if (field >= 7 && field <= 15) return wt === 0;
  return false;
}

function describeStart(b: Uint8Array): string {
  const head = b.subarray(0, 16);
  const printable = head.every((c) => (c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x09 || c === 0x0d);
  if (printable) return `"${new TextDecoder().decode(head).replace(/\r?\n/g, '\\n')}"`;
  return Array.from(head, (c) => c.toString(16).padStart(2, '0')).join(' ');
}
