import { describe, expect, it } from 'vitest'
import { Identity } from '../../src/identity/index.js'
import { encodeGrant, grantId, parseGrant, signGrant, verifyGrant, type GrantToken } from '../../src/policy/index.js'
import type { ErrorCode } from '../../src/errors.js'

const owner = await Identity.generate()
const alice = await Identity.generate()
const bob = await Identity.generate()
const HOUR = 3_600_000

async function issue (overrides: Partial<Parameters<typeof signGrant>[2]> = {}): Promise<GrantToken> {
  return await signGrant(owner.privateKey, owner.id, {
    aud: alice.id, actions: ['memory:read', 'converse'], scope: { visibility: ['shareable', 'public'], topics: ['Hiking', 'cooking'] }, exp: Date.now() + HOUR, ...overrides
  })
}

async function refusal (promise: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await promise
    return undefined
  } catch (err) {
    return (err as { code?: ErrorCode }).code
  }
}

const base = { owner: owner.id, presenter: alice.id, action: 'memory:read' as const }

describe('grant tokens', () => {
  it('round-trips through the compact form and verifies to its scope', async () => {
    const token = await issue({ purpose: 'trip planning' })
    const compact = encodeGrant(token)
    expect(compact.startsWith('smg1.')).toBe(true)
    expect(parseGrant(compact)).toEqual(token)
    const verified = await verifyGrant(compact, base)
    expect(verified.grantId).toBe(grantId(token))
    expect(verified.grantId).toMatch(/^[0-9a-f]{32}$/)
    expect(verified.scope).toEqual({ visibility: ['shareable', 'public'], topics: ['cooking', 'hiking'] })
    const narrowed = await verifyGrant(token, { ...base, topics: ['HIKING'] })
    expect(narrowed.scope).toEqual({ visibility: ['shareable', 'public'], topics: ['hiking'] })
  })

  it('refuses forged, tampered, misaddressed and out-of-window grants with their codes', async () => {
    const token = await issue()
    const forged = { ...token, sig: (await signGrant(bob.privateKey, bob.id, { aud: alice.id, actions: ['converse'], scope: { visibility: ['public'] }, exp: Date.now() + HOUR })).sig }
    expect(await refusal(verifyGrant(forged, base))).toBe('E_GRANT_SIGNATURE')
    const tampered = { ...token, pol: { visibility: ['private', 'shareable', 'public'] } }
    expect(await refusal(verifyGrant(tampered, base))).toBe('E_GRANT_SIGNATURE')
    expect(await refusal(verifyGrant({ ...token, exp: token.exp + HOUR }, base))).toBe('E_GRANT_SIGNATURE')
    expect(await refusal(verifyGrant(token, { ...base, presenter: bob.id }))).toBe('E_GRANT_AUDIENCE')
    expect(await refusal(verifyGrant(token, { ...base, now: token.exp }))).toBe('E_GRANT_EXPIRED')
    const later = await issue({ nbf: Date.now() + HOUR, exp: Date.now() + 2 * HOUR })
    expect(await refusal(verifyGrant(later, base))).toBe('E_GRANT_NOT_YET_VALID')
    expect(await refusal(verifyGrant(token, { ...base, isRevoked: id => id === grantId(token) }))).toBe('E_GRANT_REVOKED')
    expect(await refusal(verifyGrant(token, { ...base, action: 'introduce' }))).toBe('E_GRANT_SCOPE')
    expect(await refusal(verifyGrant(token, { ...base, topics: ['finance'] }))).toBe('E_GRANT_SCOPE')
  })

  it('refuses a grant issued by another node and malformed tokens', async () => {
    const foreign = await signGrant(bob.privateKey, bob.id, { aud: alice.id, actions: ['converse'], scope: { visibility: ['public'] }, exp: Date.now() + HOUR })
    expect(await refusal(verifyGrant(foreign, base))).toBe('E_GRANT_INVALID')
    expect(await refusal(verifyGrant('smg1.!!!', base))).toBe('E_GRANT_INVALID')
    expect(await refusal(verifyGrant({ hello: 'world' }, base))).toBe('E_GRANT_INVALID')
    expect(await refusal(verifyGrant('x'.repeat(100_000), base))).toBe('E_GRANT_INVALID')
    const token = await issue()
    let deep: Record<string, unknown> = token
    for (let i = 0; i < 5000; i++) deep = { ...token, prf: grantId(token), parent: deep }
    expect(await refusal(verifyGrant(deep, base))).toBe('E_GRANT_INVALID')
    // A parent smuggled in without a proof naming it is refused too.
    expect(await refusal(verifyGrant({ ...token, parent: token }, base))).toBe('E_GRANT_INVALID')
  })

  it('accepts a derivation that narrows and refuses one that widens', async () => {
    const parent = await issue()
    const child = await signGrant(alice.privateKey, alice.id, { aud: bob.id, actions: ['memory:read'], scope: { visibility: ['public'], topics: ['hiking'] }, exp: parent.exp - 1000, parent })
    const verified = await verifyGrant(child, { ...base, presenter: bob.id })
    expect(verified.chain).toEqual([grantId(child), grantId(parent)])
    expect(verified.scope).toEqual({ visibility: ['public'], topics: ['hiking'] })
    // Revoking the parent revokes what was derived from it.
    expect(await refusal(verifyGrant(child, { ...base, presenter: bob.id, isRevoked: id => id === grantId(parent) }))).toBe('E_GRANT_REVOKED')

    const widen = async (request: Partial<Parameters<typeof signGrant>[2]>): Promise<ErrorCode | undefined> =>
      await refusal(signGrant(alice.privateKey, alice.id, { aud: bob.id, actions: ['memory:read'], scope: { visibility: ['public'], topics: ['hiking'] }, exp: parent.exp, parent, ...request }))
    expect(await widen({ actions: ['memory:read', 'introduce'] })).toBe('E_GRANT_WIDENS')
    expect(await widen({ scope: { visibility: ['private'], topics: ['hiking'] } })).toBe('E_GRANT_WIDENS')
    expect(await widen({ scope: { visibility: ['public'], topics: ['hiking', 'finance'] } })).toBe('E_GRANT_WIDENS')
    expect(await widen({ scope: { visibility: ['public'] } })).toBe('E_GRANT_WIDENS')
    expect(await widen({ exp: parent.exp + 1 })).toBe('E_GRANT_WIDENS')
    expect(await widen({ nbf: parent.nbf - 1 })).toBe('E_GRANT_WIDENS')

    // A widening child signed by hand (bypassing signGrant's check) is still refused by the verifier.
    const { sig: _s, parent: _p, ...payload } = child
    const wide = { ...payload, cmd: ['memory:read', 'converse', 'introduce'] as GrantToken['cmd'] }
    const handSigned = { ...wide, sig: await alice.sign(wide), parent }
    expect(await refusal(verifyGrant(handSigned, { ...base, presenter: bob.id }))).toBe('E_GRANT_WIDENS')
    // Only the parent's audience may derive.
    expect(await refusal(signGrant(bob.privateKey, bob.id, { aud: alice.id, actions: ['memory:read'], scope: { visibility: ['public'] }, exp: parent.exp, parent }))).toBe('E_GRANT_AUDIENCE')
  })
})
