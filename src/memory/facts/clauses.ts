import { dot, sigmoid } from './features.js'

// A fact's text is a turn's sentences joined by "; ". The first one carries the news; later ones
// often only comment on it ("it was awesome", "we had a blast"), which makes the fact long without
// saying more. Each later sentence is kept when a small model, fitted by scripts/fit-facts.ts on
// annotated conversations, finds it likely to add to what the fact states.

const EVALUATIVE = /\b(awesome|great|amazing|cool|fun|nice|tough|hard|wonderful|incredible|fantastic|special|beautiful|crazy|wild|insane|blast|stoked|exciting|excited|happy|glad|proud|thankful|grateful|lucky|love|loved|feel|felt|feeling|means a lot)\b/i
const COMMENT = /^(it|that|this|there|which|such|these|those)\b/i
const WE = /\b(we|our|us|we're|we've)\b/i
const CONJUNCTION = /^(but|and|plus|also|so|or)\b/i
const PRONOUN = /\b(he|she|his|her|him|himself|herself)\b/i

export const CLAUSE_FEATURE_NAMES = ['bias', 'first', 'second', 'later', 'last', 'words', 'name', 'pronoun', 'comment', 'we', 'evaluative', 'year', 'other', 'conjunction', 'proper', 'many'] as const

/** Fitted by scripts/fit-facts.ts (logistic regression, CLAUSE_FEATURE_NAMES order). */
export const CLAUSE_WEIGHTS: readonly number[] = [-0.169, -0.381, 0.272, -0.06, -0.408, 1.206, 1.262, -0.021, -0.329, -0.299, -0.242, -0.011, -0.604, 0.296, 0.635, -0.52]
/** A later sentence stays in the fact when its probability of adding to it reaches this. */
export const CLAUSE_THRESHOLD = 0.35

export interface ClauseTuning { weights: readonly number[], threshold: number }
export const DEFAULT_CLAUSES: ClauseTuning = { weights: CLAUSE_WEIGHTS, threshold: CLAUSE_THRESHOLD }

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const mentions = (text: string, name: string | undefined): boolean => name !== undefined && name !== '' && new RegExp(`\\b${escape(name)}\\b`).test(text)

/** Features of the sentence at `at` of `count` in a fact about `person` (said to `other`). */
export function clauseFeatures (clause: string, at: number, count: number, person: string, other?: string): number[] {
  const first = person.split(/\s+/)[0] ?? person
  const otherFirst = other?.split(/\s+/)[0]
  const words = clause.split(/\s+/).filter(Boolean).length
  const proper = (clause.slice(1).match(/\b[A-Z][a-z]+/g) ?? []).some(w => w !== first && w !== otherFirst)
  const flag = (b: boolean): number => b ? 1 : 0
  return [1, flag(at === 0), flag(at === 1), flag(at >= 2), flag(at === count - 1 && count > 1), Math.log(Math.max(1, words)) / 3,
    flag(mentions(clause, first)), flag(PRONOUN.test(clause)), flag(COMMENT.test(clause)), flag(WE.test(clause)),
    flag(EVALUATIVE.test(clause)), flag(/\b\d{4}\b/.test(clause)), flag(mentions(clause, otherFirst)),
    flag(CONJUNCTION.test(clause)), flag(proper), flag(count >= 3)]
}

/** The sentences of a fact's text ("…; …"). */
export function clausesOf (text: string): string[] {
  return text.split('; ')
}

/** A fact's text without the later sentences that are unlikely to add to it. */
export function concise (text: string, person: string, other?: string, tuning: ClauseTuning = DEFAULT_CLAUSES): string {
  const clauses = clausesOf(text)
  if (clauses.length < 2) return text
  const kept = clauses.filter((c, at) => at === 0 || sigmoid(dot(tuning.weights, clauseFeatures(c, at, clauses.length, person, other))) >= tuning.threshold)
  const out = kept.join('; ')
  return /[.!?]$/.test(out) ? out : `${out.replace(/[\s,;:]+$/, '')}.`
}
