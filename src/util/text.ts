// The one text analysis of the project: lexical recall, topics, facts, answer selection, autofill and
// training data all compare words through these terms, so they agree on what a word is. Lower-case
// word tokens, stop words dropped, a light suffix stemmer (plural, -ing, -ed, -ly …) so "paints",
// "painting" and "painted" meet at one term.

const STOP = new Set(('a an and are as at be been but by can could did do does doing done for from had has have ' +
  'he her hers him his how i if in into is it its just me my of on or our she so than that the their them then ' +
  'there these they this those to too us was we were what when where which who whom why will with would you your ' +
  'yours am im ive id youre thats its dont didnt ll re ve s t d m o y also very really about after again all any ' +
  'because before being both each few more most other over own same some such only through under until up down ' +
  'out off while during here hey hi oh wow yeah yes no not nor one get got go going gonna lot lots much many thing ' +
  'things like just now well kind sure always ever still even think know').split(/\s+/))

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu

/** Stem one lower-case word: cheap rules, good enough to merge common inflections. */
export function stem (word: string): string {
  let w = word.replace(/['’]s$/, '').replace(/['’]/g, '')
  if (w.length <= 3) return w
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`
  else if (w.endsWith('sses')) w = w.slice(0, -2)
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1)
  if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3))
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2))
  else if (w.endsWith('ly') && w.length > 4) w = w.slice(0, -2)
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1)
  if (w.endsWith('y') && w.length > 3) w = `${w.slice(0, -1)}i`
  return w
}

function undouble (w: string): string {
  const n = w.length
  if (n > 3 && w[n - 1] === w[n - 2] && !/[lsz]/.test(w[n - 1] ?? '')) return w.slice(0, -1)
  return w
}

/** Index/query terms of a text, in order, with repetition. */
export function terms (text: string): string[] {
  const out: string[] = []
  // NFKC leaves plain ASCII as it is; most text is, and normalising is a third of the cost.
  const plain = NON_ASCII.test(text) ? text.normalize('NFKC') : text
  for (const match of plain.toLowerCase().matchAll(WORD)) {
    const t = termOfWord(match[0])
    if (t !== null) out.push(t)
  }
  return out
}

const NON_ASCII = /[^ -~\t\n\r]/
/** Words seen → their term (null: a stop word). Ingest tokenises every text several times (index, topics, facts). */
const termCache = new Map<string, string | null>()
const TERM_CACHE_LIMIT = 100_000

function termOfWord (word: string): string | null {
  let t = termCache.get(word)
  if (t === undefined) {
    const s = STOP.has(word.replace(/['’]/g, '')) ? '' : stem(word)
    t = s.length > 0 && !STOP.has(s) ? s : null
    // Bounded: full, it starts over (a vocabulary rarely gets near it).
    if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear()
    termCache.set(word, t)
  }
  return t
}

/** Term frequencies of a list of terms. */
export function termCounts (list: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const t of list) counts.set(t, (counts.get(t) ?? 0) + 1)
  return counts
}

/** An identifier as words ("favouriteColour", "favourite_colour" → "favourite colour"), for `terms`. */
export function identifierWords (name: string): string {
  return name.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').replace(/[_\-.]+/g, ' ')
}

/** Fraction of the query's terms found in the text (0–1), a plain and explainable overlap score. */
export function overlap (queryTerms: readonly string[], text: string): number {
  const wanted = new Set(queryTerms)
  if (wanted.size === 0) return 0
  const have = new Set(terms(text))
  let hit = 0
  for (const t of wanted) if (have.has(t)) hit++
  return hit / wanted.size
}

/** Split a text into sentences, so an answer or a form value quotes the relevant part only. */
export function sentences (text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/).map(s => s.trim()).filter(s => s !== '')
}
