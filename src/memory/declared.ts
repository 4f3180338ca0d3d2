import { normaliseTopic } from '../scope.js'
import { terms } from '../util/text.js'

// Topics the owner declares ("sailing", about "boats, the sea"): the one vocabulary for what the
// node announces, what a grant names and which memories a topic covers. A declared topic selects
// memories by meaning: an item is in it when its embedding is close to the topic's (label + about),
// or when it uses one of the topic's words and is at least loosely close in meaning.

export const DECLARED_STORE = 'memory-declared-topics'

export interface DeclaredTopic {
  label: string
  /** A few words about the topic from the owner ("dogs, cats, puppies"). */
  about?: string
  at: string
}

/**
 * Calibrated by scripts/calibrate-topics.ts on the hand-labelled fixture test/fixtures/topics.json
 * (USE-lite embeddings): `cosine` alone selects; a lexical hit needs at least `lexicalCosine`.
 */
export const TOPIC_SELECTION = { cosine: 0.5, lexicalCosine: 0.28 }

/** The text embedded for a topic. */
export function topicText (t: Pick<DeclaredTopic, 'label' | 'about'>): string {
  return t.about === undefined ? t.label : `${t.label}: ${t.about}`
}

export function topicTerms (t: Pick<DeclaredTopic, 'label' | 'about'>): Set<string> {
  return new Set(terms(`${t.label} ${t.about ?? ''}`))
}

/**
 * Whether an item belongs to a declared topic. Without embeddings (`cosine` undefined) the
 * lexical match alone decides.
 */
export function selects (itemTerms: ReadonlySet<string>, topic: ReadonlySet<string>, cosine: number | undefined, params = TOPIC_SELECTION): boolean {
  let lexical = false
  for (const t of topic) if (itemTerms.has(t)) { lexical = true; break }
  if (cosine === undefined) return lexical
  return cosine >= params.cosine || (lexical && cosine >= params.lexicalCosine)
}

export function declaredKey (label: string): string {
  return normaliseTopic(label)
}
