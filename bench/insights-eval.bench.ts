// Precision and recall of each insights rule on the labelled evaluation set
// (tests/fixtures/insights-eval). Figures, not pass/fail: tests/unit/insights-eval.test.ts
// holds the bar.
import { formatMisses, formatScoreTable, loadEvalCases, scoreEval } from '../tests/unit/insights-eval-score.js';

const cases = loadEvalCases();
const t0 = performance.now();
const score = scoreEval(cases);
const ms = performance.now() - t0;
const n = cases.reduce((a, c) => a + c.profiles.length, 0);
console.log(`${n} labelled profiles (${score.traps} traps) in ${cases.length} cases, scored in ${ms.toFixed(0)} ms\n`);
console.log(formatScoreTable(score));
const misses = formatMisses(score);
if (misses) console.log(`\nWhere the engine is wrong:\n${misses}`);
