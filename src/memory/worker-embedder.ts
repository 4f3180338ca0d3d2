import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { errorFor, ModelError, StorageError, type ErrorCode } from '../errors.js'
import type { Embedder } from '../model/embedder.js'
import { UseEmbedder, type UseEmbedderInit } from '../model/use-embedder.js'

/** What the worker is started with (entry: the TypeScript entry, for the tsx bootstrap only). */
export interface WorkerInit extends UseEmbedderInit {
  entry?: string
}
export interface EmbedRequest { id: number, texts: string[] }
export type EmbedReply =
  | { id: number, ok: true, flat: Float32Array<ArrayBuffer> }
  | { id: number, ok: false, code: ErrorCode, message: string }

interface Pending { resolve: (flat: Float32Array) => void, reject: (err: Error) => void }

/** One worker thread and the answers it owes. */
interface Slot { worker: Worker, pending: Map<number, Pending> }

export interface WorkerEmbedderInit extends UseEmbedderInit {
  /** Worker threads, each with its own copy of the model. @default min(2, available cores) */
  workers?: number
}

/**
 * Texts per message (and so at most per model call): a query waiting behind batch embedding waits
 * for one chunk at most. Measured on LoCoMo turns: ~34 texts/s in calls of 8, ~23 in calls of 32
 * (a call pads every text to its longest).
 */
const CHUNK = 8

/**
 * The Universal Sentence Encoder in worker threads. The model's compute (~15 ms per query on these
 * machines) then overlaps the main thread's lexical scoring, ingest-time batch embedding never
 * blocks the node's event loop, and with two workers a batch uses two cores (the model call itself
 * is single-threaded WASM). Chunks of a batch go to the least busy worker, so a query waits behind
 * one chunk at most. Same id and (up to float rounding of batched calls) the same vectors as the
 * in-thread UseEmbedder, so either can read the other's stored vectors. Workers start on first use
 * and end on close; while idle they do not keep the process alive.
 */
export class WorkerEmbedder implements Embedder {
  readonly id: string
  readonly dimension: number
  readonly #init: UseEmbedderInit
  readonly #size: number
  readonly #slots: Array<Slot | undefined>
  #next = 0
  #closed = false

  constructor (init: WorkerEmbedderInit = {}) {
    const { workers, ...model } = init
    const local = new UseEmbedder(model)
    this.id = local.id
    this.dimension = local.dimension
    this.#init = model
    this.#size = Math.max(1, workers ?? Math.min(2, availableParallelism()))
    this.#slots = new Array<Slot | undefined>(this.#size).fill(undefined)
  }

  /** Whether a worker thread is running (tests check that close ends it). */
  get running (): boolean {
    return this.#slots.some(s => s !== undefined)
  }

  /** Chunks are posted at once to the workers; the first is posted before this returns. */
  async embed (texts: string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    options.signal?.throwIfAborted()
    const chunks: Array<Promise<Float32Array>> = []
    // At most two chunks queued per worker: an abort stops the rest, and a query still gets in between.
    const inFlight = this.#size * 2
    const out: Float32Array[] = []
    for (let i = 0; i < texts.length; i += CHUNK) {
      chunks.push(this.#request(texts.slice(i, i + CHUNK)))
      if (chunks.length >= inFlight || i + CHUNK >= texts.length) {
        for (const flat of await Promise.all(chunks.splice(0))) {
          for (let at = 0; at < flat.length; at += this.dimension) out.push(flat.subarray(at, at + this.dimension))
        }
        options.signal?.throwIfAborted()
      }
    }
    return out
  }

  async close (): Promise<void> {
    this.#closed = true
    const slots = this.#slots.splice(0, this.#slots.length, ...new Array<undefined>(this.#size).fill(undefined))
    for (const slot of slots) if (slot !== undefined) this.#failAll(slot, new StorageError('E_CLOSED', 'the embedder is closed'))
    await Promise.all(slots.map(async slot => await slot?.worker.terminate()))
  }

  async #request (texts: string[]): Promise<Float32Array> {
    if (this.#closed) throw new StorageError('E_CLOSED', 'the embedder is closed')
    const slot = this.#leastBusy()
    const id = this.#next++
    const reply = new Promise<Float32Array>((resolve, reject) => slot.pending.set(id, { resolve, reject }))
    // Keep the process alive only while an answer is awaited (an idle worker must not hold a CLI open).
    slot.worker.ref()
    slot.worker.postMessage({ id, texts } satisfies EmbedRequest)
    return await reply
  }

  /** An idle running worker first, then a worker not started yet, then the one owing the fewest answers. */
  #leastBusy (): Slot {
    let best: number | undefined
    for (let i = 0; i < this.#size; i++) {
      const slot = this.#slots[i]
      if (slot === undefined) {
        if (best === undefined || (this.#slots[best]?.pending.size ?? 0) > 0) best = i
        continue
      }
      if (best === undefined || slot.pending.size < (this.#slots[best]?.pending.size ?? Number.POSITIVE_INFINITY)) best = i
    }
    const index = best ?? 0
    return this.#slots[index] ?? this.#start(index)
  }

  #start (index: number): Slot {
    const slot: Slot = { worker: spawn(this.#init), pending: new Map() }
    slot.worker.on('message', (reply: EmbedReply) => { this.#settle(slot, reply) })
    slot.worker.on('error', err => { this.#crashed(index, slot, err) })
    slot.worker.on('exit', code => { this.#crashed(index, slot, new Error(`the embedding worker exited (${code})`)) })
    slot.worker.unref()
    this.#slots[index] = slot
    return slot
  }

  #settle (slot: Slot, reply: EmbedReply): void {
    const pending = slot.pending.get(reply.id)
    slot.pending.delete(reply.id)
    if (slot.pending.size === 0) slot.worker.unref()
    if (reply.ok) pending?.resolve(reply.flat)
    else pending?.reject(errorFor(reply.code, reply.message))
  }

  /** A dead worker fails what it owed; the next call starts a fresh one. */
  #crashed (index: number, slot: Slot, err: Error): void {
    if (this.#slots[index] !== slot) return
    this.#slots[index] = undefined
    this.#failAll(slot, new ModelError('E_MODEL_FAILED', `embedding worker failed: ${err.message}`, { cause: err }))
  }

  #failAll (slot: Slot, err: Error): void {
    for (const p of slot.pending.values()) p.reject(err)
    slot.pending.clear()
  }
}

/** Compiled (dist/*.js) the entry runs as is; from TypeScript sources it goes through the tsx bootstrap. */
function spawn (init: UseEmbedderInit): Worker {
  const fromSource = import.meta.url.endsWith('.ts')
  const entry = new URL(`./embed-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url)
  if (!fromSource) return new Worker(entry, { workerData: { ...init } satisfies WorkerInit })
  return new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { ...init, entry: entry.href } satisfies WorkerInit })
}
