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
    // Each worker keeps its module cache from one file to the next: every file used to import the whole app again
    // (test/api alone: 370 s of import time and 6.6 CPU-minutes isolated, 28 s and 3.7 CPU-minutes not, same tests
    // passing; 2026-12-07, loaded machine). Files share no state through src modules: each builds its own app and
    // database (test/support/test-app.ts) and closes it; the two files that fake Date restore real timers.
    isolate: false,
    // …and the test support modules' own state is reset before each file (counters, the sample clock).
    setupFiles: ['test/support/per-file.ts'],
  },
});
