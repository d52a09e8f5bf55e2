// `npm run fuzz -- [--seconds N] [--cases N] [--seed N]`: runs the hostile-input fuzzer
// (tests/fuzz/fuzz.ts) for as long as asked; every failing input is written to
// tests/.tmp/fuzz-failures/ with what was done to it, to become a regression test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzz, ROOT } from '../tests/fuzz/fuzz.js';

const args = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const seed = opt('seed', Date.now() % 1_000_000);
const seconds = opt('seconds', 300);
const maxCases = opt('cases', Number.MAX_SAFE_INTEGER);
const dir = join(ROOT, 'tests', '.tmp', 'fuzz-failures');
console.log(`fuzz: seed ${seed}, up to ${seconds} s`);
const sum = await fuzz({
  seed,
  seconds,
  maxCases,
  onFailure: (f, i) => {
    mkdirSync(dir, { recursive: true });
    const base = join(dir, `seed${seed}-case${i}`);
    writeFileSync(base + '.bin', f.bytes);
    writeFileSync(base + '.txt', `${f.how}\nstep: ${f.step}\n${f.problem}\n`);
    console.log(`FAIL case ${i}: ${f.how} / ${f.step}: ${f.problem.split('\n')[0]} -> ${base}.bin`);
  },
});
console.log(
  `fuzz: ${sum.cases} cases, ${sum.accepted} accepted, slowest ${sum.maxCpuMs.toFixed(0)} ms CPU, ${sum.failures.length} failures`,
);
process.exitCode = sum.failures.length ? 1 : 0;
