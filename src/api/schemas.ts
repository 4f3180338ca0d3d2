import { z } from 'zod'
import { ErrorCodes, type ErrorCode } from '../errors.js'
import { FACT_CATEGORIES } from '../memory/facts/types.js'
import { FILE_STATUSES, SOURCE_FORMATS } from '../memory/types.js'
import { VISIBILITIES } from '../scope.js'

// Result shapes shared by several ops. Each op's `result` schema is what its `run` returns (the
// type checker holds `run` to it) and what doors publish as JSON Schema.

export const Visibility = z.enum(VISIBILITIES)

/** An L0 memory item as listed (src/memory/types.ts MemoryItem). */
export const MemoryItemResult = z.object({
  id: z.string(),
  text: z.string(),
  time: z.string().optional(),
  source: z.string(),
  speaker: z.string().optional(),
  visibility: Visibility,
  topics: z.array(z.string()),
  selected: z.array(z.string()).optional(),
  thread: z.string(),
  seq: z.number(),
  extra: z.string().optional(),
  ref: z.string().optional(),
  from: z.array(z.string()).optional(),
  addedAt: z.string()
})

/** One recall hit (src/memory/types.ts RecallHit). */
export const RecallHitResult = z.object({
  id: z.string(),
  text: z.string(),
  time: z.string().optional(),
  source: z.string(),
  speaker: z.string().optional(),
  /** A shared photo's caption or a heading, indexed with the text. */
  extra: z.string().optional(),
  score: z.number(),
  visibility: Visibility,
  topics: z.array(z.string())
})

/** A JSON object whose fields the op does not fix (e.g. a signed grant token). */
export const JsonObject = z.record(z.string(), z.unknown())

/** An L1 fact (src/memory/facts/types.ts Fact). */
export const FactResult = z.object({
  id: z.string(),
  person: z.string(),
  text: z.string(),
  category: z.enum(FACT_CATEGORIES),
  sources: z.array(z.string()),
  refs: z.array(z.string()),
  time: z.string().optional(),
  said: z.string().optional(),
  seq: z.number().optional(),
  visibility: Visibility
})

/** The bio (src/memory/bio.ts Bio). */
export const BioResult = z.object({
  person: z.string(),
  summary: z.string(),
  sentences: z.array(z.object({ text: z.string(), facts: z.array(z.string()) })),
  facts: z.array(z.object({ id: z.string(), text: z.string(), time: z.string().optional() })),
  topics: z.array(z.string())
})

/** What an ingest did, per file and in total (src/memory/types.ts IngestResult). */
export const IngestResult = z.object({
  files: z.number(),
  added: z.number(),
  known: z.number(),
  skipped: z.number(),
  reports: z.array(z.object({
    path: z.string(),
    status: z.enum(FILE_STATUSES),
    format: z.enum(SOURCE_FORMATS).optional(),
    added: z.number(),
    known: z.number(),
    code: z.enum(Object.keys(ErrorCodes) as [ErrorCode, ...ErrorCode[]]).optional(),
    reason: z.string().optional()
  }))
})
