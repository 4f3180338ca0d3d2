import type { Embedder } from './embedder.js'

/** One chat turn fed to a model. The system text carries persona and (permitted) memories. */
export interface ChatTurn {
  role: 'user' | 'assistant'
  text: string
}

/** What a model is asked: rendered through the model's own chat template by the backend. */
export interface ChatPrompt {
  system: string
  /** Oldest first; the last one is the user's message to answer. */
  turns: ChatTurn[]
}

export interface GenerateOptions {
  /** @default the backend's configured maxTokens */
  maxTokens?: number
  /** 0 = greedy (deterministic). @default 0 */
  temperature?: number
  signal?: AbortSignal
  /** Streamed text as it is produced. */
  onText?: (chunk: string) => void
}

export interface StructuredOptions extends GenerateOptions {
  /** Strings without a maxLength in the schema get this one, so the JSON always finishes. @default 200 */
  maxStringLength?: number
}

export interface GenerateResult {
  text: string
  tokens: number
  /** Generation time only (the prompt's evaluation included), for tokens/s. */
  ms: number
}

/** A JSON Schema object (draft-07 subset that node-llama-cpp's grammar accepts). */
export type JsonSchema = Record<string, unknown>

export interface LlmInfo {
  /** Registry id of the model (or 'none'). */
  id: string
  /** Human name: file name or general.name from the GGUF. */
  name: string
  /** Name of the chat template resolved from the GGUF (e.g. 'Llama3Chat'); 'none' without a model. */
  chatTemplate: string
}

/** What a backend can do; the shared test suite checks each declared capability. */
export interface LlmCapabilities {
  generate: boolean
  structured: boolean
  embed: boolean
}

/**
 * The one model interface every door uses. Backends: node-llama-cpp (`LlamaCppLlm`) and
 * `NoModelLlm` (no model configured: every call fails with E_NO_MODEL, so callers fall back to
 * extractive answers). Implementations load lazily: constructing one costs nothing.
 */
export interface Llm {
  readonly info: LlmInfo
  readonly capabilities: LlmCapabilities
  /** Exact text of the last prompt sent to the model (after chat templating); '' before any call. */
  readonly lastPrompt: string
  generate: (prompt: ChatPrompt, options?: GenerateOptions) => Promise<GenerateResult>
  /** The same generation as an async iterable of text chunks. */
  stream: (prompt: ChatPrompt, options?: Omit<GenerateOptions, 'onText'>) => AsyncIterable<string>
  /** Grammar-constrained JSON that parses and matches the schema's shape. */
  structured: (prompt: ChatPrompt, schema: JsonSchema, options?: StructuredOptions) => Promise<unknown>
  /** An Embedder over the same model file (its own embedding context). */
  embedder: () => Promise<Embedder>
  /**
   * Tokens left in the model's context after `prompt` (negative when it does not fit). Characters per
   * token vary a lot between tokenizers (a 512-token vocabulary spends one token on two characters), so
   * callers that fill a prompt up to a budget check it here instead of guessing.
   */
  promptRoom?: (prompt: ChatPrompt) => Promise<number>
  close: () => Promise<void>
}

/**
 * Adapts an onText-style generate into an async iterable. Chunks are queued so a slow consumer
 * never loses text; an error from generation is rethrown to the consumer.
 */
export async function * streamFromGenerate (
  run: (onText: (chunk: string) => void) => Promise<unknown>
): AsyncIterable<string> {
  const queue: string[] = []
  let wake: (() => void) | undefined
  let done = false
  let failure: { error: unknown } | undefined
  const finished = run((chunk) => { queue.push(chunk); wake?.() })
    .catch((error: unknown) => { failure = { error } })
    .finally(() => { done = true; wake?.() })
  while (true) {
    const next = queue.shift()
    if (next !== undefined) { yield next; continue }
    if (done) break
    await new Promise<void>(resolve => { wake = resolve })
    wake = undefined
  }
  await finished
  if (failure !== undefined) throw failure.error
}


/** A chat prompt as one text: what a model's tokenizer counts to see whether a prompt fits. */
export function promptText (prompt: ChatPrompt): string {
  return [prompt.system, ...prompt.turns.map(t => `${t.role}: ${t.text}`)].join('\n')
}
