import { normaliseTopic, type Visibility } from '../scope.js'
import type { VaultStore } from '../vault/index.js'
import { itemId, topicVisibility } from './items.js'
import type { NounBook } from './noun-book.js'
import { threadTopics } from './topics.js'
import type { MemoryItem, ParsedItem } from './types.js'

// A source is written in chunks of whole thread parts, so a several-hundred-MB export never sits in
// memory at once (parsed, built and sealed): the parser yields items, a chunk is written, the next
// is read. Until the last chunk lands with the source record, each chunk's batch also writes a
// pending record naming its items; an ingest that fails, is aborted or killed is rolled back from them.

/** Items per write batch: large enough that batches stay cheap, small enough to bound memory. */
export const CHUNK_ITEMS = 1000
/** Key prefix of a chunk written ahead of its source's record (in the source store). */
export const PENDING_PREFIX = 'pending:'

/** What a source's ingest has written so far: pending chunk records and the new items (for a rollback). */
export interface Written { pending: string[], fresh: string[] }

/** A run of one thread's items; `firstSeq` is the place of its first item in the whole thread. */
export interface ThreadPart { thread: string, items: ParsedItem[], firstSeq: number }

/**
 * Groups items into chunks of about `size` items. A thread still being read stays open into the
 * next chunk (its topics are found over the whole of it) unless it alone fills a chunk: a
 * years-long chat is then labelled part by part. Seq numbers continue across parts.
 */
export async function * chunksOf (items: AsyncIterable<ParsedItem>, size = CHUNK_ITEMS): AsyncGenerator<ThreadPart[]> {
  const open = new Map<string, ThreadPart>()
  const nextSeq = new Map<string, number>()
  let count = 0
  const flush = (keep?: ThreadPart): ThreadPart[] => {
    const out = [...open.values()].filter(p => p !== keep)
    for (const p of out) {
      open.delete(p.thread)
      nextSeq.set(p.thread, p.firstSeq + p.items.length)
    }
    count = keep?.items.length ?? 0
    return out
  }
  for await (const item of items) {
    let part = open.get(item.thread)
    if (part === undefined) open.set(item.thread, part = { thread: item.thread, items: [], firstSeq: nextSeq.get(item.thread) ?? 0 })
    part.items.push(item)
    if (++count < size) continue
    yield flush(part.items.length >= size ? undefined : part)
  }
  if (open.size > 0) yield flush()
}

export interface BuildContext {
  source: string
  addedAt: string
  /** The owner's visibility rule per topic label. */
  rules: ReadonlyMap<string, Visibility>
  df: (term: string) => number
  total: number
  /** Noun decisions shared by the threads of this and other writes. */
  nouns?: NounBook
}

/** Memory items of thread parts: ids, seq, thread topics (declared and found) and visibility. */
export function buildItems (parts: readonly ThreadPart[], ctx: BuildContext): MemoryItem[] {
  const out: MemoryItem[] = []
  const speakers = new Map<string, string>()
  for (const { thread, items, firstSeq } of parts) {
    const threadLabel = own(`${ctx.source}#${thread}`)
    const declared = [...new Set(items.flatMap(p => p.topics ?? []).map(normaliseTopic))]
    const topics = [...new Set([...declared, ...threadTopics(items.map(p => `${p.text} ${p.extra ?? ''}`), ctx.df, ctx.total, 2, ctx.nouns)])]
    const visibility = topicVisibility(topics, ctx.rules)
    items.forEach((p, i) => {
      const seq = firstSeq + i
      // A source's own key (message id, Message-ID, UID) keeps the id stable when the export moves or grows.
      const id = p.key === undefined ? itemId(ctx.source, `${thread}\n${seq}`, p.text) : itemId('key', p.key, p.text)
      out.push(memoryItem(p, { id, source: ctx.source, thread: threadLabel, seq, topics, visibility, addedAt: ctx.addedAt }, speakers))
    })
  }
  return out
}

/**
 * A copy of `text` that shares no memory with the string it came from. A parser's strings are
 * slices of the chunk of the file they were read from (V8 keeps substrings as views): a memory
 * item kept for the life of the process would keep its whole read chunk (up to MiBs) alive, and an
 * export's items would keep the whole export in RAM. Concatenating makes a new string and slicing it
 * flattens that into fresh storage of the text's own length.
 */
export function own (text: string): string {
  return ` ${text}`.slice(1)
}

type ItemPlace = Pick<MemoryItem, 'id' | 'source' | 'thread' | 'seq' | 'topics' | 'visibility' | 'addedAt'>

/**
 * The item of a parsed item at its place, its strings as own copies (see `own`); a speaker's name is
 * one string per chunk. Built field by field in one order: an object spread with fields added after
 * it gets a hidden class of its own in V8 (~400 bytes per item), these all share one.
 */
function memoryItem (p: ParsedItem, at: ItemPlace, speakers: Map<string, string>): MemoryItem {
  const item: MemoryItem = { id: at.id, text: own(p.text), source: at.source, thread: at.thread, seq: at.seq, topics: at.topics, visibility: at.visibility, addedAt: at.addedAt }
  if (p.time !== undefined) item.time = own(p.time)
  if (p.speaker !== undefined) {
    const name = speakers.get(p.speaker) ?? own(p.speaker)
    speakers.set(p.speaker, name)
    item.speaker = name
  }
  if (p.extra !== undefined) item.extra = own(p.extra)
  if (p.ref !== undefined) item.ref = own(p.ref)
  return item
}

/** The pending chunk records left by ingests that never completed: their keys and their items. */
export async function pendingChunks<R extends { items: string[] }> (sources: VaultStore<R>): Promise<{ keys: string[], items: string[] }> {
  const out: { keys: string[], items: string[] } = { keys: [], items: [] }
  for await (const [key, record] of sources.entries({ gte: PENDING_PREFIX, lt: `${PENDING_PREFIX}\uffff` })) {
    out.keys.push(key)
    out.items.push(...record.items)
  }
  return out
}

/** The owner's visibility rules per topic label, read once per write (not once per thread or item). */
export async function topicRules (topics: VaultStore<{ label: string, visibility: Visibility }>): Promise<Map<string, Visibility>> {
  const rules = new Map<string, Visibility>()
  for await (const [, rule] of topics.entries()) rules.set(rule.label, rule.visibility)
  return rules
}
