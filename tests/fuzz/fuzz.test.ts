// `npm test`'s share of the fuzzer (tests/fuzz/fuzz.ts): a fixed seed and a bounded run
// (about a minute on a quiet machine). `npm run fuzz` runs longer, with any seed.
import { expect, it } from 'vitest';
import { fuzz } from './fuzz.js';

const CASES = Number(process.env.PPROF_LENS_FUZZ_CASES ?? 400);
const SECONDS = Number(process.env.PPROF_LENS_FUZZ_SECONDS ?? 60);

it(`fuzzed profiles: every view of every accepted input answers without 5xx, in bounded time`, async () => {
  const sum = await fuzz({ seed: 12, maxCases: CASES, seconds: SECONDS });
  console.log(
    `fuzz: ${sum.cases} cases, ${sum.accepted} accepted, slowest ${sum.maxCpuMs.toFixed(0)} ms CPU, ${sum.failures.length} failures`,
  );
  expect(sum.cases).toBeGreaterThan(50);
  expect(sum.accepted).toBeGreaterThan(0);
  expect(sum.failures.map((f) => `${f.how} / ${f.step}: ${f.problem.split('\n').slice(0, 3).join(' | ')}`)).toEqual([]);
}, 180_000);
