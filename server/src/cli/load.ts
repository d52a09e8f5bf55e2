// Reads and decodes a profile file for CLI commands.
import { readFileSync } from 'node:fs';
import type { Profile } from '../model/profile.js';
import { decodeProfile } from '../decode/index.js';
import { UsageError } from './flags.js';

export function readProfileFile(file: string): Profile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  return decodeProfile(bytes);
}
