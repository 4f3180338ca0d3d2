import type { Fact } from '../../memory/facts/types.js'
import type { MemoryItem } from '../../memory/types.js'
import type { Visibility } from '../../scope.js'
import { terms } from '../../util/text.js'
import { factPairs, type FactPair } from './facts-data.js'

/** One SFT example in the common `messages[]` chat format, with provenance for audits. */
export interface SftExample {
  messages: Array<{ role: 'system' | 'user' | 'assistant', content: string }>
  meta: { kind: 'qa' | 'style', memoryIds: string[], visibility: Visibility[], factIds?: string[] }
}

/** One DPO preference pair (prompt / chosen / rejected): the grounded answer over a generic one. */
export interface DpoPair {
  prompt: Array<{ role: 'system' | 'user', content: string }>
  chosen: string
  rejected: string
  meta: { memoryIds: string[], visibility: Visibility[], factIds?: string[], failure?: FactPair['failure'] | 'generic' }
}

export interface TrainingSet {
  sft: SftExample[]
  dpo: DpoPair[]
  /** Visibilities of the memories the set was built from. */
  visibility: Visibility[]
}

const GENERIC = [
  'I am not sure, I do not really remember anything about that.',
  'That is a good question. I like many things and do lots of different stuff.',
  'Hmm, it depends. Everyone is different, so hard to say.'
]

/** Questions a person asks about someone, keyed by what the owner's statement starts with. */
const QUESTION_CUES: Array<[RegExp, string]> = [
  [/\bi (?:live|moved|am based) (?:in|to)\b/i, 'Where do you live?'],
  [/\bi work(?:ed)? (?:as|at|for|in)\b|\bmy job\b/i, 'What do you do for work?'],
  [/\bi (?:love|like|enjoy|adore)\b/i, 'What do you enjoy?'],
  [/\bmy (?:family|kids|children|wife|husband|partner)\b/i, 'Tell me about your family.'],
  [/\bmy (?:dream|goal|plan)s?\b|\bi(?:'m| am) planning\b/i, 'What are your plans or goals?'],
  [/\bi(?:'m| am) (?:a|an)\b/i, 'Who are you?']
]

function isOwner (item: MemoryItem, owner: string | undefined): boolean {
  if (item.speaker === undefined) return true
  return owner !== undefined && item.speaker.toLowerCase() === owner.toLowerCase()
}

function questionFor (item: MemoryItem): string {
  for (const [cue, question] of QUESTION_CUES) if (cue.test(item.text)) return question
  const topic = item.topics[0] ?? terms(item.text).slice(0, 2).join(' ')
  return `What can you tell me about ${topic === '' ? 'yourself' : topic}?`
}

function systemFor (owner: string | undefined): string {
  return `You are the Second Me of ${owner ?? 'the owner'}: answer in first person, in their own voice.`
}

/**
 * Training data from L1 memory without a model: (1) questions about the owner answered with the
 * owner's own first-person statements, (2) replies in the owner's style (the turn before → the
 * owner's reply in the same thread), (3) DPO pairs preferring the grounded answer over a generic one.
 * Only the items passed in are used: the caller applies the visibility filter.
 */
export function synthesise (items: readonly MemoryItem[], owner: string | undefined, facts: readonly Fact[] = []): TrainingSet {
  const system = systemFor(owner)
  const sft: SftExample[] = []
  const dpo: DpoPair[] = []
  const pairs = factPairs(facts, owner === undefined ? [] : [owner])
  for (const p of pairs) {
    const memoryIds = [...new Set(p.factIds.flatMap(id => facts.find(f => f.id === id)?.sources ?? []))]
    sft.push({ messages: [{ role: 'system', content: system }, { role: 'user', content: p.question }, { role: 'assistant', content: p.answer }], meta: { kind: 'qa', memoryIds, visibility: [p.visibility], factIds: p.factIds } })
    dpo.push({ prompt: [{ role: 'system', content: system }, { role: 'user', content: p.question }], chosen: p.answer, rejected: p.rejected, meta: { memoryIds, visibility: [p.visibility], factIds: p.factIds, failure: p.failure } })
  }
  // Memories no fact was drawn from (nothing extracted from them): the owner's own first-person statements.
  const covered = new Set(pairs.flatMap(p => p.factIds.flatMap(id => facts.find(f => f.id === id)?.sources ?? [])))
  const own = items.filter(i => !covered.has(i.id)).filter(i => isOwner(i, owner) && i.text.length >= 15 && i.text.length <= 600 && /\b(i|my|me|i'm)\b/i.test(i.text))
  own.forEach((item, n) => {
    const question = questionFor(item)
    sft.push({ messages: [{ role: 'system', content: system }, { role: 'user', content: question }, { role: 'assistant', content: item.text }], meta: { kind: 'qa', memoryIds: [item.id], visibility: [item.visibility] } })
    dpo.push({ prompt: [{ role: 'system', content: system }, { role: 'user', content: question }], chosen: item.text, rejected: GENERIC[n % GENERIC.length] ?? '', meta: { memoryIds: [item.id], visibility: [item.visibility], failure: 'generic' } })
  })
  for (const [prev, reply] of replyPairs(items, owner)) {
    sft.push({ messages: [{ role: 'system', content: system }, { role: 'user', content: prev.text }, { role: 'assistant', content: reply.text }], meta: { kind: 'style', memoryIds: [prev.id, reply.id], visibility: [...new Set([prev.visibility, reply.visibility])] } })
  }
  return { sft: dedupe(sft, e => e.messages.slice(1).map(m => m.content).join('\n')), dpo: dedupe(dpo, p => p.prompt[1]?.content ?? ''), visibility: [...new Set([...items.map(i => i.visibility), ...facts.map(f => f.visibility)])].sort() }
}

function dedupe<T> (rows: readonly T[], key: (row: T) => string): T[] {
  const seen = new Set<string>()
  return rows.filter(r => { const k = key(r).toLowerCase(); return !seen.has(k) && seen.add(k) !== undefined })
}

/** Consecutive turns of one thread where someone else speaks and the owner answers. */
function replyPairs (items: readonly MemoryItem[], owner: string | undefined): Array<[MemoryItem, MemoryItem]> {
  if (owner === undefined) return []
  const byThread = new Map<string, MemoryItem[]>()
  for (const item of items) byThread.set(item.thread, [...(byThread.get(item.thread) ?? []), item])
  const pairs: Array<[MemoryItem, MemoryItem]> = []
  for (const thread of byThread.values()) {
    thread.sort((a, b) => a.seq - b.seq)
    for (let i = 1; i < thread.length; i++) {
      const prev = thread[i - 1]
      const cur = thread[i]
      if (prev === undefined || cur === undefined || cur.seq !== prev.seq + 1) continue
      if (isOwner(cur, owner) && !isOwner(prev, owner) && cur.speaker !== undefined) pairs.push([prev, cur])
    }
  }
  return pairs
}

/** Plain text the finetune tool trains on: one exchange per block, in the same shape `ask` uses. */
export function corpusText (set: TrainingSet): string {
  return set.sft.map(e => e.messages.filter(m => m.role !== 'system').map(m => `${m.role === 'user' ? 'Q' : 'A'}: ${m.content}`).join('\n')).join('\n\n') + '\n'
}
