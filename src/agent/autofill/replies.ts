// A form question someone already asked the owner ("Anything you're excited for in the adoption
// process?"): the owner's reply answers it, even when the reply shares no word with the question
// ("I'm thrilled to make a family for kids who need one."). The value is the reply's phrase of the
// question's type, never the whole turn, and only from a reply to the same question.
import { parseQuestion } from '../answer/question.js'
import { isQuestion, sharer } from '../answer/select.js'
import { headPhrase, isVague, spanFor } from '../answer/spans.js'
import { sentences } from '../../util/text.js'
import type { ScopedMemory } from '../memory-access.js'
import type { Found } from './extract.js'

/** What was said right before a memory in its conversation. */
export interface Turn { text: string, speaker?: string }
export type TurnBefore = (id: string) => Turn | undefined

/**
 * Share of the field question's content words the earlier question must hold: all of them. "Do you
 * take your kid to the park often?" does not ask how often they go to the library.
 */
const SAME_QUESTION = 1

// A reply that denies ("I haven't worked with any other languages") states no value.
const NEGATION = /\b(?:not|no|never|none|nothing)\b|n['’]t\b/i

const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase()

/** How closely the turn before `memory` (someone else asking the owner) asks `share`'s question, 0-1. */
function askedShare (memory: ScopedMemory, owner: string, turnBefore: TurnBefore, share: (text: string) => number): number {
  if (!same(memory.speaker, owner)) return 0
  const prev = turnBefore(memory.id)
  if (prev?.speaker === undefined || same(prev.speaker, owner)) return 0
  return Math.max(0, ...sentences(prev.text).filter(isQuestion).map(share))
}

/**
 * The owner's answer to `question` when another speaker asked it (nearly word for word) and the
 * owner replied: the first statement of the reply with a phrase of the asked type that is not a
 * name of someone in the conversation. Undefined when nobody asked it.
 */
export function replyValue (question: string, memories: readonly ScopedMemory[], owner: string, turnBefore: TurnBefore): Found | undefined {
  const speakers = new Set([owner, ...memories.flatMap(m => m.speaker === undefined ? [] : [m.speaker])])
  const q = parseQuestion(question, speakers)
  if (q.kind === 'yesno' || q.terms.length === 0) return undefined
  const share = sharer(q)
  const replies = memories.map(m => ({ m, asked: askedShare(m, owner, turnBefore, share) }))
    .filter(r => r.asked >= SAME_QUESTION).sort((a, b) => b.asked - a.asked)
  const questionTerms = new Set(q.terms)
  const names = [...speakers].flatMap(s => [s, s.split(/\s+/)[0] ?? s])
  for (const { m } of replies) {
    for (const sentence of sentences(m.text).filter(s => !isQuestion(s) && !NEGATION.test(s))) {
      const span = (q.kind === 'what' ? headPhrase(sentence, new Set(q.heads), questionTerms) : undefined) ??
        spanFor(q.kind, { sentence, questionTerms, exclude: names, ...(m.time === undefined ? {} : { time: m.time }) })
      if (span !== undefined && !isVague(span) && !names.some(n => same(span, n))) return { value: span, memoryId: m.id }
    }
  }
  return undefined
}
