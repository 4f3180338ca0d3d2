import type { Visibility } from '../scope.js'
import type { MemoryItem } from './types.js'

export interface Bio {
  /** A short readable description assembled from the owner's own statements. */
  summary: string
  /** The statements it was built from, with provenance. */
  facts: Array<{ id: string, text: string, time?: string }>
  topics: string[]
}

const SELF = /\b(i am|i'm|i work|i live|i love|i like|i enjoy|i've been|i have|my (job|work|family|kids|wife|husband|partner|passion|dream|goal))\b/i
const MAX_FACTS = 8

/**
 * The bio without a model: the owner's most telling first-person statements (one per topic, newest
 * first) and the topics they talk about most. Only items already in the caller's scope come in.
 */
export function ownerBio (items: MemoryItem[], owner: string | undefined, topics: Array<{ topic: string, count: number, visibility: Visibility | 'mixed' }>): Bio {
  const own = items.filter(i => isOwner(i, owner) && SELF.test(i.text) && i.text.length >= 20 && i.text.length <= 300)
  const seenTopics = new Set<string>()
  const facts: Bio['facts'] = []
  for (const item of [...own].reverse()) {
    const key = item.topics[0] ?? item.id
    if (seenTopics.has(key)) continue
    seenTopics.add(key)
    facts.push({ id: item.id, text: item.text, ...(item.time === undefined ? {} : { time: item.time }) })
    if (facts.length >= MAX_FACTS) break
  }
  const top = topics.slice(0, 5).map(t => t.topic)
  const who = owner ?? 'The owner'
  const summary = facts.length === 0 && top.length === 0
    ? 'Nothing is known yet.'
    : [top.length === 0 ? '' : `${who} talks most about ${top.join(', ')}.`, ...facts.map(f => `“${f.text}”`)].filter(s => s !== '').join('\n')
  return { summary, facts, topics: top }
}

function isOwner (item: MemoryItem, owner: string | undefined): boolean {
  if (item.speaker === undefined) return true
  if (owner !== undefined) return item.speaker.toLowerCase() === owner.toLowerCase()
  return ['user', 'me', 'owner'].includes(item.speaker.toLowerCase())
}
