/**
 * Turns text into vectors for semantic recall. Implementations: the embedded offline
 * Universal Sentence Encoder (default) and a GGUF embedding model through node-llama-cpp.
 * `id` names model + version + dimension so cached vectors from another embedder are never mixed.
 */
export interface Embedder {
  readonly id: string
  readonly dimension: number
  embed: (texts: string[], options?: { signal?: AbortSignal }) => Promise<Float32Array[]>
  close: () => Promise<void>
}
