import { InputError } from '../errors.js'
import type { Embedder } from '../model/embedder.js'
import type { Vault } from '../vault/index.js'
import { Memory } from './memory.js'
import { MemoryConfigSchema } from './types.js'
import { WorkerEmbedder } from './worker-embedder.js'

export { WorkerEmbedder } from './worker-embedder.js'
export { Memory, MEMORY_STORES, type AddTextOptions, type MemoryInit } from './memory.js'
export { embeddingText } from './items.js'
export { type VisibilityChange } from './bulk.js'
export type { DeclaredTopic } from './declared.js'
export type { MemoryItem, RecallHit, IngestResult, FileReport } from './types.js'
export type { Bio } from './bio.js'
export type { Fact, FactCategory } from './facts/types.js'
export { FACT_CATEGORIES } from './facts/types.js'
export type { IngestOptions } from './ingest.js'

export interface MemoryOptions {
  /** An embedder to use (not closed by the node), or null for lexical-only recall. Default: from config. */
  embedder?: Embedder | null
}

/** Open the memory of a node: config section `memory` (embedder, owner, ownerAliases, maxFileBytes, calendarDays) plus overrides. */
export async function openMemory (vault: Vault, section: Record<string, unknown>, options: MemoryOptions = {}, displayName?: string): Promise<Memory> {
  const parsed = MemoryConfigSchema.safeParse(section)
  if (!parsed.success) throw new InputError('E_BAD_CONFIG', `config memory: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  const config = parsed.data
  const injected = options.embedder !== undefined
  const embedder = injected ? options.embedder : config.embedder === 'none' ? null : new WorkerEmbedder()
  return await Memory.open(vault, {
    embedder,
    ownsEmbedder: !injected,
    ownerAliases: config.ownerAliases,
    maxFileBytes: config.maxFileBytes,
    calendarDays: config.calendarDays,
    // The owner is who `init --name` named unless the memory section says otherwise.
    ...((config.owner ?? displayName) === undefined ? {} : { owner: config.owner ?? displayName })
  })
}
