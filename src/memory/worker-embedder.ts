import { Worker } from 'node:worker_threads'
import { ModelError, type ErrorCode } from '../errors.js'
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

/**
 * Texts per message (and so at most per model call): a query waiting behind batch embedding waits
 * for one chunk at most. Measured on LoCoMo turns: ~34 texts/s in calls of 8, ~23 in calls of 32
 * (a call pads every text to its longest).
 */
const CHUNK = 8

/**
 * The Universal Sentence Encoder in a worker thread. The model's compute (~15 ms per query on these
 * machines) then overlaps the main thread's lexical scoring, and ingest-time batch embedding never
 * blocks the node's event loop. Same id and (up to float rounding of batched calls) the same
 * vectors as the in-thread UseEmbedder, so either can read the other's stored vectors. The worker starts on first use and ends on close; while idle
 * it does not keep the process alive.
 */
export class WorkerEmbedder implements Embedder {
  readonly id: string
  readonly dimension: number
  readonly #init: UseEmbedderInit
  readonly #pending = new Map<number, Pending>()
  #worker: Worker | undefined
  #next = 0
  #closed = false

  constructor (init: UseEmbedderInit = {}) {
    const local = new UseEmbedder(init)
    this.id = local.id
    this.dimension = local.dimension
    this.#init = init
  }

  /** Whether a worker thread is running (tests check that close ends it). */
  get running (): boolean {
    return this.#worker !== undefined
  }

  /** Posts the first chunk before returning, so the caller's synchronous work overlaps it. */
  async embed (texts: string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = []
    for (let i = 0; i < texts.length; i += CHUNK) {
      options.signal?.throwIfAborted()
      const flat = await this.#request(texts.slice(i, i + CHUNK))
      for (let at = 0; at < flat.length; at += this.dimension) out.push(flat.subarray(at, at + this.dimension))
    }
    return out
  }

  async close (): Promise<void> {
    this.#closed = true
    const worker = this.#worker
    this.#worker = undefined
    this.#failAll(new ModelError('E_CLOSED', 'the embedder is closed'))
    await worker?.terminate()
  }

  async #request (texts: string[]): Promise<Float32Array> {
    if (this.#closed) throw new ModelError('E_CLOSED', 'the embedder is closed')
    const worker = this.#worker ?? this.#start()
    const id = this.#next++
    const reply = new Promise<Float32Array>((resolve, reject) => this.#pending.set(id, { resolve, reject }))
    // Keep the process alive only while an answer is awaited (an idle worker must not hold a CLI open).
    worker.ref()
    worker.postMessage({ id, texts } satisfies EmbedRequest)
    return await reply
  }

  #start (): Worker {
    const worker = spawn(this.#init)
    worker.on('message', (reply: EmbedReply) => this.#settle(worker, reply))
    worker.on('error', err => this.#crashed(worker, err))
    worker.on('exit', code => this.#crashed(worker, new Error(`the embedding worker exited (${code})`)))
    worker.unref()
    this.#worker = worker
    return worker
  }

  #settle (worker: Worker, reply: EmbedReply): void {
    const pending = this.#pending.get(reply.id)
    this.#pending.delete(reply.id)
    if (this.#pending.size === 0) worker.unref()
    if (reply.ok) pending?.resolve(reply.flat)
    else pending?.reject(new ModelError(reply.code, reply.message))
  }

  /** A dead worker fails what it owed; the next call starts a fresh one. */
  #crashed (worker: Worker, err: Error): void {
    if (this.#worker !== worker) return
    this.#worker = undefined
    this.#failAll(new ModelError('E_MODEL_FAILED', `embedding worker failed: ${err.message}`, { cause: err }))
  }

  #failAll (err: Error): void {
    for (const p of this.#pending.values()) p.reject(err)
    this.#pending.clear()
  }
}

/** Compiled (dist/*.js) the entry runs as is; from TypeScript sources it goes through the tsx bootstrap. */
function spawn (init: UseEmbedderInit): Worker {
  const fromSource = import.meta.url.endsWith('.ts')
  const entry = new URL(`./embed-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url)
  if (!fromSource) return new Worker(entry, { workerData: { ...init } satisfies WorkerInit })
  return new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { ...init, entry: entry.href } satisfies WorkerInit })
}
