import nlp from 'compromise'
import { normaliseTopic, type Visibility } from '../scope.js'
import { stem, terms } from '../util/text.js'
import { NounBook } from './noun-book.js'

/**
 * Words that never make a topic label: chat fillers, evaluations, the parser's own annotation words
 * ("[shares a photo: …]"), and words too general to say what a thread is about.
 */
const GENERIC = new Set(('great thanks thank love help awesome amazing cool nice good fun glad happy sure wonderful fantastic ' +
  'incredible beautiful proud excited excit exciting special hard tough best better bad lovely super cute ' +
  'photo photograph picture pic pics image share shares sharing shared snap ' +
  'time day days week weeks month months year years today yesterday tomorrow weekend moment moments lot lots ' +
  'thing things stuff people person guy guys way ways kind bit part place idea ideas story stories news ' +
  'feel feeling feelings think know want need hope wish look looks see make made take get got going gonna ' +
  'life world everyone everything something anything nothing someone friend friends buddy pal ' +
  'hey wow yeah yes okay haha congrats congratulations talk chat catch care support journey experience ' +
  'reminder memory memories sense joy fun blast awesome').split(/\s+/))

const ANNOTATION = /\[[^\]]*\]/g

/** Candidates (best first) checked for being a noun before a thread goes without a label. */
const MAX_CHECKED = 12
/** Passages tagged per candidate: a few show whether a word is used as a noun, and its phrase. */
const MAX_PASSAGES = 6
/** Words kept either side of a candidate in a long sentence (the tagger needs only its neighbours). */
const SPAN = 8

/** A book for the threads of many writes: a word is settled after as many passages as a thread tags. */
export function nounBook (): NounBook {
  return new NounBook(MAX_PASSAGES)
}

/**
 * Readable topic labels for a thread of items (a session, a note): its most distinctive nouns by
 * tf-idf against the whole memory, as the noun phrase they most often appear in ("pottery class").
 * The part-of-speech tagger (compromise, ~0.3 MB/s) runs only on a few passages around the best
 * candidates, not on the whole thread, so a 100k-message chat costs about what a short one does.
 * With a `book` (shared by the threads a memory ingests), a word already tagged often enough in
 * earlier threads is not tagged again (see NounBook); only passages where this thread may name it
 * in a phrase are. Long sentences are tagged in slices on a fixed grid, shared by their candidates.
 */
export function threadTopics (texts: string[], df: (term: string) => number, total: number, max = 2, book?: NounBook): string[] {
  const passages = new Passages(texts.map(t => t.replace(ANNOTATION, ' ')), book)
  const score = (t: string, f: number): number => f * Math.log((total + texts.length + 1) / (df(t) + passages.items(t) + 0.5))
  const candidates = [...passages.tf].filter(([t]) => t.length >= 3 && !/\d/.test(t) && !GENERIC.has(t))
    .map(([t, f]) => ({ t, f, score: score(t, f) }))
    .sort((a, b) => b.score - a.score)
  // In a longer thread a topic should recur; fall back to single mentions when no recurring noun is found.
  const recurring = candidates.filter(c => c.f >= 2)
  let picked = texts.length >= 3 && recurring.length > 0 ? nounsAmong(recurring, passages, max) : []
  if (picked.length === 0) picked = nounsAmong(candidates, passages, max)
  return [...new Set(picked.map(normaliseTopic))]
}

/** The labels of the first `max` candidates used as nouns (their phrase or most frequent form). */
function nounsAmong (candidates: ReadonlyArray<{ t: string }>, passages: Passages, max: number): string[] {
  const out: string[] = []
  for (const { t } of candidates.slice(0, MAX_CHECKED)) {
    const noun = passages.noun(t)
    if (noun === undefined || GENERIC.has(noun.form)) continue
    out.push(noun.phrase ?? noun.form)
    if (out.length >= max) break
  }
  return out
}

/** What the tagger found in a passage: its nouns and its two-word noun phrases (lower case). */
interface Tagged { nouns: string[], phrases: string[] }

