// In-memory lexical index (BM25) over memory items, with neighbour expansion done at query time:
// a conversation turn is scored as if it also contained (down-weighted) the words of the turns
// around it in the same thread — but only of neighbours the asker may see, so words of a private
// turn never lift a shareable one under a peer's scope.

export interface LexicalDoc {
  id: string
  tf: Map<string, number>
  len: number
  thread: string
  seq: number
}

export interface LexicalParams {
  k1: number
  b: number
  /** Weight of the words of the turn right before/after; each further step multiplies by `decay`. */
  neighbour: number
  decay: number
  window: number
}

export const DEFAULT_LEXICAL: LexicalParams = { k1: 0.9, b: 0.5, neighbour: 0.5, decay: 0.5, window: 3 }

export class LexicalIndex {
  readonly params: LexicalParams
  readonly #docs = new Map<string, LexicalDoc>()
  readonly #postings = new Map<string, Set<string>>()
  readonly #threads = new Map<string, LexicalDoc[]>()
  readonly #dirtyThreads = new Set<string>()
  readonly #neighbours = new Map<string, Array<{ id: string, weight: number }>>()
  #avgLen: number | undefined

  constructor (params: Partial<LexicalParams> = {}) {
    this.params = { ...DEFAULT_LEXICAL, ...params }
  }

  get size (): number {
    return this.#docs.size
  }

  has (id: string): boolean {
    return this.#docs.has(id)
  }

  /** In how many docs a term occurs (their own words only). */
  df (term: string): number {
    return this.#postings.get(term)?.size ?? 0
  }

  add (doc: LexicalDoc): void {
    if (this.#docs.has(doc.id)) this.remove(doc.id)
    this.#docs.set(doc.id, doc)
    for (const term of doc.tf.keys()) {
      let set = this.#postings.get(term)
      if (set === undefined) this.#postings.set(term, set = new Set())
      set.add(doc.id)
    }
    const thread = this.#threads.get(doc.thread) ?? []
    thread.push(doc)
    this.#threads.set(doc.thread, thread)
    this.#dirtyThreads.add(doc.thread)
    this.#avgLen = undefined
  }

  remove (id: string): void {
    const doc = this.#docs.get(id)
    if (doc === undefined) return
    this.#docs.delete(id)
    for (const term of doc.tf.keys()) {
      const set = this.#postings.get(term)
      set?.delete(id)
      if (set?.size === 0) this.#postings.delete(term)
    }
    const thread = (this.#threads.get(doc.thread) ?? []).filter(d => d.id !== id)
    if (thread.length === 0) this.#threads.delete(doc.thread)
    else this.#threads.set(doc.thread, thread)
    this.#dirtyThreads.add(doc.thread)
    this.#neighbours.delete(id)
    this.#avgLen = undefined
  }

  /** Neighbours of a doc within the window, with their weights (the doc itself has weight 1). */
  neighbours (id: string): Array<{ id: string, weight: number }> {
    this.#sortThreads()
    return this.#neighbours.get(id) ?? []
  }

  /** BM25 scores of the allowed docs that match at least one query term. */
  score (queryTerms: readonly string[], allowed: (id: string) => boolean, allowedCount: number): Map<string, number> {
    const contributions = this.#expandedTf([...new Set(queryTerms)], allowed)
    const n = Math.max(1, allowedCount)
    const avg = this.#averageExpandedLength()
    const { k1, b } = this.params
    const scores = new Map<string, number>()
    const lengths = new Map<string, number>()
    for (const perDoc of contributions.values()) {
      const idf = Math.log(1 + (n - perDoc.size + 0.5) / (perDoc.size + 0.5))
      for (const [id, f] of perDoc) {
        let len = lengths.get(id)
        if (len === undefined) lengths.set(id, len = this.#expandedLength(id, allowed))
        scores.set(id, (scores.get(id) ?? 0) + idf * f * (k1 + 1) / (f + k1 * (1 - b + b * len / avg)))
      }
    }
    return scores
  }

  /** term → (doc → expanded term frequency), from allowed docs into allowed neighbours. */
  #expandedTf (queryTerms: string[], allowed: (id: string) => boolean): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>()
    for (const term of queryTerms) {
      const posting = this.#postings.get(term)
      if (posting === undefined) continue
      const perDoc = new Map<string, number>()
      for (const id of posting) {
        if (!allowed(id)) continue
        const tf = this.#docs.get(id)?.tf.get(term) ?? 0
        for (const { id: target, weight } of this.neighbours(id)) {
          if (allowed(target)) perDoc.set(target, (perDoc.get(target) ?? 0) + weight * tf)
        }
      }
      if (perDoc.size > 0) out.set(term, perDoc)
    }
    return out
  }

  #expandedLength (id: string, allowed: (id: string) => boolean): number {
    let len = 0
    for (const { id: other, weight } of this.neighbours(id)) if (allowed(other)) len += weight * (this.#docs.get(other)?.len ?? 0)
    return len
  }

  #averageExpandedLength (): number {
    if (this.#avgLen === undefined) {
      let total = 0
      for (const id of this.#docs.keys()) total += this.#expandedLength(id, () => true)
      this.#avgLen = this.#docs.size === 0 ? 1 : Math.max(1, total / this.#docs.size)
    }
    return this.#avgLen
  }

  #window (thread: LexicalDoc[], at: number): Array<{ id: string, weight: number }> {
    const self = thread[at]
    const out = self === undefined ? [] : [{ id: self.id, weight: 1 }]
    const { neighbour, decay, window } = this.params
    for (let d = 1; d <= window; d++) {
      const weight = neighbour * decay ** (d - 1)
      for (const other of [thread[at - d], thread[at + d]]) if (other !== undefined) out.push({ id: other.id, weight })
    }
    return out
  }

  #sortThreads (): void {
    if (this.#dirtyThreads.size === 0) return
    for (const name of this.#dirtyThreads) {
      const thread = this.#threads.get(name)
      if (thread === undefined) continue
      thread.sort((a, b) => a.seq - b.seq)
      thread.forEach((d, at) => this.#neighbours.set(d.id, this.#window(thread, at)))
    }
    this.#dirtyThreads.clear()
  }
}
