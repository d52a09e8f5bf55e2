// The research corpus and seed documents live in `shared/` beside the repository
// (CI clones the repository with it there), never at a fixed absolute path.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
