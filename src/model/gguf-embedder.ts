import type { LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp'
import { ModelError, SecondMeError, StorageError } from '../errors.js'
import type { Embedder } from './embedder.js'
import { normalise } from './use-embedder.js'

export interface GgufEmbedderInit {
  /** Stable name of the model (registry id or sha prefix) for the embedder id. */
  modelId: string
  /** Vector size: the GGUF's `<arch>.embedding_length`. */
  dimension: number
  /** Loads (or shares) the model; called once, on first use. */
  loadModel: () => Promise<LlamaModel>
  /** @default 1 */
  threads?: number
  /** @default 512 */
  contextSize?: number
  /** Frees what `loadModel` loaded, when the embedder owns the model. */
  onClose?: () => Promise<void>
}

/** Embeddings from a GGUF model through node-llama-cpp's embedding context; vectors are unit length. */
export class GgufEmbedder implements Embedder {
  readonly id: string
  readonly dimension: number
  readonly #init: GgufEmbedderInit
  #context: Promise<LlamaEmbeddingContext> | undefined
  #closed = false

  constructor (init: GgufEmbedderInit) {
    this.#init = init
    this.dimension = init.dimension
    this.id = `gguf:${init.modelId}/${init.dimension}`
  }

  async embed (texts: string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (this.#closed) throw new StorageError('E_CLOSED', 'the embedder is closed')
    const context = await this.#load()
    const out: Float32Array[] = []
    // Room for the start and end markers the context adds (it refuses an input that fills it).
    const window = Math.min(this.#init.contextSize ?? 512, context.model.trainContextSize) - 3
    for (const text of texts) {
      options.signal?.throwIfAborted()
      // As the Universal Sentence Encoder does at its window: a long text is embedded from its beginning.
      const tokens = context.model.tokenize(text.trim() === '' ? '.' : text, false).slice(0, window)
      const embedding = await context.getEmbeddingFor(tokens)
      if (embedding.vector.length !== this.dimension) {
        throw new ModelError('E_MODEL_FAILED', `embedding has ${embedding.vector.length} dimensions, expected ${this.dimension}`)
      }
      out.push(normalise(Float32Array.from(embedding.vector)))
    }
    return out
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const context = this.#context
    this.#context = undefined
    if (context !== undefined) await (await context.catch(() => undefined))?.dispose()
    await this.#init.onClose?.()
  }

  async #load (): Promise<LlamaEmbeddingContext> {
    this.#context ??= (async () => {
      const model = await this.#init.loadModel()
      return await model.createEmbeddingContext({ contextSize: this.#init.contextSize ?? 512, threads: this.#init.threads ?? 1 })
    })().catch((err: unknown) => {
      this.#context = undefined
      if (err instanceof SecondMeError) throw err
      throw new ModelError('E_MODEL_FAILED', `cannot create an embedding context: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    })
    return await this.#context
  }
}

export interface GgufEmbedderFileOptions {
  threads?: number
  contextSize?: number
  gpu?: 'auto' | false
}

/**
 * An Embedder straight from a local GGUF file (e.g. a dedicated embedding model). Reads the header
 * for the vector size now; the model itself loads on first `embed` and is freed by `close`.
 */
export async function openGgufEmbedder (file: string, options: GgufEmbedderFileOptions = {}): Promise<Embedder> {
  const { inspectGguf } = await import('./gguf-info.js')
  const { llamaRuntime } = await import('./llama-runtime.js')
  const info = await inspectGguf(file)
  if (info.kind !== 'model' || info.embeddingLength === 0) throw new ModelError('E_BAD_MODEL', `${info.name} cannot produce embeddings`)
  let model: Promise<LlamaModel> | undefined
  return new GgufEmbedder({
    modelId: info.sha256.slice(0, 16),
    dimension: info.embeddingLength,
    threads: options.threads ?? 1,
    ...(options.contextSize === undefined ? {} : { contextSize: options.contextSize }),
    loadModel: async () => {
      model ??= llamaRuntime(options.gpu ?? 'auto').then(async llama => await llama.loadModel({ modelPath: info.path }))
      return await model
    },
    onClose: async () => { await (await model?.catch(() => undefined))?.dispose() }
  })
}
