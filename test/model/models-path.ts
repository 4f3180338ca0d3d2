import { resolve } from 'node:path'
import { SHARED } from '../helpers/tmp.js'

/** The tiny real GGUF models shared by the tests (override with SECONDME_TEST_MODELS). */
export const MODELS_DIR = process.env.SECONDME_TEST_MODELS ?? resolve(SHARED, 'models')
export const STORIES = resolve(MODELS_DIR, 'stories260K.gguf')
export const TINY_RANDOM = resolve(MODELS_DIR, 'tiny-random-llama.gguf')
/** Settings for tests: one thread (two stall under load on 2 cores), small contexts. */
export const TEST_SETTINGS = { threads: 1, contextSize: 1024, gpu: false as const, maxTokens: 48 }
