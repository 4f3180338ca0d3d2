// Small lexical helpers for the no-model paths (extractive answers, autofill field matching).

const STOPWORDS = new Set(('a an and are as at be but by do does did for from had has have he her his how i in is it its ' +
  'me my of on or our she so that the their them they this to was we were what when where which who why will with ' +
  'you your about into than then there these those can could would should am been being any all not no yes').split(' '))

/** Light stemming: enough to match "likes"/"liked"/"liking" and "cities"/"city". */
export function stem (word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y'
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3)
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2)
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1)
  return word
}

/** Content words of a text, lower-cased and stemmed; camelCase and snake_case split apart. */
export function terms (text: string): string[] {
  const spaced = text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-.]/g, ' ').toLowerCase()
  const words = spaced.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []
  return words.filter(w => !STOPWORDS.has(w) && w.length > 1).map(stem)
}

/** Fraction of the query's terms found in the text (0–1), a plain and explainable overlap score. */
export function overlap (queryTerms: readonly string[], text: string): number {
  if (queryTerms.length === 0) return 0
  const have = new Set(terms(text))
  let hit = 0
  for (const t of new Set(queryTerms)) if (have.has(t)) hit++
  return hit / new Set(queryTerms).size
}

/** Split a memory into sentences so an extractive answer quotes the relevant part only. */
export function sentences (text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/).map(s => s.trim()).filter(s => s !== '')
}
