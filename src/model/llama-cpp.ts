import { LlamaChatSession, type ChatHistoryItem, type LlamaContext, type LlamaModel, type Token } from 'node-llama-cpp'
import { ModelError, SecondMeError, StorageError } from '../errors.js'
import type { Embedder } from './embedder.js'
import { GgufEmbedder } from './gguf-embedder.js'
import { llamaRuntime, type GpuSetting } from './llama-runtime.js'
import { boundStrings } from './bounded-schema.js'
import { promptText, streamFromGenerate, type ChatPrompt, type GenerateOptions, type StructuredOptions, type GenerateResult, type JsonSchema, type Llm, type LlmCapabilities, type LlmInfo } from './llm.js'
import { deliveredElsewhere } from '../log.js'

export interface LoraAdapter {
  path: string
  /** @default 1 */
  scale?: number
}

export interface LlamaCppInit {
  id: string
  name: string
  modelPath: string
  /** `<arch>.embedding_length`, the size of embedding vectors. */
  embeddingLength: number
  adapters?: LoraAdapter[]
  /** @default 0 (node-llama-cpp decides) */
  threads?: number
  /** @default 2048 */
  contextSize?: number
  /** @default 'auto' */
  gpu?: GpuSetting
  /** @default 256 */
  maxTokens?: number
  /**
   * Context the weights support when the file says less: llama.cpp's finetune saves its short
   * training window as context_length, while the base model's positions still apply.
   */
  trainedContext?: number
}

interface Loaded { model: LlamaModel, context: LlamaContext }

/**
 * An LLM through node-llama-cpp. The model loads on first use; the chat template comes from the
 * GGUF (node-llama-cpp resolves a chat wrapper from its metadata). Calls run one at a time on the
 * model's single context sequence, whose history is cleared after each call.
 */
export class LlamaCppLlm implements Llm {
  readonly info: LlmInfo
  readonly capabilities: LlmCapabilities = { generate: true, structured: true, embed: true }
  #lastPrompt = ''
  readonly #init: LlamaCppInit
  #loaded: Promise<Loaded> | undefined
  #queue: Promise<unknown> = Promise.resolve()
  #closed = false

  constructor (init: LlamaCppInit) {
    this.#init = init
    this.info = { id: init.id, name: init.name, chatTemplate: 'unresolved' }
  }

  get lastPrompt (): string {
    return this.#lastPrompt
  }

