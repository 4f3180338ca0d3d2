import nlp from 'compromise'
import { normaliseTopic, type Visibility } from '../scope.js'
import { stem, terms } from '../util/text.js'

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

/**
 * Readable topic labels for a thread of items (a session, a note): its most distinctive nouns by
 * tf-idf against the whole memory, as the noun phrase they most often appear in ("pottery class").
 */
export function threadTopics (texts: string[], df: (term: string) => number, total: number, max = 2): string[] {
  const clean = texts.map(t => t.replace(ANNOTATION, ' '))
  const nouns = nounStems(clean)
  const tf = new Map<string, number>()
  const inItems = new Map<string, number>()
  for (const text of clean) {
    const list = terms(text).filter(t => nouns.has(t))
    for (const t of list) tf.set(t, (tf.get(t) ?? 0) + 1)
    for (const t of new Set(list)) inItems.set(t, (inItems.get(t) ?? 0) + 1)
  }
  const candidates = [...tf].filter(([t]) => t.length >= 3 && !/\d/.test(t) && !GENERIC.has(t) && !GENERIC.has(nouns.get(t) ?? t))
  // In a longer thread a topic should recur; fall back to single mentions when nothing does.
  const recurring = candidates.filter(([, f]) => f >= 2)
  const scored = (texts.length >= 3 && recurring.length > 0 ? recurring : candidates)
    .map(([t, f]) => [t, f * Math.log((total + texts.length + 1) / (df(t) + (inItems.get(t) ?? 0) + 0.5))] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
  const phrases = phrasesOf(clean)
  return [...new Set(scored.map(([t]) => normaliseTopic(phrases.get(t) ?? nouns.get(t) ?? t)))]
}

/** stem → the most frequent written form, for the nouns of the texts (compromise's tagger). */
function nounStems (texts: string[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>()
  for (const text of texts) {
    for (const w of nlp(text).match('#Noun').not('(#Pronoun|#Possessive|#Person|#Value|#Date)').out('array') as string[]) {
      for (const word of w.toLowerCase().match(/[\p{L}][\p{L}'’-]*/gu) ?? []) {
        const form = word.replace(/['’].*$/, '')
        const key = stem(form)
        const forms = counts.get(key) ?? new Map<string, number>()
        forms.set(form, (forms.get(form) ?? 0) + 1)
        counts.set(key, forms)
      }
    }
  }
  const out = new Map<string, string>()
  for (const [key, forms] of counts) out.set(key, [...forms].sort((a, b) => b[1] - a[1])[0]?.[0] ?? key)
  return out
}

/** head noun stem → a two-word noun phrase ending in it that occurs at least twice ("support group"). */
function phrasesOf (texts: string[]): Map<string, string> {
  const counts = new Map<string, number>()
  for (const text of texts) {
    for (const m of nlp(text).match('(#Adjective|#Noun) #Noun').not('(#Pronoun|#Possessive|#Person|#Value|#Date)').out('array') as string[]) {
      const words = m.toLowerCase().match(/[\p{L}][\p{L}-]*/gu) ?? []
      if (words.length !== 2 || words.some(w => GENERIC.has(w) || GENERIC.has(stem(w)) || terms(w).length === 0)) continue
      const phrase = words.join(' ')
      counts.set(phrase, (counts.get(phrase) ?? 0) + 1)
    }
  }
  const out = new Map<string, string>()
  for (const [phrase, n] of [...counts].sort((a, b) => b[1] - a[1])) {
    const head = stem(phrase.split(' ')[1] ?? '')
    if (n >= 2 && !out.has(head)) out.set(head, phrase)
  }
  return out
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
