// The fast paths of recall (SIMD dots, slot-indexed BM25, neighbour blending, top-k) checked against
// plain reference implementations of the same definitions, on random data with scopes and removals.
import { describe, expect, it } from 'vitest'
import { DenseMatrix, dotAt } from '../../src/memory/dense.js'
import { LexicalIndex, type LexicalDoc } from '../../src/memory/lexical.js'
import { topK } from '../../src/memory/recall.js'
import { SemanticScorer } from '../../src/memory/semantic.js'
import { VectorIndex } from '../../src/memory/vectors.js'
import { UseEmbedder } from '../../src/model/use-embedder.js'
import { freshNode } from './helpers.js'

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random (seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function vector (rnd: () => number, dim: number): Float32Array {
  return Float32Array.from({ length: dim }, () => rnd() - 0.5)
}

describe('DenseMatrix', () => {
  it('computes every row\'s dot product exactly as the scalar loop, through growth and removals', () => {
    const rnd = random(1)
    const dim = 512
    const m = new DenseMatrix(dim)
    const rows: Float32Array[] = []
    for (let i = 0; i < 300; i++) { const v = vector(rnd, dim); rows.push(v); expect(m.push(v)).toBe(i) }
    // Remove a few rows the way VectorIndex does: the last row moves into the hole.
    for (const row of [0, 17, 150, 296]) {
      const last = m.swapRemove(row)
      rows[row] = rows[last] as Float32Array
      rows.pop()
    }
    const q = vector(rnd, dim)
    const dots = m.dots(q)
    expect(dots).toHaveLength(rows.length)
    rows.forEach((v, r) => {
      expect(dots[r]).toBe(dotAt(v, 0, q, dim))
      expect([...m.row(r)]).toEqual([...v])
    })
  })

  it('falls back to the scalar loop when the dimension is not a multiple of four', () => {
    const rnd = random(2)
    const m = new DenseMatrix(6)
    const rows = Array.from({ length: 5 }, () => vector(rnd, 6))
    rows.forEach(v => m.push(v))
    const q = vector(rnd, 6)
    expect([...m.dots(q)]).toEqual(rows.map(v => dotAt(v, 0, q, 6)))
  })
})

describe('topK', () => {
  it('matches a stable sort by score, ties in input order', () => {
    const rnd = random(3)
    const scores = Float64Array.from({ length: 500 }, () => Math.floor(rnd() * 40) / 4)
    const ids = [...scores.keys()]
    const sorted = [...ids].sort((a, b) => (scores[b] as number) - (scores[a] as number))
    for (const k of [0, 1, 10, 50, 499, 500, 1000]) expect(topK(ids, scores, k)).toEqual(sorted.slice(0, k))
  })

  it('orders equal scores by the tie-break values when given, then by input order', () => {
    const rnd = random(5)
    const scores = Float64Array.from({ length: 500 }, () => Math.floor(rnd() * 10))
    const ties = Float64Array.from({ length: 500 }, () => Math.floor(rnd() * 5))
    const ids = [...scores.keys()]
    const sorted = [...ids].sort((a, b) => (scores[b] as number) - (scores[a] as number) || (ties[b] as number) - (ties[a] as number))
    for (const k of [0, 1, 10, 50, 499, 500, 1000]) expect(topK(ids, scores, k, ties)).toEqual(sorted.slice(0, k))
  })
})

/** The definition: BM25 over each doc's words plus its allowed neighbours' words (weighted), Map by Map. */
function referenceScores (docs: LexicalDoc[], query: string[], allowed: Set<string>, index: LexicalIndex): Map<string, number> {
  const { k1, b } = index.params
  const expandedTf = (id: string, term: string): number => index.neighbours(id).reduce((s, n) => s + (allowed.has(n.id) ? n.weight * (byId.get(n.id)?.tf.get(term) ?? 0) : 0), 0)
  const expandedLen = (id: string, all: boolean): number => index.neighbours(id).reduce((s, n) => s + (all || allowed.has(n.id) ? n.weight * (byId.get(n.id)?.len ?? 0) : 0), 0)
  const byId = new Map(docs.map(d => [d.id, d]))
  const avg = Math.max(1, docs.reduce((s, d) => s + expandedLen(d.id, true), 0) / docs.length)
  const out = new Map<string, number>()
  for (const term of new Set(query)) {
    const tfs = docs.filter(d => allowed.has(d.id)).map(d => ({ id: d.id, f: expandedTf(d.id, term) })).filter(x => x.f > 0)
    const idf = Math.log(1 + (allowed.size - tfs.length + 0.5) / (tfs.length + 0.5))
    for (const { id, f } of tfs) out.set(id, (out.get(id) ?? 0) + idf * f * (k1 + 1) / (f + k1 * (1 - b + b * expandedLen(id, false) / avg)))
  }
  return out
}

describe('LexicalIndex', () => {
  it('scores like the reference definition under a scope, after removals and re-adds', () => {
    const rnd = random(4)
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`)
    const make = (i: number): LexicalDoc => {
      const tf = new Map<string, number>()
      const len = 1 + Math.floor(rnd() * 8)
      for (let j = 0; j < len; j++) { const w = words[Math.floor(rnd() * rnd() * words.length)] as string; tf.set(w, (tf.get(w) ?? 0) + 1) }
      return { id: `d${i}`, tf, len, thread: `t${i % 7}`, seq: Math.floor(rnd() * 1000) }
    }
    const index = new LexicalIndex()
    // Enough docs that the shared pool of term ids grows past its first size before the removals.
    let docs = Array.from({ length: 600 }, (_, i) => make(i))
    docs.forEach(d => index.add(d))
    for (const d of docs.filter((_, i) => i % 9 === 0)) index.remove(d.id)
    docs = docs.filter((_, i) => i % 9 !== 0)
    const readded = [make(900), make(901), docs[5] as LexicalDoc]
    readded.forEach(d => index.add(d))
    docs = [...docs.filter(d => d.id !== docs[5]?.id), ...readded]
    for (const w of words) expect(index.df(w)).toBe(docs.filter(d => d.tf.has(w)).length)

    for (const share of [1, 0.6, 0.2]) {
      const allowed = new Set(docs.filter(() => rnd() < share).map(d => d.id))
      for (let q = 0; q < 20; q++) {
        const query = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => words[Math.floor(rnd() * words.length)] as string)
        const got = index.score(query, allowed)
        const want = referenceScores(docs, query, allowed, index)
        expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
        for (const [id, s] of want) expect(got.get(id)).toBeCloseTo(s, 10)
      }
    }
  })

  it('keeps neighbours in thread order, nearest first, and only within the window', () => {
    const index = new LexicalIndex({ window: 2 })
    for (const seq of [3, 0, 2, 1, 4]) index.add({ id: `s${seq}`, tf: new Map([['x', 1]]), len: 1, thread: 't', seq })
    expect(index.neighbours('s2')).toEqual([
      { id: 's2', weight: 1 }, { id: 's1', weight: 0.5 }, { id: 's3', weight: 0.5 }, { id: 's0', weight: 0.25 }, { id: 's4', weight: 0.25 }
    ])
    index.remove('s3')
    expect(index.neighbours('s2').map(n => n.id)).toEqual(['s2', 's1', 's4', 's0'])
    expect(index.neighbours('s3')).toEqual([])
  })
})

describe.sequential('SemanticScorer', () => {
  it('blends each allowed item\'s cosine with its allowed neighbours\' like the definition, and follows removals', async () => {
    await using node = await freshNode()
    const embedder = new UseEmbedder()
    try {
      const vectors = await VectorIndex.open(node.me.vault, embedder)
      const lexical = new LexicalIndex()
      const texts = ['We adopted a puppy.', 'It sleeps all day.', 'Taxes are due.', 'I painted the kitchen.', 'The garden needs rain.',
        'My sister visits in May.', 'We cooked paella.', 'The car broke down.', 'I started running.', 'A new job offer came.']
      const items = texts.map((text, i) => ({ id: `i${i}`, text }))
      items.forEach((it, i) => lexical.add({ id: it.id, tf: new Map([['x', 1]]), len: 1, thread: `t${i % 2}`, seq: i }))
      await vectors.embedMissing(items)
      const scorer = new SemanticScorer(vectors, lexical)
      const [q] = await embedder.embed(['a dog at home'])
      if (q === undefined) throw new Error('no query vector')
      const check = (allowed: Set<string>, share: number): void => {
        const got = scorer.score(q, allowed, share)
        const cos = (id: string): number => dotAt(vectors.get(id) ?? new Float32Array(0), 0, q, q.length)
        for (const { id } of items) {
          const row = vectors.rowOf(id)
          if (row === undefined) continue
          if (!allowed.has(id)) { expect(got[row]).toBeNaN(); continue }
          const nbs = lexical.neighbours(id).filter(n => n.id !== id && allowed.has(n.id) && vectors.has(n.id))
          const w = nbs.reduce((s, n) => s + n.weight, 0)
          const want = w === 0 ? cos(id) : (1 - share) * cos(id) + share * nbs.reduce((s, n) => s + n.weight * cos(n.id), 0) / w
          expect(got[row]).toBeCloseTo(want, 12)
        }
      }
      check(new Set(items.map(i => i.id)), 0.5)
      check(new Set(['i0', 'i2', 'i3', 'i7', 'i8']), 0.5)
      check(new Set(items.map(i => i.id)), 0)
      // Forget two items (one of them moves the last row): the cached tables must follow.
      for (const id of ['i0', 'i4']) { vectors.forgetCached(id); lexical.remove(id) }
      check(new Set(items.map(i => i.id).filter(id => id !== 'i0' && id !== 'i4')), 0.5)
    } finally {
      await embedder.close()
    }
  })
})
