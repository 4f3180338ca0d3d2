/**
 * Noun decisions shared by the threads a memory ingests. The tagger (compromise, ~50 µs a word) is
 * most of a thread's labelling cost, and an export of thousands of short threads (mails, notes)
 * asks about the same words again and again. Once a word has been tagged in as many passages as
 * one thread would look at, and the tagger agreed in all of them (always a noun, or never), later
 * threads take that decision from here; a word the tagger saw both ways ("running")
 * is tagged in each thread's own passages. Bounded: full, it starts over.
 */
export class NounBook {
  readonly #terms = new Map<string, { forms: Set<string>, passages: number, asNoun: number }>()
  readonly #limit: number
  readonly #enough: number

  /** `enough`: tagged passages after which a word's decision is settled; `limit`: words kept. */
  constructor (enough: number, limit = 20_000) {
    this.#enough = enough
    this.#limit = limit
  }

  /**
   * The settled decision: the written forms the word had as a noun (always one), null (never a
   * noun), undefined (not settled: seen too rarely or both ways).
   */
  settled (term: string): ReadonlySet<string> | null | undefined {
    const entry = this.#terms.get(term)
    if (entry === undefined || entry.passages < this.#enough) return undefined
    if (entry.asNoun === 0) return null
    return entry.asNoun === entry.passages ? entry.forms : undefined
  }

  /** One tagged passage of the word: the forms it had as a noun there (none: not a noun there). */
  record (term: string, forms: readonly string[]): void {
    let entry = this.#terms.get(term)
    if (entry === undefined) {
      if (this.#terms.size >= this.#limit) this.#terms.clear()
      this.#terms.set(term, entry = { forms: new Set(), passages: 0, asNoun: 0 })
    }
    if (entry.passages >= this.#enough) return
    entry.passages++
    if (forms.length > 0) entry.asNoun++
    for (const f of forms) entry.forms.add(f)
  }
}
