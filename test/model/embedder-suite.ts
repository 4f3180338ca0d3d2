import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Embedder } from '../../src/model/embedder.js'

const TEXTS = ['the cat sat on the mat', 'a rocket flew to mars', 'my sister plays the cello']
/** Far past every model's window (USE: 128 tokens; the GGUF contexts here: a few hundred). */
const LONG = Array.from({ length: 1500 }, (_, i) => `word${i % 50} and`).join(' ')
/** Batched calls may round differently (SIMD sums), never more than this. */
const ROUNDING = 1e-5

function maxDiff (a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (a === undefined || b === undefined || a.length !== b.length) return Number.POSITIVE_INFINITY
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)))
  return max
}

function norm (v: Float32Array | undefined): number {
  let sum = 0
  for (const x of v ?? []) sum += x * x
  return Math.sqrt(sum)
}

/**
 * The contract every Embedder passes (as test/model/llm-suite.ts for Llm backends). `make` returns a
 * fresh embedder; the suite closes it, then `cleanup` (if given) frees what made it.
 */
export function embedderSuite (name: string, make: () => Promise<Embedder>, cleanup?: () => Promise<void>): void {
  describe.sequential(`Embedder: ${name}`, () => {
    let embedder: Embedder
    beforeAll(async () => { embedder = await make() })
    afterAll(async () => {
      await embedder.close()
      await cleanup?.()
    })

    it('names model and dimension in its id', () => {
      expect(embedder.dimension).toBeGreaterThan(0)
      expect(embedder.id).toContain(`/${embedder.dimension}`)
    })

    it('embeds each text, in order, into a unit vector of its dimension; different texts differ', async () => {
      const vectors = await embedder.embed(TEXTS)
      expect(vectors).toHaveLength(TEXTS.length)
      for (const v of vectors) {
        expect(v).toBeInstanceOf(Float32Array)
        expect(v.length).toBe(embedder.dimension)
        expect(norm(v)).toBeCloseTo(1, 4)
      }
      expect(maxDiff(vectors[0], vectors[1])).toBeGreaterThan(0.01)
    })

    it('is deterministic, and a text alone gets the vector it gets in a batch', async () => {
      const [batch, again, alone] = [await embedder.embed(TEXTS), await embedder.embed(TEXTS), await embedder.embed([TEXTS[1] ?? ''])]
      batch.forEach((v, i) => { expect(Array.from(v)).toEqual(Array.from(again[i] ?? [])) })
      expect(maxDiff(batch[1], alone[0])).toBeLessThan(ROUNDING)
    })

    it('takes edge inputs without failing: no texts, empty and blank texts, a text past its window', async () => {
      expect(await embedder.embed([])).toEqual([])
      const [empty, blank] = await embedder.embed(['', '   \n'])
      expect(norm(empty)).toBeCloseTo(1, 4)
      expect(maxDiff(empty, blank)).toBeLessThan(ROUNDING)
      // Past the window a text is embedded from its beginning: more words at the end change nothing.
      const [long, longer] = await embedder.embed([LONG, `${LONG} and then a rocket flew to mars`])
      expect(long?.length).toBe(embedder.dimension)
      expect(norm(long)).toBeCloseTo(1, 4)
      expect(maxDiff(long, longer)).toBeLessThan(ROUNDING)
    })

    it('stops when aborted and stays usable', async () => {
      await expect(embedder.embed(TEXTS, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
      expect(await embedder.embed(['still usable'])).toHaveLength(1)
    })

    it('refuses calls after close with E_CLOSED; closing twice is harmless', async () => {
      await embedder.close()
      await expect(embedder.embed(['after close'])).rejects.toMatchObject({ code: 'E_CLOSED' })
      await embedder.close()
    })
  })
}
