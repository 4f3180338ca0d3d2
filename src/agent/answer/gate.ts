// When to say "not mentioned in my memories": a logistic model over how well the recalled evidence
// supports the question, and how much of that support comes from the person the question names (a
// question about Caroline answered from what Melanie said is about someone else). Fitted on LoCoMo
// dev by scripts/fit-answer.ts, leave-one-conversation-out checked; the fitted values are kept below.
import type { Question } from './question.js'
import type { Candidate } from './select.js'

export const GATE_FEATURES = ['bias', 'strongest', 'theirs', 'gap', 'theirsRare', 'bestRare', 'subject', 'subjectTop', 'theirsOwn', 'theirsPair', 'terms', 'dated'] as const
export type GateFeature = typeof GATE_FEATURES[number]
export type GateWeights = Record<GateFeature, number>

// Fitted by scripts/fit-answer.ts (logistic regression, label: the question is unanswerable).
export const GATE_WEIGHTS: GateWeights = {
  bias: -1.43, strongest: 1, theirs: -2.81, gap: 3.81, theirsRare: -0.26, bestRare: -0.64, subject: 1.62, subjectTop: -0.54, theirsOwn: 0.22, theirsPair: -0.22, terms: 0.37, dated: -1.87
}
/** Say "not mentioned" when the model's probability of "unanswerable" is above this. */
export const GATE_THRESHOLD = 0.175

const DATED = new Set(['when', 'duration', 'ago'])

/** The gate's inputs for a question and its scored candidates (best first). */
export function gateFeatures (q: Question, scored: readonly Candidate[]): Record<GateFeature, number> {
  const subject = q.people.length === 1 ? q.people[0] : undefined
  const theirs = subject === undefined ? scored : scored.filter(c => c.speaker === subject || c.speaker === undefined)
  const best = scored[0]
  const mine = theirs[0]
  const strongest = Math.max(0, ...scored.map(c => c.support))
  const theirSupport = Math.max(0, ...theirs.map(c => c.support))
  return {
    bias: 1,
    strongest,
    theirs: theirSupport,
    gap: strongest - theirSupport,
    theirsRare: mine?.features.rare ?? 0,
    bestRare: best?.features.rare ?? 0,
    subject: subject === undefined ? 0 : 1,
    subjectTop: best !== undefined && best === mine ? 1 : 0,
    theirsOwn: mine?.features.own ?? 0,
    theirsPair: mine?.features.pair ?? 0,
    terms: Math.min(1, q.terms.length / 8),
    // A when / how-long question is answered from the memory's own time, which every memory has.
    dated: DATED.has(q.kind) ? 1 : 0
  }
}

export function unanswerable (features: Record<GateFeature, number>, weights: GateWeights = GATE_WEIGHTS): number {
  let z = 0
  for (const k of GATE_FEATURES) z += weights[k] * features[k]
  return 1 / (1 + Math.exp(-z))
}
