import { LlamaCppLlm } from '../../src/model/llama-cpp.js'
import { NoModelLlm } from '../../src/model/no-model.js'
import { llmSuite } from './llm-suite.js'
import { STORIES, TEST_SETTINGS, TINY_RANDOM } from './models-path.js'

// Model-dependent suites in one file run serially (vitest runs one file's suites in order).
llmSuite('no model', async () => new NoModelLlm())
llmSuite('node-llama-cpp stories260K', async () => new LlamaCppLlm({ id: 'stories', name: 'stories260K', modelPath: STORIES, embeddingLength: 64, ...TEST_SETTINGS }))
llmSuite('node-llama-cpp tiny-random-llama', async () => new LlamaCppLlm({ id: 'tiny', name: 'tiny-random-llama', modelPath: TINY_RANDOM, embeddingLength: 8, ...TEST_SETTINGS }))
