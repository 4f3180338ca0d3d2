// Answering without a model, like a RAG system would but extractively: find the sentences of the
// recalled memories that support the question, check they are about the person it names, and return
// the shortest phrase of the question's type (a date resolved from the memory's time, a quantity, a
// name, a place, the new part of a sentence), citing the memories it came from. When the evidence does
// not support an answer it says so instead of quoting something near it.
import { terms } from '../../memory/analyse.js'
import { formatDay } from '../../memory/dates.js'
import { sentences } from '../text.js'
import type { AgentMemory } from '../types.js'
import { parseQuestion, type Question, type QuestionKind } from './question.js'
import { focusPhrase, spanFor } from './spans.js'

export const NOT_MENTIONED = 'not mentioned in my memories'

export interface Evidence {
  id: string
  sentence: string
  /** Share of the question's content words in the sentence (or in the question it replies to). */
  support: number
  speaker?: string
  time?: string
  score: number
}

export interface ShortAnswer {
  /** The short answer, or NOT_MENTIONED. */
  answer: string
  supported: boolean
  kind: QuestionKind
  /** Memory ids the answer came from. */
  cited: string[]
  /** The supporting sentences, best first (for --explain / --json and a model's prompt). */
  evidence: Evidence[]
}

export interface AnswerOptions {
  /** Least share of the question's content words the best sentence must contain. @default 0.5 */
  minSupport?: number
  /** A named person's best evidence must score at least this share of the best overall. @default 0.9 */
  subjectRatio?: number
  /** Most parts of a list answer. @default 4 */
  maxParts?: number
}

/** Share of the question's content terms a text contains (0-1). */
function sharer (q: Question): (text: string) => number {
  const wanted = new Set(q.terms)
  return (text: string): number => {
    if (wanted.size === 0) return 0
    const have = new Set(terms(text))
    let hit = 0
    for (const t of wanted) if (have.has(t)) hit++
    return hit / wanted.size
  }
}

/**
 * Every sentence of the memories scored by the share of question terms it (and its memory) holds. A
 * question sentence is a weak answer; the reply to a recalled question inherits the question's match.
 */
// Sentence match, memory match and recall rank (recall already fused words, meaning and speaker).
const W = { own: 0.6, whole: 0.2, rank: 0.2 }
function scoreSentences (q: Question, memories: readonly AgentMemory[]): Evidence[] {
  const share = sharer(q)
  const wholes = new Map(memories.map(m => [m.id, share(m.text)]))
  const out: Evidence[] = []
  memories.forEach((m, rank) => {
    const asked = m.replyTo === undefined ? 0 : 0.85 * (wholes.get(m.replyTo) ?? 0)
    // A memory that only asks something is no evidence about anyone (its reply may be).
    const whole = Math.max((wholes.get(m.id) ?? 0) * (m.text.trimEnd().endsWith('?') ? 0.5 : 1), asked)
    for (const sentence of sentences(m.text)) {
      const own = Math.max(share(sentence), asked) * (sentence.trimEnd().endsWith('?') ? 0.5 : 1)
      const score = W.own * own + W.whole * whole + W.rank / (rank + 1)
      out.push({ id: m.id, sentence, score, support: Math.max(own, whole), ...(m.speaker === undefined ? {} : { speaker: m.speaker }), ...(m.time === undefined ? {} : { time: m.time }) })
    }
  })
  return out.sort((a, b) => b.score - a.score)
}

const notMentioned = (q: Question, evidence: Evidence[]): ShortAnswer =>
  ({ answer: NOT_MENTIONED, supported: false, kind: q.kind, cited: [], evidence: evidence.slice(0, 3) })

/** The phrase answering `q` from the best evidence, trying the next sentences when one has no phrase of that type. */
function phraseFrom (q: Question, pool: Evidence[], maxParts: number): { parts: string[], used: Evidence[] } {
  const questionTerms = new Set(q.terms)
  const top = pool.filter(e => e.score >= (pool[0]?.score ?? 0) * 0.6).slice(0, 6)
  const parts: string[] = []
  const used: Evidence[] = []
  for (const e of top) {
    const span = spanFor(q.kind, { sentence: e.sentence, ...(e.time === undefined ? {} : { time: e.time }), questionTerms, exclude: [...q.people, ...(e.speaker === undefined ? [] : [e.speaker])] })
    if (span === undefined || span === '' || parts.some(p => p.toLowerCase() === span.toLowerCase())) continue
    parts.push(span)
    used.push(e)
    if (!q.list || parts.length >= maxParts) break
  }
  return { parts, used }
}

/** When the sentences carry no phrase of the asked type: the best the evidence still gives. */
function fallback (q: Question, best: Evidence): string {
  if (q.kind === 'yesno') return 'Yes'
  if (q.kind === 'when' && best.time !== undefined) return formatDay(best.time)
  return focusPhrase(best.sentence, new Set(q.terms)) ?? best.sentence
}

/**
 * The short answer to `question` from `memories` (already limited to what the asker may see, best
 * first). Pure: reads nothing else.
 */
export function answerFrom (question: string, memories: readonly AgentMemory[], options: AnswerOptions = {}): ShortAnswer {
  // "What is X? Tell me Y too." asks two things: answer each, so one unsupported part does not sink the other.
  const parts = sentences(question).filter(part => parseQuestion(part).terms.length > 0)
  if (parts.length < 2) return answerOne(question, memories, options)
  const answers = parts.map(part => answerOne(part, memories, options))
  const supported = answers.filter(a => a.supported)
  const first = supported[0] ?? answers[0]
  if (supported.length < 2 || first === undefined) return first ?? answerOne(question, memories, options)
  return {
    answer: supported.map(a => a.answer).join('; '),
    supported: true,
    kind: first.kind,
    cited: [...new Set(supported.flatMap(a => a.cited))],
    evidence: supported.flatMap(a => a.evidence)
  }
}

function answerOne (question: string, memories: readonly AgentMemory[], options: AnswerOptions): ShortAnswer {
  const speakers = new Set(memories.flatMap(m => m.speaker === undefined ? [] : [m.speaker]))
  const q = parseQuestion(question, speakers)
  const scored = scoreSentences(q, memories)
  const best = scored[0]
  const strongest = Math.max(0, ...scored.map(e => e.support))
  if (best === undefined || strongest < (options.minSupport ?? 0.5)) return notMentioned(q, scored)
  let pool = scored
  const subject = q.people.length === 1 ? q.people[0] : undefined
  if (subject !== undefined && speakers.size > 1) {
    // The question is about one person: evidence said by someone else is about someone else.
    pool = scored.filter(e => e.speaker === subject)
    const theirs = Math.max(0, ...pool.map(e => e.support))
    if (pool.length === 0 || theirs < strongest * (options.subjectRatio ?? 0.9)) return notMentioned(q, scored)
  }
  const { parts, used } = phraseFrom(q, pool, options.maxParts ?? 4)
  const first = pool[0] ?? best
  const answer = parts.length > 0 ? parts.join(', ') : fallback(q, first)
  const support = used.length > 0 ? used : [first]
  return { answer, supported: true, kind: q.kind, cited: [...new Set(support.map(e => e.id))], evidence: [...support, ...pool.filter(e => !support.includes(e)).slice(0, 2)] }
}
