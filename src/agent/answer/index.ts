// Answering without a model, like a RAG system would but extractively: find the sentences of the
// recalled memories that support the question, check they are about the person it names, and return
// the shortest phrase of the question's type (a date resolved from the memory's time, a quantity, a
// name, a place, the new part of a sentence), citing the memories it came from. When the evidence does
// not support an answer it says so instead of quoting something near it.
import { formatDay } from '../../memory/dates.js'
import { sentences, terms } from '../../util/text.js'
import type { AgentMemory } from '../types.js'
import { asksSomething, parseQuestion, type Question, type QuestionKind } from './question.js'
import { gateFeatures, GATE_THRESHOLD, unanswerable } from './gate.js'
import { countOccasions } from './count.js'
import { candidates, type Candidate } from './select.js'
import { focusPhrase, headPhrase } from './spans.js'

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
  /**
   * The answer is a phrase of the asked type (a date, quantity, place, person, or the phrase naming the
   * thing a what-question asks for), not the rest of a sentence: a form fills only such values.
   */
  typed: boolean
  /** The supporting sentences, best first (for --explain / --json and a model's prompt). */
  evidence: Evidence[]
}

export interface AnswerOptions {
  /** Least share of the question's content words some sentence must contain (on top of the fitted gate). @default 0 */
  minSupport?: number
  /** Say "not mentioned" above this probability that the evidence does not answer the question. @default GATE_THRESHOLD */
  threshold?: number
  /** Memory ids L1 facts were drawn from (a selection feature). */
  factSources?: ReadonlySet<string>
  /** Most parts of a list answer. @default 6 */
  maxParts?: number
}

// Kinds whose phrase is found by its type (a date, a quantity, a person, a place), not as the rest of a sentence.
const TYPED_KINDS = new Set<QuestionKind>(['when', 'duration', 'ago', 'count', 'frequency', 'who', 'where'])

/** A question's head and content terms as sets, made once per question rather than once per candidate. */
interface QuestionSets { heads: ReadonlySet<string>, terms: ReadonlySet<string> }
const setsOf = (q: Question): QuestionSets => ({ heads: new Set(q.heads), terms: new Set(q.terms) })

/** A what-question's noun phrase of the thing asked for in a candidate ("What kind of music" → "electronic and rock music"). */
function headOf (q: Question, c: Candidate, sets: QuestionSets): string | undefined {
  return q.kind === 'what' && !q.asksName ? headPhrase(c.sentence, sets.heads, sets.terms) : undefined
}

/**
 * The answer one candidate alone gives: its phrase of the asked type, or what the sentence still says.
 * The selection fit (scripts/fit-answer.ts) scores candidates by it, so it stays the answerer's own.
 */
export function phraseOf (q: Question, c: Candidate): string {
  const span = headOf(q, c, setsOf(q)) ?? c.span
  return span === undefined || span === '' ? fallback(q, c) : span
}

/** The phrase answering `q` from the best candidates, trying the next ones when one has no phrase of that type. */
function phraseFrom (q: Question, pool: Candidate[], maxParts: number): { parts: string[], used: Candidate[], typed: boolean } {
  const parts: string[] = []
  const used: Candidate[] = []
  let typed = true
  const sets = setsOf(q)
  for (const c of pool.slice(0, 6)) {
    const head = headOf(q, c, sets)
    const span = head ?? c.span
    if (span === undefined || span === '' || parts.some(p => p.toLowerCase() === span.toLowerCase())) continue
    // Later parts of a list must share something with the question themselves.
    if (parts.length > 0 && Math.max(c.features.own, c.features.prev, c.features.asked) === 0) continue
    parts.push(span)
    used.push(c)
    typed &&= head !== undefined || TYPED_KINDS.has(q.kind) || (q.asksName && /^\p{Lu}/u.test(span))
    if (!q.list || parts.length >= maxParts) break
  }
  return { parts, used, typed: typed && parts.length > 0 }
}

