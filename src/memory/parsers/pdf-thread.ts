// The PDF thread: pdf.js runs here, off the node's main thread (see pdf.ts). Requests are
// { id, bytes }; replies { id, pages } or { id, error }.
import { parentPort } from 'node:worker_threads'
import { pdfParagraphs } from './pdf-text.js'

export interface PdfRequest { id: number, bytes: Uint8Array }
export type PdfReply = { id: number, pages: string[][] } | { id: number, error: string }

const port = parentPort
if (port === null) throw new Error('pdf-thread runs only as a worker thread')

// pdf.js leaves some of its own prefetch promises unhandled when a damaged document fails (a page
// tree whose kids are fetched ahead, pdf.worker.mjs Catalog.getPageDict). The failure itself reaches
// us through the awaited call; the stray copy would end the thread (and, on the main thread, the
// node). Here, and only here, such a rejection is dropped.
process.on('unhandledRejection', () => {})

port.on('message', (request: PdfRequest) => {
  pdfParagraphs(request.bytes).then(
    (pages) => { port.postMessage({ id: request.id, pages } satisfies PdfReply) },
    (err: unknown) => { port.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies PdfReply) }
  )
})
