import { expect } from 'vitest'
import { StaticUseEmbedder } from '../../src/memory/use-static.js'
import { WorkerEmbedder } from '../../src/memory/worker-embedder.js'
import { openGgufEmbedder } from '../../src/model/gguf-embedder.js'
import { LlamaCppLlm } from '../../src/model/llama-cpp.js'
import { UseEmbedder } from '../../src/model/use-embedder.js'
import { embedderSuite } from './embedder-suite.js'
import { STORIES, TEST_SETTINGS, TINY_RANDOM } from './models-path.js'

// Every Embedder implementation that runs offline, through one contract. Suites in one file run
// serially (one model in memory at a time).
embedderSuite('Universal Sentence Encoder (library path)', async () => new UseEmbedder())
embedderSuite('Universal Sentence Encoder (static graph)', async () => {
  const embedder = new StaticUseEmbedder()
  expect(await embedder.path()).toBe('static')
  return embedder
})
embedderSuite('Universal Sentence Encoder in a worker thread', async () => new WorkerEmbedder({ workers: 1 }))
embedderSuite('GGUF file (stories260K)', async () => {
  const embedder = await openGgufEmbedder(STORIES, { threads: 1, contextSize: 128, gpu: false })
  // The vector size comes from the file's header; the id from its sha256.
  expect(embedder.id).toBe('gguf:270cba1bd5109f42/64')
  return embedder
})
const tiny = new LlamaCppLlm({ id: 'tiny', name: 'tiny-random-llama', modelPath: TINY_RANDOM, embeddingLength: 8, ...TEST_SETTINGS })
embedderSuite('a loaded LLM\'s embedder (tiny-random-llama)', async () => await tiny.embedder(), async () => { await tiny.close() })
