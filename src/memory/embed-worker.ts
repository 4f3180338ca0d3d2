// Worker-thread side of WorkerEmbedder: hosts the embedding model off the main thread, so a query's
// embedding runs while the main thread scores lexically, and batch embedding never blocks the node.
import { parentPort, workerData } from 'node:worker_threads'
import { isSecondMeError, ModelError } from '../errors.js'
import type { Embedder } from '../model/embedder.js'
import { StaticUseEmbedder } from './use-static.js'
import type { EmbedReply, EmbedRequest, WorkerInit } from './worker-embedder.js'

const port = parentPort
if (port === null) throw new ModelError('E_MODEL_FAILED', 'embed-worker runs only as a worker thread')

const init = workerData as WorkerInit
// The one embedder the wrapper knows today (USE-lite, run as a static graph); another in-process
// model would be one more case here.
const embedder: Embedder = new StaticUseEmbedder(init.batchSize === undefined ? {} : { batchSize: init.batchSize })

port.on('message', (request: EmbedRequest) => {
  void answer(request).then(reply => {
    // Vectors travel as one transferred buffer: no copy, no structured clone of 512 numbers each.
    port.postMessage(reply, reply.ok ? [reply.flat.buffer] : [])
  })
})

async function answer (request: EmbedRequest): Promise<EmbedReply> {
  try {
    const vectors = await embedder.embed(request.texts)
    const flat = new Float32Array(vectors.length * embedder.dimension)
    vectors.forEach((v, i) => flat.set(v.subarray(0, embedder.dimension), i * embedder.dimension))
    return { id: request.id, ok: true, flat }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    return { id: request.id, ok: false, code: isSecondMeError(err) ? err.code : 'E_MODEL_FAILED', message }
  }
}