  async generate (prompt: ChatPrompt, options: GenerateOptions = {}): Promise<GenerateResult> {
    return await this.#exclusive(async () => {
      const { context } = await this.#load()
      const started = performance.now()
      let tokens = 0
      const text = await this.#withSession(context, prompt, async (session, last) => await session.prompt(last, {
        maxTokens: options.maxTokens ?? this.#init.maxTokens ?? 256,
        temperature: options.temperature ?? 0,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onToken: (t: Token[]) => { tokens += t.length },
        ...(options.onText === undefined ? {} : { onTextChunk: options.onText })
      }))
      return { text, tokens, ms: performance.now() - started }
    })
  }

  stream (prompt: ChatPrompt, options: Omit<GenerateOptions, 'onText'> = {}): AsyncIterable<string> {
    return streamFromGenerate(async (onText) => await this.generate(prompt, { ...options, onText }))
  }

  async structured (prompt: ChatPrompt, schema: JsonSchema, options: StructuredOptions = {}): Promise<unknown> {
    return await this.#exclusive(async () => {
      const { context } = await this.#load()
      const llama = await llamaRuntime(this.#init.gpu ?? 'auto')
      let grammar
      try {
        grammar = await llama.createGrammarForJsonSchema(boundStrings(schema, options.maxStringLength ?? 200) as Parameters<typeof llama.createGrammarForJsonSchema>[0])
      } catch (err) {
        throw new ModelError('E_MODEL_FAILED', `the schema cannot be turned into a grammar: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
      }
      const text = await this.#withSession(context, prompt, async (session, last) => await session.prompt(last, {
        grammar,
        maxTokens: options.maxTokens ?? 1024,
        temperature: options.temperature ?? 0,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.onText === undefined ? {} : { onTextChunk: options.onText })
      }))
      try {
        return grammar.parse(text)
      } catch (err) {
        throw new ModelError('E_MODEL_FAILED', 'the model did not finish the JSON object (raise maxTokens or contextSize)', { cause: err })
      }
    })
  }

  async promptRoom (prompt: ChatPrompt): Promise<number> {
    const { model, context } = await this.#load()
    // The chat template adds a few markers per turn; 16 tokens each is generous for common templates.
    return context.contextSize - model.tokenize(promptText(prompt)).length - 16 * (prompt.turns.length + 1)
  }

  async embedder (): Promise<Embedder> {
    return new GgufEmbedder({
      modelId: this.#init.id,
      dimension: this.#init.embeddingLength,
      loadModel: async () => (await this.#load()).model,
      threads: this.#init.threads === 0 ? 1 : this.#init.threads ?? 1
    })
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#queue.catch(deliveredElsewhere)
    const loaded = await this.#loaded?.catch(() => undefined)
    await loaded?.context.dispose()
    await loaded?.model.dispose()
  }

  /** Runs one chat exchange on a fresh session; records the exact templated prompt text first. */
  async #withSession (context: LlamaContext, prompt: ChatPrompt, ask: (session: LlamaChatSession, last: string) => Promise<string>): Promise<string> {
    const last = prompt.turns.at(-1)
    if (last?.role !== 'user') throw new ModelError('E_MODEL_FAILED', 'a prompt must end with a user turn')
    const sequence = context.getSequence()
    const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: prompt.system, autoDisposeSequence: false })
    try {
      const history: ChatHistoryItem[] = [{ type: 'system', text: prompt.system }]
      for (const turn of prompt.turns.slice(0, -1)) {
        history.push(turn.role === 'user' ? { type: 'user', text: turn.text } : { type: 'model', response: [turn.text] })
      }
      session.setChatHistory(history)
      const full: ChatHistoryItem[] = [...history, { type: 'user', text: last.text }, { type: 'model', response: [] }]
      this.#lastPrompt = session.chatWrapper.generateContextState({ chatHistory: full }).contextText.toString()
      this.info.chatTemplate = session.chatWrapper.wrapperName
      return await ask(session, last.text)
    } catch (err) {
      if (err instanceof SecondMeError || (err instanceof Error && err.name === 'AbortError')) throw err
      throw new ModelError('E_MODEL_FAILED', `generation failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    } finally {
      session.dispose({ disposeSequence: false })
      await sequence.clearHistory()
      sequence.dispose()
    }
  }

  async #exclusive<T> (fn: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StorageError('E_CLOSED', 'the model is closed')
    const run = this.#queue.then(fn, fn)
    this.#queue = run.catch(deliveredElsewhere)
    return await run
  }

  async #load (): Promise<Loaded> {
    this.#loaded ??= this.#open().catch((err: unknown) => {
      this.#loaded = undefined
      throw err
    })
    return await this.#loaded
  }

  async #open (): Promise<Loaded> {
    const llama = await llamaRuntime(this.#init.gpu ?? 'auto')
    let model: LlamaModel
    try {
      model = await llama.loadModel({ modelPath: this.#init.modelPath })
    } catch (err) {
      throw new ModelError('E_BAD_MODEL', `cannot load ${this.#init.name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    }
    const lora = (this.#init.adapters ?? []).map(a => ({ filePath: a.path, scale: a.scale ?? 1 }))
    try {
      const context = await model.createContext({
        contextSize: Math.min(this.#init.contextSize ?? 2048, Math.max(model.trainContextSize, this.#init.trainedContext ?? 0)),
        ...(this.#init.threads === undefined || this.#init.threads === 0 ? {} : { threads: this.#init.threads }),
        ...(lora.length === 0 ? {} : { lora: { adapters: lora } })
      })
      return { model, context }
    } catch (err) {
      await model.dispose()
      throw new ModelError('E_BAD_MODEL', `cannot create a context for ${this.#init.name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    }
  }
}
