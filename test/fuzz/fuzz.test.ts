import { describe, expect, it } from 'vitest'
import { fuzzTarget } from './runner.js'
import { checkGrant, checkProfile, makeWorld, targets } from './targets.js'
import { signGrant } from '../../src/policy/grant.js'
import { signProfile } from '../../src/net/profile.js'
import { Identity } from '../../src/identity/index.js'
import { tempDir } from '../helpers/tmp.js'

// The short run (a few hundred cases per target, seconds); `npm run fuzz` runs 100,000 each.
describe('fuzz (short run)', () => {
  it('every decoder and verifier accepts or rejects with a stable code: no crash, no hang', async () => {
    await using dir = await tempDir()
    const all = await targets(await makeWorld(dir.path))
    expect(all.length).toBeGreaterThanOrEqual(14)
    for (const target of all) {
      const r = await fuzzTarget(target, 60, 17)
      expect({ name: r.name, crashes: r.crashes, hangs: r.hangs, falseAccepts: r.falseAccepts, failure: r.failure }).toEqual({ name: target.name, crashes: 0, hangs: 0, falseAccepts: 0, failure: undefined })
      expect(r.cases).toBe(60)
    }
  })

  it('the acceptance checks tell an equivalent encoding from changed signed content', async () => {
    const owner = await Identity.generate()
    const peer = await Identity.generate()
    const scope = { visibility: ['shareable' as const] }
    const grant = await signGrant(owner.privateKey, owner.id, { aud: peer.id, actions: ['memory:read'], scope, exp: Date.now() + 60_000 })
    // Validly signed by the owner, but other content: had a mutation produced it, that is a false accept.
    const other = await signGrant(owner.privateKey, owner.id, { aud: peer.id, actions: ['memory:read', 'converse'], scope, exp: grant.exp })
    const check = checkGrant([grant])
    expect(check({ token: JSON.parse(JSON.stringify(grant)) })).toBeUndefined()
    expect(check({ token: other })).toMatch(/differs/)
    const profile = await signProfile(owner.privateKey, { topics: ['a'], protocols: [], addresses: [] }, 60_000)
    const changed = await signProfile(owner.privateKey, { topics: ['b'], protocols: [], addresses: [] }, 60_000)
    expect(checkProfile(profile)(JSON.parse(JSON.stringify(profile)))).toBeUndefined()
    expect(checkProfile(profile)(changed)).toMatch(/differs/)
  })
})
