import type { ChatPrompt, ChatTurn } from '../model/llm.js'
import type { AgentMemory, RespondRequest } from './types.js'

export interface Persona {
  /** The owner's display name, if set. */
  name?: string
}

export interface PromptBudget {
  /** Upper bound on the characters of memory text placed in the prompt. @default 6000 */
  maxMemoryChars?: number
  /** Longest excerpt of one memory. @default 600 */
  maxCharsPerMemory?: number
}

function clip (text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : flat.slice(0, max - 1) + '…'
}

/** The memories that fit the budget, best first (the caller's order is the recall order). */
export function fitMemories (memories: readonly AgentMemory[], budget: PromptBudget = {}): AgentMemory[] {
  const perMemory = budget.maxCharsPerMemory ?? 600
  let left = budget.maxMemoryChars ?? 6000
  const out: AgentMemory[] = []
  for (const m of memories) {
    const text = clip(m.text, perMemory)
    if (text.length > left) break
    left -= text.length
    out.push({ ...m, text })
  }
  return out
}

/**
 * The chat prompt for an answer in the owner's voice. Built ONLY from `request.memories` (already
 * limited to the asker's scope by the caller), the question and the conversation history: this
 * function has no other source of personal text, which is what keeps a peer's prompt clean.
 */
export function buildAnswerPrompt (request: RespondRequest, memories: readonly AgentMemory[], persona: Persona = {}, evidence: ReadonlyArray<{ id: string, sentence: string }> = []): ChatPrompt {
  const who = persona.name === undefined || persona.name === '' ? 'the owner' : persona.name
  const lines = memories.map(m => `[${m.id}]${m.time === undefined ? '' : ` (${m.time.slice(0, 10)})`} ${m.text}`)
  const audience = request.audience === 'peer'
    ? 'You are talking with another person\'s agent. Share only what the memories below say.'
    : `You are talking with ${who} about their own life.`
  const system = [
    `You are the Second Me of ${who}: answer in first person, in ${who}'s own voice, briefly.`,
    audience,
    'Use only these memories; cite the ones you use as [id]. Answer in a few words (a date, a name, a number, a short phrase).',
    'If they do not answer the question, or are about someone else than the question names, say "not mentioned in my memories".',
    'Memories:',
    ...(lines.length === 0 ? ['(none)'] : lines),
    // The sentences the extractive answerer found most relevant: the grounded facts to answer from.
    ...(evidence.length === 0 ? [] : ['Most relevant:', ...evidence.map(e => `[${e.id}] ${e.sentence}`)])
  ].join('\n')
  const turns: ChatTurn[] = (request.history ?? []).map(h => ({ role: h.from === 'peer' ? 'user' : 'assistant', text: h.text }))
  turns.push({ role: 'user', text: request.question })
  return { system, turns }
}

/** Memory ids written as [id] in a generated answer, kept only if they were really given. */
export function citedIds (answer: string, memories: readonly AgentMemory[]): string[] {
  const given = new Set(memories.map(m => m.id))
  const found = new Set<string>()
  for (const match of answer.matchAll(/\[([^\]\s]{1,80})\]/g)) {
    const id = match[1]
    if (id !== undefined && given.has(id)) found.add(id)
  }
  return [...found]
}
