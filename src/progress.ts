// A foundation type: long operations in every layer (ingest, embedding, training, simulation)
// report progress in this shape, and the doors show it. It lives here so no lower layer has to
// import the op registry (src/api) to name it.

/** A progress event from a long operation (ingest, embedding, training, simulation). */
export interface ProgressEvent {
  phase: string
  done: number
  total?: number
  detail?: string
}
