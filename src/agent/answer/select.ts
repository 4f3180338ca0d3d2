// Evidence selection: which sentence of the recalled memories the answer is drawn from. Every sentence
// is a candidate with a few explainable features (does it share the question's words, does the
// sentence before it, is it said by the person asked about, does it hold a phrase of the asked type);
// a linear score ranks them. The weights are fitted on LoCoMo dev by scripts/fit-answer.ts (the
// method is tuned on the set, never single questions), and the fitted values are kept below.
import { sentences, terms } from '../../util/text.js'
import type { AgentMemory } from '../types.js'
import type { Question } from './question.js'
import { isVague, spanFor } from './spans.js'

export const FEATURES = ['own', 'prev', 'whole', 'asked', 'rank', 'subject', 'other', 'typed', 'question', 'novel', 'long', 'fact', 'rare', 'pair', 'datefit', 'datemiss', 'caption', 'recall', 'shown'] as const
export type Feature = typeof FEATURES[number]
export type Weights = Record<Feature, number>

// Fitted by scripts/fit-answer.ts on the recall of `bench:qa -- --dump` (LoCoMo dev, categories 1-4).
// `recall` (how far below the best recalled memory recall put a sentence's memory) was chosen with
// scripts/eval-answer.ts over 0-10, leaving one conversation out: 6 won on every fold.
// `shown` (a photo caption, for a what-question about something painted, drawn, photographed or made)
// was chosen the same way over 0-8: 4 (4-8 tie) won on every fold, no conversation lost.
export const WEIGHTS: Weights = {
  own: -0.2, prev: 0.1, whole: 0, asked: -1, rank: 0.1, subject: -0.3, other: -2, typed: -0.2, question: -2, novel: 2, long: 0.3, fact: 0, rare: 1, pair: -0.1, datefit: 0.2, datemiss: 0, caption: 0, recall: 6, shown: 4
}

/** Fewer recalled memories than this, and recall's scores are no selection feature (see candidates). */
const MIN_RECALLED = 5

export interface Candidate {
  id: string
  sentence: string
  speaker?: string
  time?: string
  /** The phrase of the asked type in this sentence, if it has one. */
  span?: string
  /** Share of the question's content words in the sentence, the sentence before it, or the question it replies to. */
  support: number
  features: Record<Feature, number>
  score: number
}

/** Share of the question's content terms a text contains (0-1). */
export function sharer (q: Question): (text: string) => number {
  const wanted = new Set(q.terms)
  return (text: string): number => {
    if (wanted.size === 0) return 0
    const have = new Set(terms(text))
    let hit = 0
    for (const t of wanted) if (have.has(t)) hit++
    return hit / wanted.size
  }
}

const TYPED = new Set(['when', 'duration', 'ago', 'count', 'frequency', 'who', 'where'])
export const isQuestion = (s: string): boolean => s.trimEnd().endsWith('?')

/** Share of the span's content words the question does not already say: an answer tells something new. */
function novelty (span: string | undefined, questionTerms: ReadonlySet<string>): number {
  if (span === undefined || span === '' || isVague(span)) return 0
  const words = terms(span)
  if (words.length === 0) return 0
  return words.filter(w => !questionTerms.has(w)).length / words.length
}

/** Pairs of question terms adjacent in the question ("support group", "Becoming Nicole"). */
function termPairs (q: Question): Set<string> {
  const pairs = new Set<string>()
  const list = terms(q.text)
  for (let i = 1; i < list.length; i++) pairs.add(`${list[i - 1] ?? ''} ${list[i] ?? ''}`)
  return pairs
}

function hasPair (sentence: string, pairs: ReadonlySet<string>): number {
  const list = terms(sentence)
  for (let i = 1; i < list.length; i++) if (pairs.has(`${list[i - 1] ?? ''} ${list[i] ?? ''}`)) return 1
  return 0
}

/**
 * Share of the question's terms in a text, each weighted by how rare it is among the recalled
 * sentences: a word every recalled memory has (that is why they were recalled) tells little.
 */
function rareSharer (q: Question, texts: readonly string[]): (text: string) => number {
  const df = new Map<string, number>()
  for (const t of texts) for (const term of new Set(terms(t))) df.set(term, (df.get(term) ?? 0) + 1)
  const weight = new Map(q.terms.map(t => [t, Math.log(1 + texts.length / (1 + (df.get(t) ?? 0)))]))
  const total = [...weight.values()].reduce((a, b) => a + b, 0)
  return (text: string): number => {
    if (total === 0) return 0
    const have = new Set(terms(text))
    let hit = 0
    for (const [t, v] of weight) if (have.has(t)) hit += v
    return hit / total
  }
}

export interface SelectOptions {
  weights?: Weights
  /** Memory ids L1 facts were drawn from (the fact model judged these turns informative). */
  factSources?: ReadonlySet<string>
}

/** What is shared by every candidate of one question. */
interface Context {
  q: Question
  share: (text: string) => number
  rare: (text: string) => number
  questionTerms: ReadonlySet<string>
  pairs: ReadonlySet<string>
  subject: string | undefined
  factSources: ReadonlySet<string> | undefined
  /** Everyone speaking in the evidence: a person ("Hey John!") is no place. */
  speakers: string[]
}

