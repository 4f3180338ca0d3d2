import { createHash } from 'node:crypto'
import { terms, termCounts } from '../util/text.js'
import { VISIBILITIES, type Visibility } from '../scope.js'
import type { FactSource } from './facts/types.js'
import type { AgentMemory, MemoryItem, RecallHit } from './types.js'

// What one L0 item gives the rest of memory: its id, its index terms, the text it is embedded as,
// its shape as a recall hit and as a fact source, and its order in time.

export function termsOf (item: MemoryItem): { tf: Map<string, number>, len: number } {
  const list = terms(`${item.speaker ?? ''} ${item.text} ${item.extra ?? ''}`)
  return { tf: termCounts(list), len: list.length }
}

/** What the embedder sees: who said it, what was said, and any side text (photo caption, heading). */
export function embeddingText (item: Pick<MemoryItem, 'text' | 'speaker' | 'extra'>): string {
  return `${item.speaker === undefined ? '' : `${item.speaker}: `}${item.text}${item.extra === undefined ? '' : ` ${item.extra}`}`
}

export function factSource (item: MemoryItem): FactSource {
  return {
    id: item.id, text: item.text, visibility: item.visibility, thread: item.thread, seq: item.seq,
    ...(item.speaker === undefined ? {} : { speaker: item.speaker }),
    ...(item.time === undefined ? {} : { time: item.time }),
    ...(item.ref === undefined ? {} : { ref: item.ref }),
    ...(item.extra === undefined ? {} : { extra: item.extra })
  }
}

export function toHit (item: MemoryItem, score: number): RecallHit {
  return {
    id: item.id, text: item.text, source: item.source, score: Math.round(score * 1000) / 1000,
    visibility: item.visibility, topics: item.topics,
    ...(item.time === undefined ? {} : { time: item.time }),
    ...(item.speaker === undefined ? {} : { speaker: item.speaker }),
    ...(item.extra === undefined ? {} : { extra: item.extra })
  }
}

/** A recall hit as the network and the agent see it. */
export function toAgentMemory (h: RecallHit): AgentMemory {
  return {
    id: h.id, text: h.text, source: h.source, score: h.score,
    ...(h.time === undefined ? {} : { time: h.time }),
    ...(h.speaker === undefined ? {} : { speaker: h.speaker }),
    ...(h.replyTo === undefined ? {} : { replyTo: h.replyTo }),
    ...(h.extra === undefined ? {} : { extra: h.extra })
  }
}

export function timeMs (item: MemoryItem | undefined): number | undefined {
  if (item?.time === undefined) return undefined
  const t = Date.parse(item.time)
  return Number.isNaN(t) ? undefined : t
}

export function byTimeThenSeq (a: MemoryItem, b: MemoryItem): number {
  return (a.time ?? '').localeCompare(b.time ?? '') || a.thread.localeCompare(b.thread) || a.seq - b.seq
}

/** The most restrictive of the owner's rules among an item's topics; private when no rule applies. */
export function topicVisibility (topics: readonly string[], rules: ReadonlyMap<string, Visibility>): Visibility {
  const applied = topics.flatMap(t => rules.get(t) ?? [])
  return VISIBILITIES.find(v => applied.includes(v)) ?? 'private'
}

export function hash (text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32)
}

/** Ids derive from the content and its place in the source, so re-ingesting adds nothing. */
export function itemId (source: string, place: string, text: string): string {
  return `m${hash(`${source}\n${place}\n${text}`).slice(0, 20)}`
}

/** The turn `offset` places from `item` in its thread, found among its index neighbours. */
export function turnAt (item: MemoryItem, offset: number, get: (id: string) => MemoryItem | undefined, neighbours: (id: string) => string[]): MemoryItem | undefined {
  return neighbours(item.id).map(get).find(o => o !== undefined && o.thread === item.thread && o.seq === item.seq + offset)
}

/**
 * After each hit that asks something, the next item of its thread (in scope): the answer is often
 * there. `neighbours` gives the ids indexed next to an item.
 */
export function withReplies (hits: readonly RecallHit[], allowed: ReadonlySet<string>, get: (id: string) => MemoryItem | undefined, neighbours: (id: string) => string[]): RecallHit[] {
  const seen = new Set(hits.map(h => h.id))
  const out: RecallHit[] = []
  for (const hit of hits) {
    out.push(hit)
    const item = get(hit.id)
    if (item === undefined || !hit.text.includes('?')) continue
    const next = turnAt(item, 1, get, neighbours)
    if (next === undefined || !allowed.has(next.id) || seen.has(next.id)) continue
    seen.add(next.id)
    out.push({ ...toHit(next, hit.score), replyTo: hit.id })
  }
  return out
}

/** The items of the one known speaker the query names (by name or first name), if exactly one. */
export function namedSpeaker (bySpeaker: ReadonlyMap<string, Set<string>>, query: string, allowed: ReadonlySet<string>): Set<string> | undefined {
  const words = new Set(query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
  const named: string[] = []
  for (const [speaker, ids] of bySpeaker) {
    const first = speaker.split(/\s+/)[0] ?? speaker
    if (!words.has(first) && !words.has(speaker)) continue
    // Only speakers the asker can see count: a private-only speaker must not change the ranking.
    for (const id of ids) if (allowed.has(id)) { named.push(speaker); break }
  }
  return named.length === 1 ? bySpeaker.get(named[0] ?? '') : undefined
}