/** A thread's sentences with their terms, and the tagger run on a few of them per term, on demand. */
class Passages {
  readonly tf = new Map<string, number>()
  readonly #inItems = new Map<string, number>()
  /** term → the sentences it occurs in (indices, in order). */
  readonly #where = new Map<string, number[]>()
  readonly #sentences: string[] = []
  /** Tagged passages: candidates of a short thread mostly share the same few sentences. */
  readonly #tagged = new Map<string, Tagged>()
  readonly #book: NounBook | undefined

  constructor (texts: string[], book?: NounBook) {
    this.#book = book
    for (const text of texts) {
      const inText = new Set<string>()
      for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
        const list = terms(sentence)
        if (list.length === 0) continue
        const at = this.#sentences.push(sentence) - 1
        for (const t of list) {
          this.tf.set(t, (this.tf.get(t) ?? 0) + 1)
          const where = this.#where.get(t)
          if (where === undefined) this.#where.set(t, [at])
          else if (where[where.length - 1] !== at) where.push(at)
          inText.add(t)
        }
      }
      for (const t of inText) this.#inItems.set(t, (this.#inItems.get(t) ?? 0) + 1)
    }
  }

  items (t: string): number {
    return this.#inItems.get(t) ?? 0
  }

  /** The word's most frequent written form as a noun and its most frequent two-word noun phrase (seen twice). */
  noun (t: string): { form: string, phrase?: string } | undefined {
    const passages = (this.#where.get(t) ?? []).slice(0, MAX_PASSAGES).map(at => around(this.#sentences[at] ?? '', t))
    const settled = this.#book?.settled(t)
    if (settled === null) return undefined
    // Settled as a noun: its most frequent form here among those the tagger has seen as a noun.
    const form = settled === undefined ? undefined : mostFrequent(formsIn(passages, t, settled), 1)
    if (form === undefined) return this.#fromOwnPassages(t, passages)
    // Only passages holding a repeated word pair can name a phrase (a label needs two).
    const phrase = mostFrequent(this.#phrases(t, withRepeatedPair(passages, t)), 2)
    return phrase === undefined ? { form } : { form, phrase }
  }

  /** The decision from this thread's own tagged passages (each also goes in the book). */
  #fromOwnPassages (t: string, passages: readonly string[]): { form: string, phrase?: string } | undefined {
    const forms = new Map<string, number>()
    for (const passage of passages) {
      const found = formsIn(this.#tag(passage).nouns, t)
      for (const [f, n] of found) forms.set(f, (forms.get(f) ?? 0) + n)
      this.#book?.record(t, [...found.keys()])
    }
    const form = mostFrequent(forms, 1)
    if (form === undefined) return undefined
    const phrase = mostFrequent(this.#phrases(t, passages), 2)
    return phrase === undefined ? { form } : { form, phrase }
  }

  #phrases (t: string, passages: readonly string[]): Map<string, number> {
    const phrases = new Map<string, number>()
    for (const passage of passages) {
      for (const phrase of this.#tag(passage).phrases) if (stem(phrase.split(' ')[1] ?? '') === t) phrases.set(phrase, (phrases.get(phrase) ?? 0) + 1)
    }
    return phrases
  }

  #tag (passage: string): Tagged {
    let tagged = this.#tagged.get(passage)
    if (tagged === undefined) {
      // Only the words are kept: a tagged document is large, and a thread tags many passages.
      const doc = nlp(passage)
      const nouns = doc.match('#Noun').not(NOT_TOPIC).out('array') as string[]
      this.#tagged.set(passage, tagged = { nouns, phrases: phrasesIn(doc) })
    }
    return tagged
  }
}

/** The written forms of the word in these texts with their counts (first seen first); only `allowed` ones if given. */
function formsIn (texts: readonly string[], t: string, allowed?: ReadonlySet<string>): Map<string, number> {
  const forms = new Map<string, number>()
  for (const text of texts) {
    for (const word of text.toLowerCase().match(/[\p{L}][\p{L}'’-]*/gu) ?? []) {
      const form = word.replace(/['’].*$/, '')
      if (stem(form) === t && (allowed === undefined || allowed.has(form))) forms.set(form, (forms.get(form) ?? 0) + 1)
    }
  }
  return forms
}

/**
 * The passages holding a word pair that could be a phrase label ending in the word (as
 * `phrasesIn` keeps them) and that occurs again in these passages: no other passage can add to
 * a phrase seen twice.
 */
function withRepeatedPair (passages: readonly string[], t: string): string[] {
  const pairsOf = passages.map(passage => {
    const words = passage.toLowerCase().match(/[\p{L}][\p{L}-]*/gu) ?? []
    const pairs: string[] = []
    for (let i = 1; i < words.length; i++) {
      const [a, b] = [words[i - 1] ?? '', words[i] ?? '']
      if (stem(b) === t && phraseWord(a) && phraseWord(b)) pairs.push(`${a} ${b}`)
    }
    return pairs
  })
  const counts = new Map<string, number>()
  for (const pair of pairsOf.flat()) counts.set(pair, (counts.get(pair) ?? 0) + 1)
  return passages.filter((_, i) => pairsOf[i]?.some(pair => (counts.get(pair) ?? 0) >= 2))
}

/** A word a phrase label may hold: not generic, not a stop word. */
function phraseWord (w: string): boolean {
  return !GENERIC.has(w) && !GENERIC.has(stem(w)) && terms(w).length > 0
}

const NOT_TOPIC = '(#Pronoun|#Possessive|#Person|#Value|#Date)'

/**
 * The sentence, or in a long one a slice of 4·SPAN words with the term's first occurrence in its
 * middle half (at least SPAN words either side). Slices start on a grid of 2·SPAN words, so the
 * candidates of one sentence mostly share a slice and the tagger runs once for them, not once each.
 */
function around (sentence: string, t: string): string {
  const words = sentence.split(/\s+/)
  if (words.length <= 4 * SPAN) return sentence
  const at = Math.max(0, words.findIndex(w => terms(w).includes(t)))
  const start = Math.min(Math.max(0, Math.floor((at - SPAN) / (2 * SPAN)) * 2 * SPAN), words.length - 4 * SPAN)
  return words.slice(start, start + 4 * SPAN).join(' ')
}

/** Two-word noun phrases ("support group") of a tagged passage, without generic words. */
function phrasesIn (doc: ReturnType<typeof nlp>): string[] {
  const out: string[] = []
  for (const m of doc.match('(#Adjective|#Noun) #Noun').not(NOT_TOPIC).out('array') as string[]) {
    const words = m.toLowerCase().match(/[\p{L}][\p{L}-]*/gu) ?? []
    if (words.length !== 2 || !words.every(phraseWord)) continue
    out.push(words.join(' '))
  }
  return out
}

function mostFrequent (counts: ReadonlyMap<string, number>, least: number): string | undefined {
  let best: [string, number] | undefined
  for (const entry of counts) if (entry[1] >= least && (best === undefined || entry[1] > best[1])) best = entry
  return best?.[0]
}

export interface TopicCount { topic: string, count: number, visibility: Visibility | 'mixed' }

/** Each label on these items with how many carry it and their visibility (one, or mixed). */
export function topicCounts (items: Iterable<{ topics: readonly string[], visibility: Visibility }>): TopicCount[] {
  const byTopic = new Map<string, { count: number, vis: Set<Visibility> }>()
  for (const item of items) {
    for (const t of item.topics) {
      const entry = byTopic.get(t) ?? { count: 0, vis: new Set<Visibility>() }
      entry.count++
      entry.vis.add(item.visibility)
      byTopic.set(t, entry)
    }
  }
  return [...byTopic].map(([topic, e]) => ({ topic, count: e.count, visibility: e.vis.size === 1 ? [...e.vis][0] ?? 'private' : 'mixed' as const }))
    .sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic))
}
