import { Worker } from 'node:worker_threads'
import { InputError } from '../../errors.js'
import type { ParsedItem } from '../types.js'
import { malformed, readBytes, type ParseContext } from './context.js'
import type { PdfReply, PdfRequest } from './pdf-thread.js'

// PDF: the text layer, one memory per paragraph, with its page number (extraction: pdf-text.ts).
// pdf.js runs in a worker thread of its own. A hostile PDF can make it leave a rejected promise
// unhandled (which would end the whole node) or loop for a long time (which would freeze it);
// in the thread the first is contained and the second ends with the thread after PDF_TIMEOUT_MS.

/** Longest a single PDF may take to read; beyond it the thread is stopped and the file refused. */
export const PDF_TIMEOUT_MS = 120_000

export async function parsePdf (ctx: ParseContext): Promise<ParsedItem[]> {
  const chunks: Buffer[] = []
  for await (const chunk of readBytes(ctx)) chunks.push(chunk as Buffer)
  const pages = await thread.read(Buffer.concat(chunks), ctx)
  const items = pages.flatMap((paragraphs, i) => paragraphs.map(text => ({ text, thread: 'document', extra: `page ${i + 1}`, ref: `p${i + 1}`, time: ctx.mtime })))
  if (items.length === 0) throw new InputError('E_NO_TEXT', `${ctx.path}: the PDF has no text layer (a scan?): run OCR on it first (e.g. ocrmypdf) and ingest the result`)
  return items
}

interface Pending { resolve: (pages: string[][]) => void, reject: (err: unknown) => void }

/** One PDF thread for the process, started on first use, not keeping the process alive when idle. */
class PdfThread {
  #worker: Worker | undefined
  readonly #pending = new Map<number, Pending>()
  #next = 0

  async read (bytes: Uint8Array, ctx: ParseContext): Promise<string[][]> {
    ctx.signal?.throwIfAborted()
    const worker = this.#worker ?? this.#start()
    const id = this.#next++
    const pages = new Promise<string[][]>((resolve, reject) => { this.#pending.set(id, { resolve, reject }) })
    worker.ref()
    worker.postMessage({ id, bytes } satisfies PdfRequest)
    const stop = (err: unknown): void => { this.#pending.get(id)?.reject(err); void this.#stop(worker) }
    const onAbort = (): void => { stop(ctx.signal?.reason) }
    ctx.signal?.addEventListener('abort', onAbort, { once: true })
    const timer = setTimeout(() => { stop(malformed(ctx, `reading the PDF took longer than ${PDF_TIMEOUT_MS / 1000} s`)) }, PDF_TIMEOUT_MS)
    try {
      return await pages.catch((err: unknown) => { throw err instanceof Error && err.name === 'PdfUnreadable' ? malformed(ctx, err.message) : err })
    } finally {
      clearTimeout(timer)
      ctx.signal?.removeEventListener('abort', onAbort)
      this.#pending.delete(id)
      if (this.#pending.size === 0) this.#worker?.unref()
    }
  }

  #start (): Worker {
    const worker = spawn()
    worker.on('message', (reply: PdfReply) => {
      const pending = this.#pending.get(reply.id)
      if ('pages' in reply) pending?.resolve(reply.pages)
      else pending?.reject(Object.assign(new Error(reply.error), { name: 'PdfUnreadable' }))
    })
    const died = (err: Error): void => {
      if (this.#worker === worker) this.#worker = undefined
      for (const p of this.#pending.values()) p.reject(Object.assign(new Error(`the PDF reader failed (${err.message})`), { name: 'PdfUnreadable' }))
    }
    worker.on('error', died)
    worker.on('exit', (code) => { died(new Error(`exit ${code}`)) })
    this.#worker = worker
    return worker
  }

  async #stop (worker: Worker): Promise<void> {
    if (this.#worker === worker) this.#worker = undefined
    await worker.terminate()
  }
}

const thread = new PdfThread()

/** Compiled (dist/*.js) the entry runs as is; from TypeScript sources it goes through the tsx bootstrap. */
function spawn (): Worker {
  const fromSource = import.meta.url.endsWith('.ts')
  const entry = new URL(`./pdf-thread.${fromSource ? 'ts' : 'js'}`, import.meta.url)
  if (!fromSource) return new Worker(entry)
  return new Worker(new URL('../ts-worker.mjs', import.meta.url), { workerData: { entry: entry.href } })
}
