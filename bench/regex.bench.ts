// The regexp engine for user and profile patterns (issue 12): re2js (Go's RE2 semantics,
// linear time) against V8's backtracking RegExp (the engine before), on the names of the
// large profiles; the filtered top end to end against `go tool pprof` in the same run; and
// a catastrophic pattern on growing inputs. Prints figures; results in bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeProfile } from '../server/src/decode/index.js';
import { computeTop, prepareProfile } from '../server/src/report/index.js';
import { compileGoRegexp } from '../contract/go-regexp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const inputs = [
  path.join(root, 'samples/largeheap/heap.pb.gz'),
  path.resolve(root, 'tests/fixtures/corpus/google-pprof/internal/proftest/testdata/large.cpu'),
].filter((f) => existsSync(f));

// Patterns valid in both engines with the same meaning.
const PATTERNS = ['main\\.', '^runtime\\.', 'alloc', 'sync\\.\\(\\*Mutex\\)\\.Lock$', '^(\\w+\\.?)+$', '[[:upper:]]'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(f: () => void, runs = RUNS): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

function goBin(): string | null {
  const r = spawnSync('bash', [path.join(root, 'scripts/ensure-go.sh')], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const go = goBin();
console.log(`runs: ${RUNS} (median)`);
for (const input of inputs) {
  const p = prepareProfile(decodeProfile(readFileSync(input)));
  const names: string[] = [];
  for (const f of p.function) names.push(f.name, f.filename);
  console.log(`\n${path.relative(root, input)}: ${p.function.length} functions, ${names.length} strings tested per pattern`);
  for (const src of PATTERNS) {
    const v8 = new RegExp(src.replace('[[:upper:]]', '[A-Z]'));
    const re2 = compileGoRegexp(src);
    let a = 0;
    let b = 0;
    const tv8 = time(() => {
      a = 0;
      for (const s of names) if (v8.test(s)) a++;
    });
    const tre2 = time(() => {
      b = 0;
      for (const s of names) if (re2.test(s)) b++;
    });
    console.log(
      `  ${src.padEnd(28)} V8 ${tv8.toFixed(2).padStart(7)} ms   re2js ${tre2.toFixed(2).padStart(7)} ms   (${(tre2 / Math.max(tv8, 0.001)).toFixed(1)}x)   matches ${a}/${b}`,
    );
  }
  const q = { focus: 'main\\.', hide: '^runtime\\.' };
  const ours = time(() => computeTop(p, q, {}), Math.min(RUNS, 3));
  let goMs = NaN;
  if (go) {
    const ms: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      const t0 = performance.now();
      spawnSync(go, ['tool', 'pprof', '-top', '-symbolize=none', '-focus=main\\.', '-hide=^runtime\\.', input], {
        encoding: 'utf8',
        env: { ...process.env, HOME: '/tmp' },
      });
      ms.push(performance.now() - t0);
    }
    goMs = median(ms);
  }
  console.log(
    `  top -focus=main\\. -hide=^runtime\\.: ours (engine, decoded) ${ours.toFixed(0)} ms; go tool pprof (process, incl. decode) ${goMs.toFixed(0)} ms`,
  );
}

console.log('\ncatastrophic pattern ^(.|.)*Z on a name of n characters (no Z):');
for (const n of [16, 20, 22, 24, 10_000, 1_000_000]) {
  const s = 'a'.repeat(n);
  const re2 = compileGoRegexp('^(.|.)*Z');
  const tre2 = time(() => re2.test(s), 3);
  const tv8 = n <= 24 ? time(() => /^(.|.)*Z/.test(s), 1) : NaN;
  console.log(
    `  n=${String(n).padStart(8)}  V8 ${Number.isNaN(tv8) ? '(not run: exponential)' : tv8.toFixed(1) + ' ms'}   re2js ${tre2.toFixed(2)} ms`,
  );
}
