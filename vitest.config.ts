import { defineConfig } from 'vitest/config';

// `vitest run` (npm test) runs every project. `npm run test:unit` runs the "unit" project
// alone: pure tests that need no Go, Chromium, Ceph or root. Unit-level tests that compare
// with `go tool pprof` (tests/.references, made by scripts/make-references.sh) or run the
// Go toolchain are the "reference" project, listed here.
const REFERENCE = [
  'tests/unit/diff-flame.test.ts',
  'tests/unit/diff-merge.test.ts',
  'tests/unit/diff-top.test.ts',
  'tests/unit/encode-pprof.test.ts',
  'tests/unit/engine-exact.test.ts',
  'tests/unit/engine-tz.test.ts',
  'tests/unit/filter-banner-references.test.ts',
  'tests/unit/format.test.ts',
  'tests/unit/graph-references.test.ts',
  'tests/unit/insights-attribution.test.ts',
  'tests/unit/insights-cpu.test.ts',
  'tests/unit/insights-rules.test.ts',
  'tests/unit/insights-samples.test.ts',
  'tests/unit/list-references.test.ts',
  'tests/unit/live-cli.test.ts',
  'tests/unit/merge-references.test.ts',
  'tests/unit/peek-references.test.ts',
  'tests/unit/source-escape.test.ts',
  'tests/unit/source-reader.test.ts',
  'tests/unit/source-resolve.test.ts',
  'tests/unit/tags-references.test.ts',
  'tests/unit/top-references.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      // Worker threads start faster than forked processes: the unit project's 30 files run
      // in about 4/5 of the time (bench/RESULTS.md, "npm run test:unit").
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], exclude: REFERENCE, pool: 'threads' } },
      { extends: true, test: { name: 'reference', include: REFERENCE } },
      // API and browser tests start servers; browser tests share one Chromium and need the
      // built web bundle, which scripts/test.sh builds first.
      { extends: true, test: { name: 'api', include: ['tests/api/**/*.test.ts'] } },
      { extends: true, test: { name: 'browser', include: ['tests/browser/**/*.test.ts'] } },
      // npm test's bounded share of the hostile-input fuzzer (`npm run fuzz` runs longer).
      { extends: true, test: { name: 'fuzz', include: ['tests/fuzz/**/*.test.ts'] } },
    ],
  },
});
