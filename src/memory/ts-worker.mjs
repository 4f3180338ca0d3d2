// Starts a TypeScript worker entry when the sources run through tsx (CLI without a build, vitest,
// benches): a worker thread does not inherit the parent's loader hooks, and `execArgv: ['--import',
// 'tsx']` does not take effect there, so the worker registers tsx itself before importing the entry.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
