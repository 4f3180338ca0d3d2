import { z } from 'zod'
import type { Visibility } from '../scope.js'

/** An L0 item: one conversation turn or one passage of a note, as ingested. */
export interface MemoryItem {
  id: string
  text: string
  /** ISO 8601 time the item was said or written, when known. */
  time?: string
  /** File path or caller label the item came from. */
  source: string
  speaker?: string
  visibility: Visibility
  /** Normalised topic labels (clusters the owner can share or hide as a whole). */
  topics: string[]
  /** Items of one thread (a conversation session, a note) are neighbours in `seq` order. */
  thread: string
  seq: number
  /** Image caption or other side text that belongs to the item. */
  extra?: string
  ref?: string
  /** For derived memories (facts): the L0 items they were drawn from. */
  from?: string[]
  addedAt: string
}

export interface RecallHit {
  id: string
  text: string
  time?: string
  source: string
  speaker?: string
  score: number
  visibility: Visibility
  topics: string[]
}

/** A parsed source before it is written: its items without ids, visibility or topics yet. */
export interface ParsedItem {
  text: string
  time?: string
  speaker?: string
  extra?: string
  thread: string
  /** The source's own id for the item (e.g. a LoCoMo dialogue id), kept for provenance. */
  ref?: string
}

export interface ParsedSource {
  format: 'locomo' | 'chatgpt' | 'generic' | 'text' | 'markdown'
  items: ParsedItem[]
}

/**
 * Optional hook for L1 fact extraction by a model: given one thread of items (a session, a note
 * section) it returns short standalone facts. Without it everything works on the L0 items alone.
 */
export interface FactExtractor {
  extract: (thread: Array<{ text: string, speaker?: string, time?: string }>, options: { signal?: AbortSignal }) => Promise<string[]>
}

export interface IngestResult {
  files: number
  added: number
  skipped: number
}

export const MemoryConfigSchema = z.object({
  /** 'use' = the embedded Universal Sentence Encoder; 'none' = lexical recall only. */
  embedder: z.enum(['use', 'none']).default('use'),
  /** The owner's name as it appears as a speaker in conversations (for the bio). */
  owner: z.string().max(100).optional()
}).loose()

export type MemoryConfig = z.infer<typeof MemoryConfigSchema>
