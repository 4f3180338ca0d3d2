// "How many times has John injured his ankle?": when no sentence states the number, the answer is
// the number of distinct occasions memory tells of — the person's memories from different days whose
// sentences say what is counted — citing each of them.
import { terms } from '../../util/text.js'
import type { Question } from './question.js'
import type { Candidate } from './select.js'

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten']
// Least share of the question's content words a sentence must say to tell of one occasion.
const TELLS = 0.5

/** The counted thing's terms: the words after "how many" ("dogs", "charity tournaments"); for "times", the rest of the question. */
function countedTerms (q: Question): string[] {
  const noun = /^how many\s+((?:[\p{L}'’-]+\s+){0,1}[\p{L}'’-]+?)\s+(?:has|have|had|did|does|do|is|are|was|were|can|will)\b/iu.exec(q.text)?.[1]
  const counted = noun === undefined ? [] : terms(noun)
  return counted.length === 0 || counted.every(t => t === 'time') ? q.terms.filter(t => t !== 'time') : counted
}

/** Occasions counted from the evidence, or undefined when fewer than two are told of (then a stated number is better). */
export function countOccasions (q: Question, pool: readonly Candidate[]): { answer: string, used: Candidate[] } | undefined {
  const counted = new Set(countedTerms(q))
  const wanted = new Set(q.terms)
  const byDay = new Map<string, Candidate>()
  for (const c of pool) {
    const have = new Set(terms(c.sentence))
    const names = [...counted].some(t => have.has(t))
    const share = [...wanted].filter(t => have.has(t)).length / Math.max(1, wanted.size)
    if (!names || share < TELLS || c.sentence.trimEnd().endsWith('?')) continue
    const day = (c.time ?? c.id).slice(0, 10)
    if (!byDay.has(day)) byDay.set(day, c)
  }
  const n = byDay.size
  return n < 2 ? undefined : { answer: WORDS[n] ?? String(n), used: [...byDay.values()] }
}
