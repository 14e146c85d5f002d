import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/browser/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: ONE on this project's 2-core machines, which ran the files
    // one after another while each mostly waited on its database or browser. Two side by side cut the PGlite pass
    // from 327 s to 246 s and the PostgreSQL pass from 235 s to 164 s there (2026-12-06).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
