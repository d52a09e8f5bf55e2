import { defineConfig } from 'vitest/config';

// One run covers unit, API and browser tests; browser tests share one Chromium and
// need the built web bundle, which scripts/test.sh builds first.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
