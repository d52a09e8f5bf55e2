// Reads and decodes a profile file for CLI commands.
import { readFileSync } from 'node:fs';
import type { Profile } from '../model/profile.js';
import { decodeInflated, inflateProfileBytes } from '../decode/index.js';
import { combineProfiles, IncompatibleProfilesError } from '../analysis/merge.js';
import { UsageError } from './flags.js';
import { takePrefetched } from './prefetch.js';

export function readProfileFile(file: string): Profile {
  const { raw, gzipped } = inflateFile(file);
  return decodeInflated(raw, gzipped).profile;
}

/**
 * The file's profile data, inflated. Its own function so that no frame still holds the
 * compressed bytes when the decode starts (see decodeInflated).
 */
function inflateFile(file: string): { raw: Uint8Array; gzipped: boolean } {
  const early = takePrefetched(file);
  if (early) return early;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  return inflateProfileBytes(bytes);
}

/**
 * Several files as one profile, as `go tool pprof FILE...` reads them: sample types reduced
 * to those all share, units converted to the finest, then merged (pprof's combineProfiles).
 * One file is returned as decoded. Incompatible files are a UsageError naming them.
 */
export function loadMerged(files: string[]): Profile {
  const ps = files.map(readProfileFile);
  if (ps.length === 1) return ps[0]!;
  try {
    return combineProfiles(ps);
  } catch (e) {
    if (e instanceof IncompatibleProfilesError) throw new UsageError(`cannot merge ${files.join(', ')}: ${e.message}`);
    throw e;
  }
}
