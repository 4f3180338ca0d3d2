import { describe, expect, it } from 'vitest'
import { fuzzTarget } from './runner.js'
import { makeWorld, targets } from './targets.js'
import { tempDir } from '../helpers/tmp.js'

// The short run (a few hundred cases per target, seconds); `npm run fuzz` runs 100,000 each.
describe('fuzz (short run)', () => {
  it('every decoder and verifier accepts or rejects with a stable code: no crash, no hang', async () => {
    await using dir = await tempDir()
    const all = await targets(await makeWorld(dir.path))
    expect(all.length).toBeGreaterThanOrEqual(14)
    for (const target of all) {
      const r = await fuzzTarget(target, 60, 17)
      expect({ name: r.name, crashes: r.crashes, hangs: r.hangs, failure: r.failure }).toEqual({ name: target.name, crashes: 0, hangs: 0, failure: undefined })
      expect(r.cases).toBe(60)
    }
  })
})
