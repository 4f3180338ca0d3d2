import { describe, expect, it } from 'vitest'
import { RandomPool } from '../../src/util/random-pool.js'

describe('RandomPool', () => {
  it('hands out fresh slices across refills and never changes one already handed out', () => {
    const pool = new RandomPool(64)
    const first = pool.take(12)
    const kept = Buffer.from(first)
    const seen = new Set([kept.toString('hex')])
    for (let i = 0; i < 100; i++) seen.add(pool.take(12).toString('hex'))
    expect(seen.size).toBe(101)
    expect(first.equals(kept)).toBe(true)
  })

  it('refuses a request larger than the pool', () => {
    expect(() => new RandomPool(16).take(17)).toThrow(RangeError)
  })
})
