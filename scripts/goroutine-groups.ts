// Writes <dump>.groups.txt beside each goroutine dump given (server/src/goroutines/format.ts
// lines), the expected groups tests/unit/goroutines-dumps.test.ts checks. Review the output
// against the program that made the dump before committing it.
// Usage: npx tsx scripts/goroutine-groups.ts tests/fixtures/goroutines/*.txt
import { readFileSync, writeFileSync } from 'node:fs';
import { groupGoroutines } from '../server/src/goroutines/group.js';
import { formatGroups } from '../server/src/goroutines/format.js';
import { parseGoroutineDump } from '../server/src/goroutines/parse.js';

for (const f of process.argv.slice(2)) {
  if (f.endsWith('.groups.txt') || !f.endsWith('.txt')) continue;
  const d = parseGoroutineDump(readFileSync(f, 'utf8'));
  const out = f.replace(/\.txt$/, '.groups.txt');
  writeFileSync(out, (d.panic ? `# ${d.panic.split('\n')[0]}\n` : '') + formatGroups(groupGoroutines(d.goroutines)));
  process.stderr.write(`${out}: ${d.goroutines.length} goroutines\n`);
}
