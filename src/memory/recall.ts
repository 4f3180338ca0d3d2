// Hybrid ranking: BM25 with scope-aware neighbour expansion, a time window boost, and (when vectors
// exist) the embedding similarity, fused after per-query z-score normalisation.
import { terms } from './analyse.js'
import type { LexicalIndex } from './lexical.js'
import type { TimeWindow } from './time.js'
import { dot } from './vectors.js'

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

export interface RankInput {
  query: string
  lexical: LexicalIndex
  /** Ids the asker may see: everything else is invisible to every step below. */
  allowed: Set<string>
  timeOf: (id: string) => number | undefined
  /** Whether an item was said by the person the query is about (undefined: the query names nobody). */
  bySubject?: (id: string) => boolean
  window?: TimeWindow
  queryVector?: Float32Array
  vectorOf?: (id: string) => Float32Array | undefined
  params?: FusionParams
}

export function rank (input: RankInput): Array<{ id: string, score: number }> {
  const params = input.params ?? DEFAULT_FUSION
  const allowed = (id: string): boolean => input.allowed.has(id)
  const lexical = input.lexical.score(terms(input.query), allowed, input.allowed.size)
  if (input.window !== undefined) {
    const { from, to } = input.window
    for (const [id, s] of lexical) {
      const t = input.timeOf(id)
      if (t !== undefined && t >= from && t < to) lexical.set(id, s * (1 + params.timeBoost))
    }
  }
  const semantic = input.queryVector !== undefined && input.vectorOf !== undefined
  // Without vectors only items sharing a word with the query are candidates.
  const ids = semantic ? [...input.allowed] : [...lexical.keys()]
  const zl = zScores(ids.map(id => lexical.get(id) ?? 0))
  let ze: number[] = []
  if (input.queryVector !== undefined && input.vectorOf !== undefined) {
    const similarity = contextSimilarity(input, input.queryVector, input.vectorOf, params.embeddingContext)
    ze = zScores(ids.map(id => similarity.get(id) ?? Number.NaN))
  }
  const subject = input.bySubject
  return ids
    .map((id, i) => ({ id, score: (zl[i] ?? 0) + params.embeddingWeight * (ze[i] ?? 0) + (subject?.(id) === true ? params.speakerBoost : 0) }))
    .sort((a, b) => b.score - a.score)
}

/** Cosine of each allowed item, blended with its allowed neighbours' (the turns around it). */
function contextSimilarity (input: RankInput, q: Float32Array, vectorOf: (id: string) => Float32Array | undefined, share: number): Map<string, number> {
  const own = new Map<string, number>()
  for (const id of input.allowed) {
    const v = vectorOf(id)
    if (v !== undefined) own.set(id, dot(q, v))
  }
  if (share <= 0) return own
  const out = new Map<string, number>()
  for (const [id, s] of own) {
    let sum = 0
    let weights = 0
    for (const n of input.lexical.neighbours(id)) {
      if (n.id === id) continue
      const ns = own.get(n.id)
      if (ns === undefined) continue
      sum += n.weight * ns
      weights += n.weight
    }
    out.set(id, weights === 0 ? s : (1 - share) * s + share * (sum / weights))
  }
  return out
}

/** Per-query standardisation; missing values (NaN) count as the mean. */
export function zScores (values: number[]): number[] {
  const present = values.filter(v => !Number.isNaN(v))
  if (present.length === 0) return values.map(() => 0)
  const mean = present.reduce((a, b) => a + b, 0) / present.length
  const sd = Math.sqrt(present.reduce((a, b) => a + (b - mean) ** 2, 0) / present.length) || 1
  return values.map(v => Number.isNaN(v) ? 0 : (v - mean) / sd)
}
