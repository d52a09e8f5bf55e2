// Entry point of the decode layer: bytes in, Profile out.
import type { Profile } from '../model/profile.js';
import { ProfileDecodeError } from './errors.js';
import { DEFAULT_MAX_INFLATED_BYTES, gunzipCapped, isGzip } from './gunzip.js';
import { decodeProtoReference } from './reference-decoder.js';

export { ProfileDecodeError } from './errors.js';

export interface DecodeOptions {
  /** Cap on the inflated size of gzip input, in bytes. */
  maxInflatedBytes?: number;
}

export function decodeProfile(bytes: Uint8Array, opts: DecodeOptions = {}): Profile {
  if (bytes.length === 0) throw new ProfileDecodeError('empty', 'empty input: no profile data');
  const raw = isGzip(bytes) ? gunzipCapped(bytes, opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES) : bytes;
  if (raw.length === 0) throw new ProfileDecodeError('empty', 'empty input: gzip data inflates to nothing');
  return decodeProtoReference(raw);
}
