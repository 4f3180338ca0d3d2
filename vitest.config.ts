import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['src/polyfill.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // 2-core machines: files run in parallel processes, model-dependent suites mark themselves serial.
    pool: 'forks',
    maxWorkers: 2
  }
})