/** When the sentences carry no phrase of the asked type: the best the evidence still gives. */
function fallback (q: Question, best: Candidate): string {
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
  // Only the sentences that ask: a greeting ("Hi Melanie!") or a remark is no question to answer.
  const asking = sentences(question).filter(part => asksSomething(part) && parseQuestion(part).terms.length > 0)
  const parts = asking.length > 0 ? asking : [question]
  if (parts.length < 2) return answerOne(parts[0] ?? question, memories, options)
  const answers = parts.map(part => answerOne(part, memories, options))
  const supported = answers.filter(a => a.supported)
  const first = supported[0] ?? answers[0]
  if (supported.length < 2 || first === undefined) return first ?? answerOne(question, memories, options)
  return {
    answer: supported.map(a => a.answer).join('; '),
    supported: true,
    typed: supported.every(a => a.typed),
    kind: first.kind,
    cited: [...new Set(supported.flatMap(a => a.cited))],
    evidence: supported.flatMap(a => a.evidence)
  }
}

// Words that never answer on their own: a verb form, a greeting, a remark.
const BARE_WORD = /^(?:\p{Ll}+ed|great|best|okay|ok|sure|glad|help|met|guess|btw|enjoy|love|like|want|wanted|hope|think|know|thanks|thank|nice|cool|awesome|amazing|wow)$/u

/** True when an answer is one bare word (or two with "great …") or the name of a speaker, which says nothing the question asked. */
function bare (answer: string, speakers: ReadonlySet<string>): boolean {
  const words = answer.trim().split(/\s+/)
  if ([...speakers].some(s => s === answer || (s.split(/\s+/)[0] ?? '').startsWith(answer))) return true
  return words.length === 1 && BARE_WORD.test((words[0] ?? '').toLowerCase())
}

const evidenceOf = (c: Candidate): Evidence =>
  ({ id: c.id, sentence: c.sentence, support: c.support, score: c.score, ...(c.speaker === undefined ? {} : { speaker: c.speaker }), ...(c.time === undefined ? {} : { time: c.time }) })

const notMentioned = (q: Question, pool: Candidate[]): ShortAnswer =>
  ({ answer: NOT_MENTIONED, supported: false, typed: false, kind: q.kind, cited: [], evidence: pool.slice(0, 3).map(evidenceOf) })

function answerOne (question: string, memories: readonly AgentMemory[], options: AnswerOptions): ShortAnswer {
  const speakers = new Set(memories.flatMap(m => m.speaker === undefined ? [] : [m.speaker]))
  const q = parseQuestion(question, speakers)
  const scored = candidates(q, memories, options.factSources === undefined ? {} : { factSources: options.factSources })
  const subject = q.people.length === 1 && speakers.size > 1 ? q.people[0] : undefined
  // The question is about one person: evidence said by someone else is about someone else.
  const pool = subject === undefined ? scored : scored.filter(c => c.speaker === subject || c.speaker === undefined)
  const best = pool[0]
  const strongest = Math.max(0, ...scored.map(c => c.support))
  if (best === undefined || strongest < (options.minSupport ?? 0) || unanswerable(gateFeatures(q, scored)) > (options.threshold ?? GATE_THRESHOLD)) return notMentioned(q, scored)
  // "How many …" with no number said of the counted thing: count the occasions memory tells of.
  const stated = q.kind === 'count' && pool.slice(0, 6).some(c => c.span !== undefined && q.terms.some(t => terms(c.span ?? '').includes(t)))
  const counted = q.kind === 'count' && !stated ? countOccasions(q, pool) : undefined
  if (counted !== undefined) return { answer: counted.answer, supported: true, typed: true, kind: q.kind, cited: counted.used.map(c => c.id), evidence: counted.used.map(evidenceOf) }
  const { parts, used, typed } = phraseFrom(q, pool, options.maxParts ?? 6)
  const answer = parts.length > 0 ? parts.join(', ') : fallback(q, best)
  // A lone verb, greeting or someone's name where a thing was asked ("went", "Great job", "Mel") answers nothing.
  if (!typed && bare(answer, speakers)) return notMentioned(q, scored)
  const support = used.length > 0 ? used : [best]
  return { answer, supported: true, typed, kind: q.kind, cited: [...new Set(support.map(c => c.id))], evidence: [...support, ...pool.filter(c => !support.includes(c)).slice(0, 2)].map(evidenceOf) }
}
