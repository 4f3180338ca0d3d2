// Is a form's question about the owner's own thing? A question may name the owner but ask about the
// other person's event ("What did Caroline realize after her charity race?" when only Melanie ran
// one): a value found for it would be invented. The owner's own things are what the owner said, or
// what someone asked the owner and the owner answered ("How did the extra funding help the school?").
// A question whose words the owner never said nor was asked about is not theirs: it stays empty.
import { parseQuestion } from '../answer/question.js'
import { isQuestion } from '../answer/select.js'
import { sentences, terms } from '../../util/text.js'
import type { ScopedMemory } from '../memory-access.js'
import { same, type TurnBefore } from './replies.js'

/**
 * Share of the question's content words the owner must have said or been asked about. Not all of
 * them: a question rewords a detail now and then ("the extra funding" when the owner said "the
 * funding"), about one word in seven.
 */
export const OWNED = 0.85

/** How many memories to search for one word of the question the field's own recall did not cover. */
const WORD_K = 20

export interface OwnershipDeps {
  recall: (query: string, k: number) => Promise<ScopedMemory[]>
  turnBefore?: TurnBefore
}

/** A sentence said to someone ("Your charity race sounds great!"): about the listener's things. */
export const SECOND_PERSON = /\b(?:you|your|yours|yourself|you['’](?:re|ve|ll|d))\b/i

/**
 * The words the owner said (or showed: a shared photo's caption) in `memory`, plus those of a
 * question someone put to the owner right before it.
 */
function ownWords (memory: ScopedMemory, owner: string, turnBefore?: TurnBefore): Set<string> {
  if (!same(memory.speaker, owner)) return new Set()
  // What the owner says to the other person ("Your charity race sounds great!") is about the other person's things.
  const words = new Set(terms([...sentences(memory.text).filter(s => !SECOND_PERSON.test(s)), memory.extra ?? ''].join(' ')))
  const prev = turnBefore?.(memory.id)
  if (prev !== undefined && !same(prev.speaker, owner)) {
    for (const s of sentences(prev.text)) if (isQuestion(s) || SECOND_PERSON.test(s)) for (const t of terms(s)) words.add(t)
  }
  return words
}

/**
 * The share (0-1) of `question`'s content words (names and question words aside) the owner said or
 * was asked about, searched in the field's recalled memories first and then by recall per word.
 */
export async function ownedShare (question: string, owner: string, recalled: readonly ScopedMemory[], deps: OwnershipDeps): Promise<number> {
  const speakers = new Set([owner, ...recalled.flatMap(m => m.speaker === undefined ? [] : [m.speaker])])
  const wanted = parseQuestion(question, speakers).terms
  if (wanted.length === 0) return 1
  const said = new Set<string>()
  // The per-word searches find the same memories again and again: each one's words are taken once.
  const read = new Set<string>()
  const take = (m: ScopedMemory): void => {
    if (read.has(m.id)) return
    read.add(m.id)
    for (const w of ownWords(m, owner, deps.turnBefore)) said.add(w)
  }
  recalled.forEach(take)
  // The question's own words (not stems) are what recall is asked for.
  const words = new Map((question.match(/[\p{L}\p{N}'’-]+/gu) ?? []).flatMap(w => terms(w).map(t => [t, w] as const)))
  for (const t of wanted) {
    if (!said.has(t)) (await deps.recall(words.get(t) ?? t, WORD_K)).forEach(take)
  }
  return wanted.filter(t => said.has(t)).length / wanted.length
}

/** True when the field is worded as a question of its own (a form about what the owner did), not a profile label. */
export function isOwnQuestion (field: { title?: string, description?: string }): boolean {
  return (field.description ?? field.title ?? '').trim().endsWith('?')
}
