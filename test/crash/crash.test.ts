import { describe, expect, it } from 'vitest'
import { crashRound, KINDS, makeCrashHome } from './harness.js'
import { tempDir } from '../helpers/tmp.js'

// The short run of `npm run crash`: one kill -9 per kind of write, on one home.
describe('crash harness (short run)', () => {
  it('after kill -9 during each kind of write: doctor clean, nothing acknowledged lost, audit intact', async () => {
    await using dir = await tempDir()
    const home = await makeCrashHome(dir.path)
    for (const [i, kind] of KINDS.entries()) {
      const r = await crashRound(home, i + 1, kind, 300 + 150 * i)
      expect({ kind, lost: r.lost, clean: r.clean, problems: r.problems, auditOk: r.auditOk }).toEqual({ kind, lost: [], clean: true, problems: [], auditOk: true })
    }
    // The harness only means something if writes were acknowledged before the kills.
    expect(home.acks.length).toBeGreaterThan(KINDS.length)
  }, 180_000)
})
