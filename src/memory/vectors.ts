import type { Embedder } from '../model/embedder.js'
import type { ProgressEvent } from '../api/op.js'
import type { Vault, VaultStore } from '../vault/index.js'

export const VECTOR_STORE = 'memory-vectors'
export const META_STORE = 'memory-meta'

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
  readonly #vectors = new Map<string, Float32Array>()
  readonly #store: VaultStore<Uint8Array>
  readonly #meta: VaultStore<EmbedderMeta>
  readonly #vault: Vault
  #running: Promise<number> = Promise.resolve(0)

  private constructor (vault: Vault, embedder: Embedder) {
    this.#vault = vault
    this.embedder = embedder
    this.#store = vault.binaryStore(VECTOR_STORE)
    this.#meta = vault.store<EmbedderMeta>(META_STORE)
  }

  static async open (vault: Vault, embedder: Embedder): Promise<VectorIndex> {
    const index = new VectorIndex(vault, embedder)
    await index.#load()
    return index
  }

  get size (): number {
    return this.#vectors.size
  }

  has (id: string): boolean {
    return this.#vectors.has(id)
  }

  get (id: string): Float32Array | undefined {
    return this.#vectors.get(id)
  }

  /** Embed the given items that have no vector yet; one run at a time, persisted per batch. */
  async embedMissing (items: Array<{ id: string, text: string }>, options: EmbedOptions = {}): Promise<number> {
    const run = this.#running.then(async () => await this.#embed(items, options))
    this.#running = run.catch(() => 0)
    return await run
  }

  async #embed (items: Array<{ id: string, text: string }>, options: EmbedOptions): Promise<number> {
    const pending = items.filter(i => !this.#vectors.has(i.id))
    let done = 0
    for (let i = 0; i < pending.length; i += BATCH) {
      options.signal?.throwIfAborted()
      const batch = pending.slice(i, i + BATCH)
      const vectors = await this.embedder.embed(batch.map(b => b.text), options.signal === undefined ? {} : { signal: options.signal })
      // An item forgotten while its batch was being embedded must not get its vector back.
      const kept = batch.map((b, j) => ({ id: b.id, v: vectors[j] })).filter((x): x is { id: string, v: Float32Array } => x.v !== undefined && (options.keep?.(x.id) ?? true))
      await this.#vault.batch(kept.map(x => ({ type: 'put' as const, store: this.#store, key: x.id, value: toBytes(x.v) })))
      for (const x of kept) this.#vectors.set(x.id, x.v)
      done += batch.length
      options.onProgress?.({ phase: 'embedding', done, total: pending.length })
    }
    return done
  }

  /** Vault ops that delete an item's vector (joined to the caller's batch) and the cached copy. */
  deleteOps (id: string): Array<{ type: 'del', store: VaultStore<Uint8Array>, key: string }> {
    return [{ type: 'del', store: this.#store, key: id }]
  }

  forgetCached (id: string): void {
    this.#vectors.delete(id)
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
      if (bytes.byteLength === current.dimension * 4) this.#vectors.set(id, fromBytes(bytes))
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

/** Hot loop of semantic recall (3k × 512 per query): unrolled, no per-element undefined checks. */
export function dot (a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length)
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let i = 0
  for (; i + 3 < n; i += 4) {
    s0 += (a[i] as number) * (b[i] as number)
    s1 += (a[i + 1] as number) * (b[i + 1] as number)
    s2 += (a[i + 2] as number) * (b[i + 2] as number)
    s3 += (a[i + 3] as number) * (b[i + 3] as number)
  }
  for (; i < n; i++) s0 += (a[i] as number) * (b[i] as number)
  return s0 + s1 + s2 + s3
}
