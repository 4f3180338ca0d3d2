// In-memory lexical index (BM25) over memory items, with neighbour expansion done at query time:
// a conversation turn is scored as if it also contained (down-weighted) the words of the turns
// around it in the same thread — but only of neighbours the asker may see, so words of a private
// turn never lift a shareable one under a peer's scope.
//
// Query-time work runs on integer slots (one per doc) and typed arrays: postings, a neighbour table
// and, per allowed-id set, a slot mask with each doc's expanded length, kept until the index changes.
// Memory stays small on huge ingests: each term string is kept once (a term id), a doc keeps only
// a range of one shared pool of term ids (not the Map it was added with, nor typed arrays of its
// own: each of those costs ~200 bytes of object and buffer headers), postings are typed arrays.

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

/** The docs of one term, in the order they were added, with the term's count in each. */
class Posting {
  slots = new Int32Array(2)
  tfs = new Float32Array(2)
  length = 0

  push (slot: number, tf: number): void {
    if (this.length === this.slots.length) {
      const slots = new Int32Array(this.length * 2)
      slots.set(this.slots)
      const tfs = new Float32Array(this.length * 2)
      tfs.set(this.tfs)
      this.slots = slots
      this.tfs = tfs
    }
    this.slots[this.length] = slot
    this.tfs[this.length++] = tf
  }

  remove (slot: number): void {
    const at = this.slots.subarray(0, this.length).indexOf(slot)
    if (at < 0) return
    this.slots.copyWithin(at, at + 1, this.length)
    this.tfs.copyWithin(at, at + 1, this.length)
    this.length--
  }
}

/** What the index keeps of a doc: where its term ids are in the pool (to unlist it), and its place in its thread. */
interface Doc { id: string, slot: number, len: number, thread: string, seq: number, termsAt: number, termCount: number }

/**
 * The term ids of every doc, one after another in one growable array. A removed doc's range is left
 * unused (removals are rare: forget, a rolled-back ingest); the pool is at most the size of all
 * term ids ever added.
 */
class TermPool {
  ids = new Int32Array(1024)
  length = 0

  /** Reserve `n` places; returns where they start. */
  reserve (n: number): number {
    if (this.length + n > this.ids.length) {
      const ids = new Int32Array(Math.max(this.ids.length * 2, this.length + n))
      ids.set(this.ids.subarray(0, this.length))
      this.ids = ids
    }
    const at = this.length
    this.length += n
    return at
  }

  range (at: number, n: number): Int32Array {
    return this.ids.subarray(at, at + n)
  }
}

/** Per allowed-id set: which slots it lets through and their expanded lengths. */
interface Scope { version: number, mask: Uint8Array, lengths: Float64Array }

export class LexicalIndex {
  readonly params: LexicalParams
  readonly #docs = new Map<string, Doc>()
  readonly #bySlot: Array<Doc | undefined> = []
  readonly #free: number[] = []
  /** term → term id (the index into #postings); a term once seen keeps its id. */
  readonly #termIds = new Map<string, number>()
  readonly #postings: Posting[] = []
  readonly #pool = new TermPool()
  readonly #threads = new Map<string, Doc[]>()
  readonly #dirtyThreads = new Set<string>()
  /** Per slot, `stride` neighbour slots (itself first; -1 = none) and their weights. */
  #table = new Int32Array(0)
  #weights = new Float64Array(0)
  readonly #stride: number
  readonly #scopes = new WeakMap<Set<string>, Scope>()
  /** Scratch for one query: expanded term frequency and score per slot, and whether each is set. */
  #tf = new Float64Array(0)
  #scores = new Float64Array(0)
  #inTf = new Uint8Array(0)
  #inScores = new Uint8Array(0)
  /** Scratch lists of slots: touched by one term, and scored in first-match order (no arrays grown per query). */
  #touched = new Int32Array(0)
  #order = new Int32Array(0)
  #avgLen: number | undefined
  #version = 0

  constructor (params: Partial<LexicalParams> = {}) {
    this.params = { ...DEFAULT_LEXICAL, ...params }
    this.#stride = 1 + 2 * this.params.window
  }

  get size (): number {
    return this.#docs.size
  }

  has (id: string): boolean {
    return this.#docs.has(id)
  }

  /** Changes with every add or remove (for caches built from the neighbour lists). */
  get version (): number {
    return this.#version
  }

