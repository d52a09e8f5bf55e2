// The profile corpus the tests read, kept in the repository (tests/fixtures/corpus: its
// README says where each file comes from and under which licence).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/corpus');
