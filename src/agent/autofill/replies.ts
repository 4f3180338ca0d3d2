// A form question someone already asked the owner ("Anything you're excited for in the adoption
// process?"): the owner's reply answers it, even when the reply shares no word with the question
// ("I'm thrilled to make a family for kids who need one."). The value is the reply's phrase of the
// question's type (for how and why, the reply's clause), never the whole turn, and only from a reply
// to the same question.
import { parseQuestion, type Question, type QuestionKind } from '../answer/question.js'
import { isQuestion, sharer } from '../answer/select.js'
import { headPhrase, isVague, spanFor } from '../answer/spans.js'
import { sentences } from '../../util/text.js'
import type { ScopedMemory } from '../memory-access.js'
import type { Found } from './extract.js'

/** What was said right before a memory in its conversation. */
export interface Turn { text: string, speaker?: string }
export type TurnBefore = (id: string) => Turn | undefined

/**
 * Share of the field question's content words the earlier question must hold. A question is asked
 * in many wordings ("How did the extra funding help with building the school?" for "How did the
 * extra funding help the school shown in the photo?"), so half the words do, as long as no other
 * reply's question fits about as well (TIE): then which one is meant is a guess. That the question
 * is about the owner's own thing at all is checked before (ownership.ts): a reply to a reworded
 * question about the other person's event never gets here.
 */
const SAME_QUESTION = 0.5
const TIE = 0.25
const CLAUSE_KINDS: ReadonlySet<QuestionKind> = new Set(['how', 'why'])

// A reply that denies ("I haven't worked with any other languages") states no value.
const NEGATION = /\b(?:not|no|never|none|nothing)\b|n['’]t\b/i

/** Case-insensitive equality of a maybe-missing name or phrase. */
export const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase()

/**
 * How closely the turn before `memory` (someone else asking the owner) asks `share`'s question, 0-1.
 * Only open questions count: a yes/no question asks to confirm something, and "no" is no value.
 */
function askedShare (memory: ScopedMemory, owner: string, turnBefore: TurnBefore, share: (text: string) => number): number {
  if (!same(memory.speaker, owner)) return 0
  const prev = turnBefore(memory.id)
  if (prev?.speaker === undefined || same(prev.speaker, owner)) return 0
  return Math.max(0, ...sentences(prev.text).filter(s => isQuestion(s) && parseQuestion(s).kind !== 'yesno').map(share))
}

/** The replies to questions asking the field's question, best first; none when two partial matches tie. */
function answeringReplies (q: Question, memories: readonly ScopedMemory[], owner: string, turnBefore: TurnBefore): ScopedMemory[] {
  const share = sharer(q)
  const asked = memories.map(m => ({ m, asked: askedShare(m, owner, turnBefore, share) })).filter(r => r.asked > 0).sort((a, b) => b.asked - a.asked)
  const [best, rival] = asked
  if (best === undefined || best.asked < SAME_QUESTION || (best.asked < 1 && rival !== undefined && best.asked - rival.asked < TIE)) return []
  return asked.filter(r => r.asked >= SAME_QUESTION).map(r => r.m)
}

/**
 * The owner's answer to `question` when another speaker asked it (at least half its words) and the
 * owner replied: the first statement of the reply with a phrase of the asked type that is not a
 * name of someone in the conversation (for how and why, that statement itself: the answer is a
 * clause). Undefined when nobody asked it.
 */
export function replyValue (question: string, memories: readonly ScopedMemory[], owner: string, turnBefore: TurnBefore): Found | undefined {
  const speakers = new Set([owner, ...memories.flatMap(m => m.speaker === undefined ? [] : [m.speaker])])
  const q = parseQuestion(question, speakers)
  if (q.kind === 'yesno' || q.terms.length === 0) return undefined
  const questionTerms = new Set(q.terms)
  const heads = new Set(q.heads)
  const names = [...speakers].flatMap(s => [s, s.split(/\s+/)[0] ?? s])
  for (const m of answeringReplies(q, memories, owner, turnBefore)) {
    for (const sentence of sentences(m.text).filter(s => !isQuestion(s) && !NEGATION.test(s))) {
      const span = (q.kind === 'what' ? headPhrase(sentence, heads, questionTerms) : undefined) ??
        spanFor(q.kind, { sentence, questionTerms, exclude: names, ...(m.time === undefined ? {} : { time: m.time }) })
      if (span === undefined || isVague(span) || names.some(n => same(span, n))) continue
      return { value: CLAUSE_KINDS.has(q.kind) ? sentence.replace(/[.!]+$/, '') : span, memoryId: m.id }
    }
  }
  return undefined
}
