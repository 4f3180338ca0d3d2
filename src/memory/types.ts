import { z } from 'zod'
import type { ErrorCode } from '../errors.js'
import type { Scope, Visibility } from '../scope.js'

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
  /**
   * The labels among `topics` that declared-topic selection gave (re-decided whenever topics are
   * reassessed). The other labels are the owner's or the source's own and selection never removes them.
   */
  selected?: string[]
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
  /** Set on the turn that follows a recalled question (recall with `replies`): the hit it answers. */
  replyTo?: string
  /** Side text of the item (a shared photo's caption, a heading): it was indexed, so it may be why the item was recalled. */
  extra?: string
}

export interface RecallOptions {
  k?: number
  scope?: Scope
  /** Also return, after each hit that asks something, the next item of its thread (if in scope). */
  replies?: boolean
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
  /**
   * A key that names the item in its source independently of the file's path (a ChatGPT message id,
   * an email Message-ID, a calendar UID + occurrence): the same item in a newer or moved export
   * gets the same memory id.
   */
  key?: string
  /** Topics the source itself declares (note tags); added to the thread's own topics. */
  topics?: string[]
}

export const SOURCE_FORMATS = ['locomo', 'chatgpt', 'generic', 'telegram', 'whatsapp', 'email', 'mbox', 'calendar', 'pdf', 'markdown', 'text'] as const
export type SourceFormat = typeof SOURCE_FORMATS[number]

export const FILE_STATUSES = ['ingested', 'known', 'skipped'] as const

/** What happened to one file of an ingest: its items were added, it was known already, or skipped and why. */
export interface FileReport {
  path: string
  status: typeof FILE_STATUSES[number]
  format?: SourceFormat
  /** New items written from this file. */
  added: number
  /** Items of this file already in memory. */
  known: number
  /** Why the file was skipped: the error code and a message for a person. */
  code?: ErrorCode
  reason?: string
}

export interface IngestResult {
  /** Files looked at (ingested, known or skipped). */
  files: number
  added: number
  /** Items already in memory (re-ingest adds nothing). */
  known: number
  /** Files skipped (see `reports` for the reason of each). */
  skipped: number
  reports: FileReport[]
}

export const MemoryConfigSchema = z.object({
  /** 'use' = the embedded Universal Sentence Encoder; 'none' = lexical recall only. */
  embedder: z.enum(['use', 'none']).default('use'),
  /** The owner's name as it appears as a speaker in conversations (for the bio). */
  owner: z.string().max(100).optional(),
  /** Other names, e-mail addresses or handles the owner appears under in chats and mail. */
  ownerAliases: z.array(z.string().min(1).max(200)).max(100).default([]),
  /** Files larger than this are refused (skipped in a folder). @default 1 GiB */
  maxFileBytes: z.number().int().positive().default(1024 ** 3),
  /** Calendar recurrences are expanded this many days before and after the ingest. */
  calendarDays: z.object({ past: z.number().int().min(0).max(3650).default(730), future: z.number().int().min(0).max(3650).default(365) }).default({ past: 730, future: 365 })
}).loose()

export type MemoryConfig = z.infer<typeof MemoryConfigSchema>

/** A memory as the agent sees it: already filtered to what the asker may see. */
export interface AgentMemory {
  id: string
  text: string
  time?: string
  source?: string
  score?: number
  /** Who said it, when known: an answer about one person is drawn from what that person said. */
  speaker?: string
  /** The id of the recalled question this memory replies to (the next turn of its conversation). */
  replyTo?: string
  /** Side text (a shared photo's caption, a heading): part of the same memory, under the same scope. */
  extra?: string
}

/** How the network asks the memory layer for in-scope memories before any agent sees them. */
export interface ScopedRecall {
  recall: (query: string, scope: Scope, k: number) => Promise<AgentMemory[]>
}
