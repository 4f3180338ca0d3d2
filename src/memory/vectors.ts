import type { Embedder } from '../model/embedder.js'
import type { ProgressEvent } from '../progress.js'
import { markCacheStores, type Vault, type VaultStore } from '../vault/index.js'
import { DenseMatrix } from './dense.js'

export const VECTOR_STORE = 'memory-vectors'
export const META_STORE = 'memory-meta'
// Vectors and the embedder meta are derived: a corrupt record is dropped and re-embedded.
markCacheStores(VECTOR_STORE, META_STORE)

interface EmbedderMeta {
  id: string
  dimension: number
}

const BATCH = 32

export interface EmbedOptions {
  signal?: AbortSignal
  onProgress?: (e: ProgressEvent) => void
  /** Checked after each batch: false for items deleted meanwhile. */
  keep?: (id: string) => boolean
}

/**
 * Cached embeddings of memory items, persisted encrypted in the vault. The store is tagged with
 * the embedder's id and dimension: when a different embedder opens it, the old vectors are
 * dropped and recomputed rather than mixed.
 */
export class VectorIndex {
  readonly embedder: Embedder
  readonly #matrix: DenseMatrix
  readonly #rows = new Map<string, number>()
  readonly #ids: string[] = []
  #version = 0
  readonly #store: VaultStore<Uint8Array>
  readonly #meta: VaultStore<EmbedderMeta>
  readonly #vault: Vault
  #running: Promise<number> = Promise.resolve(0)

  private constructor (vault: Vault, embedder: Embedder) {
    this.#vault = vault
    this.embedder = embedder
    this.#matrix = new DenseMatrix(embedder.dimension)
    this.#store = vault.binaryStore(VECTOR_STORE)
    this.#meta = vault.store<EmbedderMeta>(META_STORE)
  }

  static async open (vault: Vault, embedder: Embedder): Promise<VectorIndex> {
    const index = new VectorIndex(vault, embedder)
    await index.#load()
    return index
  }

  get size (): number {
    return this.#ids.length
  }

  /** Changes whenever rows are added, moved or removed (for caches keyed by row). */
  get version (): number {
    return this.#version
  }

  has (id: string): boolean {
    return this.#rows.has(id)
  }

  rowOf (id: string): number | undefined {
    return this.#rows.get(id)
  }

  idAt (row: number): string | undefined {
    return this.#ids[row]
  }

  /** A copy of the stored vector. */
  get (id: string): Float32Array | undefined {
    const row = this.#rows.get(id)
    return row === undefined ? undefined : this.#matrix.row(row)
  }

  /** Cosine (vectors are unit length) of q with every row, by row: valid until the next call or change. */
  similarities (q: Float32Array): Float64Array {
    return this.#matrix.dots(q)
  }

  /** Embed the given items that have no vector yet; one run at a time, persisted per batch. */
  async embedMissing (items: Array<{ id: string, text: string }>, options: EmbedOptions = {}): Promise<number> {
    const run = this.#running.then(async () => await this.#embed(items, options))
    this.#running = run.catch(() => 0)
    return await run
  }

  async #embed (items: Array<{ id: string, text: string }>, options: EmbedOptions): Promise<number> {
    const pending = items.filter(i => !this.#rows.has(i.id))
    let done = 0
    for (let i = 0; i < pending.length; i += BATCH) {
      options.signal?.throwIfAborted()
      const batch = pending.slice(i, i + BATCH)
      const vectors = await this.embedder.embed(batch.map(b => b.text), options.signal === undefined ? {} : { signal: options.signal })
      // An item forgotten while its batch was being embedded must not get its vector back.
      const kept = batch.map((b, j) => ({ id: b.id, v: vectors[j] })).filter((x): x is { id: string, v: Float32Array } => x.v !== undefined && (options.keep?.(x.id) ?? true))
      await this.#vault.batch(kept.map(x => ({ type: 'put' as const, store: this.#store, key: x.id, value: toBytes(x.v) })))
      for (const x of kept) this.#put(x.id, x.v)
      done += batch.length
      options.onProgress?.({ phase: 'embedding', done, total: pending.length })
    }
    return done
  }

  /** Vault ops that delete an item's vector (joined to the caller's batch) and the cached copy. */
  deleteOps (id: string): Array<{ type: 'del', store: VaultStore<Uint8Array>, key: string }> {
    return [{ type: 'del', store: this.#store, key: id }]
  }

  /** Drop a row: the last row moves into its place, so the matrix stays dense. */
  forgetCached (id: string): void {
    const row = this.#rows.get(id)
    if (row === undefined) return
    const last = this.#matrix.swapRemove(row)
    const lastId = this.#ids[last] as string
    this.#ids[row] = lastId
    this.#rows.set(lastId, row)
    this.#ids.pop()
    this.#rows.delete(id)
    this.#version++
  }

  #put (id: string, v: Float32Array): void {
    const row = this.#rows.get(id)
    if (row !== undefined) this.#matrix.set(row, v)
    else {
      this.#rows.set(id, this.#matrix.push(v))
      this.#ids.push(id)
    }
    this.#version++
  }

  async #load (): Promise<void> {
    const meta = await this.#meta.get('embedder')
    const current = { id: this.embedder.id, dimension: this.embedder.dimension }
    if (meta === undefined || meta.id !== current.id || meta.dimension !== current.dimension) {
      // Another embedder (or none) wrote these: they are not comparable with ours.
      await this.#store.clear()
      await this.#meta.put('embedder', current)
      return
    }
    for await (const [id, bytes] of this.#store.entries()) {
      if (bytes.byteLength === current.dimension * 4) this.#put(id, fromBytes(bytes))
    }
  }
}

function toBytes (v: Float32Array): Uint8Array {
  return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength))
}

function fromBytes (bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return new Float32Array(copy.buffer)
}
