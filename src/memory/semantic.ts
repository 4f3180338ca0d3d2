// Embedding side of recall: the query's cosine with every stored vector, blended with the cosines of
// the turns around each item. Works on rows of the dense vector matrix; the neighbour table and the
// per-scope row masks are built once and reused until memory changes.
import type { LexicalIndex } from './lexical.js'
import type { VectorIndex } from './vectors.js'

/** The allowed ids in the Set's order, each one's position and vector row (-1: none yet), and allowed rows. */
export interface Candidates {
  ids: string[]
  index: Map<string, number>
  rows: Int32Array
  mask: Uint8Array
}

interface NeighbourTable {
  vectors: number
  lexical: number
  /** Per row, `stride` neighbour rows (-1 = none), nearest first, and their weights. */
  rows: Int32Array
  weights: Float64Array
  stride: number
}

export class SemanticScorer {
  readonly #vectors: VectorIndex
  readonly #lexical: LexicalIndex
  #table: NeighbourTable | undefined
  /** Per allowed-id set (Memory hands out one Set per scope until memory changes). */
  readonly #candidates = new WeakMap<Set<string>, Candidates & { version: number }>()
  #out = new Float64Array(0)
  #own: Float64Array = new Float64Array(0)

  constructor (vectors: VectorIndex, lexical: LexicalIndex) {
    this.#vectors = vectors
    this.#lexical = lexical
  }

  /**
   * Similarity per vector row: the item's own cosine mixed (`share`) with the weighted mean of its
   * allowed neighbours' cosines; NaN for rows outside `allowed`. Valid until the next call.
   */
  score (q: Float32Array, allowed: Set<string>, share: number): Float64Array {
    const n = this.#vectors.size
    if (this.#out.length < n) this.#out = new Float64Array(n * 2)
    const out = this.#out
    const own = this.#vectors.similarities(q)
    this.#own = own
    const { mask } = this.candidates(allowed)
    const table = share > 0 ? this.#neighbours() : undefined
    for (let r = 0; r < n; r++) {
      if (mask[r] !== 1) { out[r] = Number.NaN; continue }
      const s = own[r] as number
      out[r] = table === undefined ? s : blend(table, r, s, own, mask, share)
    }
    return out
  }

  /** The items' own cosines (unblended) from the last score() call, by row: valid until the next call. */
  get own (): Float64Array {
    return this.#own
  }

  candidates (allowed: Set<string>): Candidates {
    const cached = this.#candidates.get(allowed)
    if (cached !== undefined && cached.version === this.#vectors.version) return cached
    const ids = [...allowed]
    const index = new Map<string, number>()
    const rows = new Int32Array(ids.length).fill(-1)
    const mask = new Uint8Array(this.#vectors.size)
    ids.forEach((id, i) => {
      index.set(id, i)
      const row = this.#vectors.rowOf(id)
      if (row === undefined) return
      rows[i] = row
      mask[row] = 1
    })
    const candidates = { ids, index, rows, mask }
    this.#candidates.set(allowed, { version: this.#vectors.version, ...candidates })
    return candidates
  }

  #neighbours (): NeighbourTable {
    const t = this.#table
    if (t !== undefined && t.vectors === this.#vectors.version && t.lexical === this.#lexical.version) return t
    const stride = 2 * this.#lexical.params.window
    const n = this.#vectors.size
    const rows = new Int32Array(n * stride).fill(-1)
    const weights = new Float64Array(n * stride)
    for (let r = 0; r < n; r++) {
      const id = this.#vectors.idAt(r)
      if (id === undefined) continue
      let k = r * stride
      for (const nb of this.#lexical.neighbours(id)) {
        const row = nb.id === id ? undefined : this.#vectors.rowOf(nb.id)
        if (row === undefined || k >= (r + 1) * stride) continue
        rows[k] = row
        weights[k++] = nb.weight
      }
    }
    this.#table = { vectors: this.#vectors.version, lexical: this.#lexical.version, rows, weights, stride }
    return this.#table
  }
}

function blend (t: NeighbourTable, r: number, s: number, own: Float64Array, mask: Uint8Array, share: number): number {
  let sum = 0
  let weights = 0
  for (let k = r * t.stride, end = k + t.stride; k < end; k++) {
    const nb = t.rows[k] as number
    if (nb < 0) break
    if (mask[nb] !== 1) continue
    const w = t.weights[k] as number
    sum += w * (own[nb] as number)
    weights += w
  }
  return weights === 0 ? s : (1 - share) * s + share * (sum / weights)
}
