import { ModelError } from '../errors.js'
import type { Embedder } from './embedder.js'
import type { ChatPrompt, GenerateResult, JsonSchema, Llm, LlmCapabilities, LlmInfo } from './llm.js'

function noModel (): ModelError {
  return new ModelError('E_NO_MODEL', 'no model is configured (add one with `secondme model add <file.gguf>` and `secondme model use <id>`)')
}

/** The backend when no model is configured: every call fails with E_NO_MODEL, nothing is loaded. */
export class NoModelLlm implements Llm {
  readonly info: LlmInfo = { id: 'none', name: 'no model', chatTemplate: 'none' }
  readonly capabilities: LlmCapabilities = { generate: false, structured: false, embed: false }
  readonly lastPrompt = ''

  async generate (_prompt: ChatPrompt): Promise<GenerateResult> {
    throw noModel()
  }

  // eslint-disable-next-line require-yield
  async * stream (_prompt: ChatPrompt): AsyncIterable<string> {
    throw noModel()
  }

  async structured (_prompt: ChatPrompt, _schema: JsonSchema): Promise<unknown> {
    throw noModel()
  }

  async embedder (): Promise<Embedder> {
    throw noModel()
  }

  async close (): Promise<void> {}
}