  /** In how many docs a term occurs (their own words only). */
  df (term: string): number {
    const id = this.#termIds.get(term)
    return id === undefined ? 0 : this.#postings[id]?.length ?? 0
  }

  add (input: LexicalDoc): void {
    if (this.#docs.has(input.id)) this.remove(input.id)
    const slot = this.#free.pop() ?? this.#bySlot.length
    const termsAt = this.#pool.reserve(input.tf.size)
    let k = termsAt
    for (const [term, tf] of input.tf) {
      const id = this.#termId(term)
      this.#postings[id]?.push(slot, tf)
      this.#pool.ids[k++] = id
    }
    const doc: Doc = { id: input.id, slot, len: input.len, thread: input.thread, seq: input.seq, termsAt, termCount: input.tf.size }
    this.#docs.set(doc.id, doc)
    this.#bySlot[slot] = doc
    const thread = this.#threads.get(doc.thread)
    if (thread === undefined) this.#threads.set(doc.thread, [doc])
    else thread.push(doc)
    this.#changed(doc.thread)
  }

  remove (id: string): void {
    const doc = this.#docs.get(id)
    if (doc === undefined) return
    const slot = doc.slot
    this.#docs.delete(id)
    this.#bySlot[slot] = undefined
    this.#free.push(slot)
    for (const term of this.#pool.range(doc.termsAt, doc.termCount)) this.#postings[term]?.remove(slot)
    const thread = (this.#threads.get(doc.thread) ?? []).filter(d => d.id !== id)
    if (thread.length === 0) this.#threads.delete(doc.thread)
    else this.#threads.set(doc.thread, thread)
    this.#table.fill(-1, slot * this.#stride, (slot + 1) * this.#stride)
    this.#changed(doc.thread)
  }

  #termId (term: string): number {
    let id = this.#termIds.get(term)
    if (id === undefined) {
      id = this.#postings.push(new Posting()) - 1
      this.#termIds.set(term, id)
    }
    return id
  }

  /** Neighbours of a doc within the window, with their weights (the doc itself first, weight 1). */
  neighbours (id: string): Array<{ id: string, weight: number }> {
    this.#sortThreads()
    const slot = this.#docs.get(id)?.slot
    const out: Array<{ id: string, weight: number }> = []
    if (slot === undefined) return out
    for (let k = slot * this.#stride, end = k + this.#stride; k < end; k++) {
      const other = this.#table[k] as number
      if (other < 0) break
      out.push({ id: this.#bySlot[other]?.id ?? '', weight: this.#weights[k] as number })
    }
    return out
  }

  /** BM25 scores of the allowed docs that match at least one query term (in first-match order). */
  score (queryTerms: readonly string[], allowed: Set<string>): Map<string, number> {
    this.#sortThreads()
    const scope = this.#scope(allowed)
    const n = Math.max(1, allowed.size)
    const avg = this.#averageExpandedLength()
    const { k1, b } = this.params
    const scores = this.#scores
    const inScores = this.#inScores
    const order = this.#order
    let scored = 0
    for (const term of new Set(queryTerms)) {
      const touched = this.#expandedTf(term, scope.mask)
      const tf = this.#tf
      const idf = Math.log(1 + (n - touched + 0.5) / (touched + 0.5))
      for (let i = 0; i < touched; i++) {
        const slot = this.#touched[i] as number
        const f = tf[slot] as number
        tf[slot] = 0
        this.#inTf[slot] = 0
        const len = scope.lengths[slot] as number
        if (inScores[slot] === 0) { inScores[slot] = 1; order[scored++] = slot }
        scores[slot] = (scores[slot] as number) + idf * f * (k1 + 1) / (f + k1 * (1 - b + b * len / avg))
      }
    }
    const out = new Map<string, number>()
    for (let i = 0; i < scored; i++) {
      const slot = order[i] as number
      out.set(this.#bySlot[slot]?.id ?? '', scores[slot] as number)
      scores[slot] = 0
      inScores[slot] = 0
    }
    return out
  }

  /** Into the #tf scratch: one term's expanded frequency per allowed slot; the slots touched go to #touched, in order (returns how many). */
  #expandedTf (term: string, mask: Uint8Array): number {
    const termId = this.#termIds.get(term)
    const posting = termId === undefined ? undefined : this.#postings[termId]
    if (posting === undefined) return 0
    const touched = this.#touched
    let count = 0
    const { slots, tfs, length } = posting
    const tf = this.#tf
    const inTf = this.#inTf
    const stride = this.#stride
    for (let j = 0; j < length; j++) {
      const slot = slots[j] as number
      if (mask[slot] !== 1) continue
      const times = tfs[j] as number
      for (let k = slot * stride, end = k + stride; k < end; k++) {
        const target = this.#table[k] as number
        if (target < 0) break
        if (mask[target] !== 1) continue
        if (inTf[target] === 0) { inTf[target] = 1; touched[count++] = target }
        tf[target] = (tf[target] as number) + (this.#weights[k] as number) * times
      }
    }
    return count
  }

  #scope (allowed: Set<string>): Scope {
    const cached = this.#scopes.get(allowed)
    if (cached !== undefined && cached.version === this.#version) return cached
    const mask = new Uint8Array(this.#bySlot.length)
    for (const id of allowed) {
      const slot = this.#docs.get(id)?.slot
      if (slot !== undefined) mask[slot] = 1
    }
    const lengths = new Float64Array(this.#bySlot.length)
    for (let slot = 0; slot < lengths.length; slot++) if (mask[slot] === 1) lengths[slot] = this.#expandedLength(slot, mask)
    const scope = { version: this.#version, mask, lengths }
    this.#scopes.set(allowed, scope)
    return scope
  }

  #expandedLength (slot: number, mask: Uint8Array | undefined): number {
    let len = 0
    for (let k = slot * this.#stride, end = k + this.#stride; k < end; k++) {
      const other = this.#table[k] as number
      if (other < 0) break
      if (mask === undefined || mask[other] === 1) len += (this.#weights[k] as number) * (this.#bySlot[other]?.len ?? 0)
    }
    return len
  }

  #averageExpandedLength (): number {
    if (this.#avgLen === undefined) {
      let total = 0
      for (const doc of this.#docs.values()) total += this.#expandedLength(doc.slot, undefined)
      this.#avgLen = this.#docs.size === 0 ? 1 : Math.max(1, total / this.#docs.size)
    }
    return this.#avgLen
  }

  #changed (thread: string): void {
    this.#dirtyThreads.add(thread)
    this.#avgLen = undefined
    this.#version++
  }

  /** Rebuild the neighbour rows of changed threads (and size the per-slot arrays). */
  #sortThreads (): void {
    if (this.#dirtyThreads.size === 0) return
    this.#ensureCapacity(this.#bySlot.length)
    for (const name of this.#dirtyThreads) {
      const thread = this.#threads.get(name)
      if (thread === undefined) continue
      thread.sort((a, b) => a.seq - b.seq)
      thread.forEach((_, at) => this.#window(thread, at))
    }
    this.#dirtyThreads.clear()
  }

  /** One doc's row: itself (weight 1), then the turns 1, 2, … steps before and after it. */
  #window (thread: Doc[], at: number): void {
    const self = thread[at]
    if (self === undefined) return
    const slot = self.slot
    let k = slot * this.#stride
    const put = (doc: Doc | undefined, weight: number): void => {
      const other = doc?.slot
      if (other === undefined) return
      this.#table[k] = other
      this.#weights[k++] = weight
    }
    put(self, 1)
    const { neighbour, decay, window } = this.params
    for (let d = 1; d <= window; d++) {
      const weight = neighbour * decay ** (d - 1)
      put(thread[at - d], weight)
      put(thread[at + d], weight)
    }
    this.#table.fill(-1, k, (slot + 1) * this.#stride)
  }

  #ensureCapacity (slots: number): void {
    if (this.#tf.length >= slots) return
    const capacity = Math.max(64, slots * 2)
    const table = new Int32Array(capacity * this.#stride).fill(-1)
    table.set(this.#table)
    const weights = new Float64Array(capacity * this.#stride)
    weights.set(this.#weights)
    this.#table = table
    this.#weights = weights
    this.#tf = new Float64Array(capacity)
    this.#scores = new Float64Array(capacity)
    this.#inTf = new Uint8Array(capacity)
    this.#inScores = new Uint8Array(capacity)
    this.#touched = new Int32Array(capacity)
    this.#order = new Int32Array(capacity)
  }
}