/** The sentences of a memory, then its side text: a shared photo's caption often holds the answer ("a cup with a dog face"). */
function partsOf (m: AgentMemory): Array<{ sentence: string, caption: boolean }> {
  const parts = sentences(m.text).map(sentence => ({ sentence, caption: false }))
  const caption = m.extra?.replace(/^\[(?:shares a photo:\s*)?|\]$/g, '').trim()
  return caption === undefined || caption === '' ? parts : [...parts, { sentence: caption, caption: true }]
}

// A question about something painted, drawn, photographed or made by hand: a shared photo's caption shows it.
const VISUAL = /\b(?:paint\w*|draw\w*|drew|photo\w*|pictures?|pics?|pottery|sculptures?|posters?|signs?|artwork|art)\b/i

interface Place { m: AgentMemory, rank: number, fits: boolean, asked: number, whole: number, prev: number, caption: boolean, recall: number }

function featuresOf (c: Context, sentence: string, span: string | undefined, at: Place): Record<Feature, number> {
  const { q, subject } = c
  const { m, asked, prev } = at
  const own = c.share(sentence)
  // Preferences among relevant sentences: a phrase of the right type in a sentence that shares
  // nothing with the question is no evidence.
  const relevant = Math.max(own, prev, asked)
  return {
    own,
    prev,
    whole: at.whole,
    asked,
    rank: 1 / (at.rank + 1),
    subject: subject !== undefined && m.speaker === subject ? relevant : 0,
    other: subject !== undefined && m.speaker !== undefined && m.speaker !== subject ? 1 : 0,
    typed: TYPED.has(q.kind) && span !== undefined && span !== '' ? relevant : 0,
    question: isQuestion(sentence) ? 1 : 0,
    novel: novelty(span, c.questionTerms) * relevant,
    long: Math.min(1, (span ?? '').split(/\s+/).length / 8) * relevant,
    fact: c.factSources?.has(m.id) === true ? 1 : 0,
    rare: c.rare(sentence),
    pair: hasPair(sentence, c.pairs),
    datefit: at.fits ? 1 : 0,
    datemiss: q.during !== undefined && !at.fits ? 1 : 0,
    caption: at.caption ? own : 0,
    recall: at.recall,
    shown: at.caption && q.kind === 'what' && VISUAL.test(q.text) ? Math.max(own, prev) : 0
  }
}

/** Every sentence (and photo caption) of the memories as a scored candidate, best first. */
export function candidates (q: Question, memories: readonly AgentMemory[], options: SelectOptions = {}): Candidate[] {
  const w = options.weights ?? WEIGHTS
  const share = sharer(q)
  const wholes = new Map(memories.map(m => [m.id, share(m.text)]))
  const c: Context = {
    q, share, questionTerms: new Set(q.terms), pairs: termPairs(q), factSources: options.factSources,
    subject: q.people.length === 1 ? q.people[0] : undefined,
    speakers: [...new Set([...q.people, ...memories.flatMap(m => m.speaker === undefined ? [] : [m.speaker])])],
    rare: rareSharer(q, memories.flatMap(m => partsOf(m).map(p => p.sentence)))
  }
  const out: Candidate[] = []
  // Recall's scores are standardised over the memories it weighed: over the handful a narrow grant
  // leaves (a peer asking about one topic) a gap of one unit says nothing, so they count only when
  // recall filled a whole answer's worth of memories.
  const top = memories.length < MIN_RECALLED ? Number.NEGATIVE_INFINITY : Math.max(...memories.map(m => m.score ?? Number.NEGATIVE_INFINITY))
  memories.forEach((m, rank) => {
    // How far below the best recalled memory recall (words and meaning) put this one, in its standard units.
    const recall = m.score === undefined || !Number.isFinite(top) ? 0 : Math.max(-1, (m.score - top) / 3)
    const said = m.time === undefined ? Number.NaN : Date.parse(m.time)
    const fits = q.during !== undefined && said >= q.during.from && said <= q.during.to
    const asked = m.replyTo === undefined ? 0 : (wholes.get(m.replyTo) ?? 0)
    const whole = (wholes.get(m.id) ?? 0) * (isQuestion(m.text) ? 0.5 : 1)
    let prev = asked
    for (const { sentence, caption } of partsOf(m)) {
      const span = spanFor(q.kind, { sentence, ...(m.time === undefined ? {} : { time: m.time }), questionTerms: c.questionTerms, asksName: q.asksName, describes: q.describes, exclude: q.kind === 'where' || q.kind === 'who' ? c.speakers : [...q.people, ...(m.speaker === undefined ? [] : [m.speaker])] })
      const f = featuresOf(c, sentence, span, { m, rank, fits, asked, whole, prev, caption, recall })
      let score = 0
      for (const k of FEATURES) score += w[k] * f[k]
      out.push({ id: m.id, sentence, ...(m.speaker === undefined ? {} : { speaker: m.speaker }), ...(m.time === undefined ? {} : { time: m.time }), ...(span === undefined ? {} : { span }), support: Math.max(f.own * (isQuestion(sentence) ? 0.5 : 1), 0.85 * asked, whole), features: f, score })
      prev = Math.max(f.own, asked)
    }
  })
  return out.sort((a, b) => b.score - a.score)
}
