// Test runner settings: hermetic environment so colour and locale never leak in from the caller.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // src/boot.cts and src/early.cts are CommonJS TypeScript (.cts), which the default transform leaves out.
  oxc: { include: /\.[cm]?tsx?$/ },
  test: {
    include: ['test/**/*.test.ts'],
    env: { NO_COLOR: '', FORCE_COLOR: '' },
    testTimeout: 20000,
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core CI machine, where the
    // suite then took 60 s; most test files wait on child processes, so two share two cores well (34 s).
    maxWorkers: 2,
    reporters: ['default', './test/reporter.ts'],
  },
});
