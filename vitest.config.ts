// Test runner settings: hermetic environment so colour and locale never leak in from the caller.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // src/boot.cts and src/early.cts are CommonJS TypeScript (.cts), which the default transform leaves out.
  oxc: { include: /\.[cm]?tsx?$/ },
  test: {
    include: ['test/**/*.test.ts'],
    env: { NO_COLOR: '', FORCE_COLOR: '' },
    testTimeout: 20000,
    reporters: ['default', './test/reporter.ts'],
  },
});
