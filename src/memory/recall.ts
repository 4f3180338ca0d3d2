// Hybrid ranking: BM25 with scope-aware neighbour expansion, a time window boost, and (when vectors
// exist) the embedding similarity (semantic.ts), fused after per-query z-score normalisation. Two
// steps, so the lexical one can run while the query is being embedded.
import { terms } from '../util/text.js'
import type { LexicalIndex } from './lexical.js'
import type { TimeWindow } from './time.js'

export interface FusionParams {
  /** Multiplier for items whose time falls in the window the query names. */
  timeBoost: number
  /** Weight of the embedding z-score against the lexical z-score. */
  embeddingWeight: number
  /** Share of the neighbours' similarity mixed into a turn's own (context of the conversation). */
  embeddingContext: number
  /** Added (in standard deviations) to turns spoken by the one person the query names. */
  speakerBoost: number
}

export const DEFAULT_FUSION: FusionParams = { timeBoost: 1, embeddingWeight: 0.7, embeddingContext: 0.5, speakerBoost: 3 }

export interface LexicalInput {
  query: string
  lexical: LexicalIndex
  /** Ids the asker may see: everything else is invisible to every step below. */
  allowed: Set<string>
  timeOf: (id: string) => number | undefined
  window?: TimeWindow
  params?: FusionParams
}

export interface FuseInput {
  allowed: Set<string>
  /** From lexicalScores(). */
  lexical: Map<string, number>
  /**
   * Embedding similarity per vector row (NaN: none), each row's own unblended cosine, and every allowed
   * id with its position and row (-1: none).
   */
  semantic?: { values: Float64Array, own: Float64Array, ids: readonly string[], index: Map<string, number>, rows: Int32Array }
  /** Whether an item was said by the person the query is about (undefined: the query names nobody). */
  bySubject?: (id: string) => boolean
  params?: FusionParams
  /** How many results to keep. */
  k: number
}

/** BM25 with neighbour expansion over the allowed items, boosted inside the time window the query names. */
export function lexicalScores (input: LexicalInput): Map<string, number> {
  const params = input.params ?? DEFAULT_FUSION
  const lexical = input.lexical.score(terms(input.query), input.allowed)
  if (input.window !== undefined) {
    const { from, to } = input.window
    for (const [id, s] of lexical) {
      const t = input.timeOf(id)
      if (t !== undefined && t >= from && t < to) lexical.set(id, s * (1 + params.timeBoost))
    }
  }
  return lexical
}

/** The k best items by z-scored lexical + weighted z-scored semantic score (+ the speaker boost). */
export function fuse (input: FuseInput): Array<{ id: string, score: number }> {
  const params = input.params ?? DEFAULT_FUSION
  const semantic = input.semantic
  // Without vectors only items sharing a word with the query are candidates.
  const ids = semantic !== undefined ? semantic.ids : [...input.lexical.keys()]
  const scores = new Float64Array(ids.length)
  if (semantic === undefined) {
    let i = 0
    for (const s of input.lexical.values()) scores[i++] = s
  } else {
    for (const [id, s] of input.lexical) {
      const i = semantic.index.get(id)
      if (i !== undefined) scores[i] = s
    }
  }
  standardise(scores)
  if (semantic !== undefined) {
    const ze = new Float64Array(ids.length)
    for (let i = 0; i < ids.length; i++) {
      const row = semantic.rows[i] as number
      ze[i] = row < 0 ? Number.NaN : semantic.values[row] as number
    }
    standardise(ze)
    for (let i = 0; i < ids.length; i++) scores[i] = (scores[i] as number) + params.embeddingWeight * (ze[i] as number)
  }
  const subject = input.bySubject
  if (subject !== undefined) {
    for (let i = 0; i < ids.length; i++) if (subject(ids[i] as string)) scores[i] = (scores[i] as number) + params.speakerBoost
  }
  return topK(ids, scores, input.k, semantic === undefined ? undefined : ownCosines(semantic)).map(i => ({ id: ids[i] as string, score: scores[i] as number }))
}

/**
 * Per position, the item's own cosine with the query (-Infinity without a vector). Blending makes the
 * two turns of a two-turn thread score exactly alike; the one that itself means what was asked goes first.
 */
function ownCosines (semantic: NonNullable<FuseInput['semantic']>): Float64Array {
  const out = new Float64Array(semantic.ids.length)
  for (let i = 0; i < out.length; i++) {
    const row = semantic.rows[i] as number
    out[i] = row < 0 ? Number.NEGATIVE_INFINITY : semantic.own[row] as number
  }
  return out
}

/** In place, per query: (v - mean) / sd; missing values (NaN) count as the mean. */
export function standardise (values: Float64Array): void {
  let n = 0
  let sum = 0
  for (const v of values) if (!Number.isNaN(v)) { n++; sum += v }
  if (n === 0) { values.fill(0); return }
  const mean = sum / n
  let squares = 0
  for (const v of values) if (!Number.isNaN(v)) squares += (v - mean) ** 2
  const sd = Math.sqrt(squares / n) || 1
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    values[i] = Number.isNaN(v) ? 0 : (v - mean) / sd
  }
}

/**
 * Indices of the k highest scores, best first. Equal scores go by the higher `tieBreak` value when
 * given; otherwise (and when that ties too) they keep input order, as a stable sort would.
 */
export function topK (ids: readonly unknown[], scores: Float64Array, k: number, tieBreak?: Float64Array): number[] {
  const before = (a: number, b: number): boolean => {
    const sa = scores[a] as number
    const sb = scores[b] as number
    return sa > sb || (sa === sb && tieBreak !== undefined && (tieBreak[a] as number) > (tieBreak[b] as number))
  }
  const top: number[] = []
  for (let i = 0; i < ids.length; i++) {
    if (top.length >= k && !before(i, top[top.length - 1] as number)) continue
    let lo = 0
    let hi = top.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (before(i, top[mid] as number)) hi = mid
      else lo = mid + 1
    }
    top.splice(lo, 0, i)
    if (top.length > k) top.pop()
  }
  return top
}
