import { normaliseTopic } from '../scope.js'
import { stem, terms } from './analyse.js'

const WORD = /[\p{L}][\p{L}\p{N}'’-]*/gu

/**
 * Readable topic labels for a thread of items (a session, a note): its most distinctive words by
 * tf-idf against the whole memory, shown in their most common written form.
 */
export function threadTopics (texts: string[], df: (term: string) => number, total: number, max = 2): string[] {
  const tf = new Map<string, number>()
  const inItems = new Map<string, number>()
  for (const text of texts) {
    const list = terms(text)
    for (const t of list) tf.set(t, (tf.get(t) ?? 0) + 1)
    for (const t of new Set(list)) inItems.set(t, (inItems.get(t) ?? 0) + 1)
  }
  const candidates = [...tf].filter(([t]) => t.length >= 4 && !/\d/.test(t))
  // In a longer thread a topic should recur; fall back to single mentions when nothing does.
  const recurring = candidates.filter(([, f]) => f >= 2)
  const scored = (texts.length >= 3 && recurring.length > 0 ? recurring : candidates)
    .map(([t, f]) => [t, f * Math.log((total + texts.length + 1) / (df(t) + (inItems.get(t) ?? 0) + 0.5))] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
  const surface = surfaceForms(texts)
  return scored.map(([t]) => normaliseTopic(surface.get(t) ?? t))
}

/** stem → its most frequent spelling in the texts, for labels people can read. */
function surfaceForms (texts: string[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>()
  for (const text of texts) {
    for (const m of text.toLowerCase().matchAll(WORD)) {
      const word = m[0].replace(/['’].*$/, '')
      const key = stem(word)
      const forms = counts.get(key) ?? new Map<string, number>()
      forms.set(word, (forms.get(word) ?? 0) + 1)
      counts.set(key, forms)
    }
  }
  const out = new Map<string, string>()
  for (const [key, forms] of counts) out.set(key, [...forms].sort((a, b) => b[1] - a[1])[0]?.[0] ?? key)
  return out
}
