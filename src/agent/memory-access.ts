import type { Fact } from '../memory/facts/types.js'
import type { Scope, Visibility } from '../scope.js'
import type { AgentHost, AgentMemory } from './types.js'

/** A recalled memory with what the privacy rules need (the memory area's RecallHit, trimmed). */
export interface ScopedMemory extends AgentMemory {
  speaker?: string
  visibility: Visibility
  topics: string[]
}

/** Recall through the memory area with an explicit scope: out-of-scope items never come back. */
export async function recallFor (me: AgentHost, query: string, k: number, scope: Scope): Promise<ScopedMemory[]> {
  const hits = await me.memory.recall(query, { k, scope, replies: true })
  return hits.map(h => ({
    id: h.id,
    text: h.text,
    source: h.source,
    score: h.score,
    ...(h.time === undefined ? {} : { time: h.time }),
    ...(h.speaker === undefined ? {} : { speaker: h.speaker }),
    ...(h.replyTo === undefined ? {} : { replyTo: h.replyTo }),
    ...(h.extra === undefined ? {} : { extra: h.extra }),
    visibility: h.visibility,
    topics: h.topics
  }))
}

/** The turn said right before a memory in its conversation, when the scope covers it (autofill's replies). */
export function turnBeforeFor (me: AgentHost, scope: Scope): (id: string) => { text: string, speaker?: string } | undefined {
  return id => {
    const before = me.memory.turnBefore(id, scope)
    return before === undefined ? undefined : { text: before.text, ...(before.speaker === undefined ? {} : { speaker: before.speaker }) }
  }
}

/** The L1 facts about `person` the scope may see: what autofill cites for a value. */
export function factsFor (me: AgentHost, person: string, scope: Scope): Fact[] {
  return me.memory.facts({ about: person, scope })
}
