import { describe, expect, it } from 'vitest'
import { Identity, canonicalBytes } from '../../src/identity/index.js'
import { SecondMe } from '../../src/node.js'
import { flatCanonical } from '../../src/policy/audit.js'
import { VerifiedGrantCache } from '../../src/policy/grant-cache.js'
import { grantId, signGrant, verifyGrant, type GrantToken } from '../../src/policy/index.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

// The per-request shortcuts of the policy layer: a chain's signatures are checked once per exact
// token, revoked ids and the audit head are kept in memory. Each must refuse exactly what the full
// check refuses.

const owner = await Identity.generate()
const alice = await Identity.generate()
const bob = await Identity.generate()
const HOUR = 3_600_000
const base = { owner: owner.id, presenter: alice.id, action: 'memory:read' as const }

async function issue (overrides: Partial<Parameters<typeof signGrant>[2]> = {}): Promise<GrantToken> {
  return await signGrant(owner.privateKey, owner.id, { aud: alice.id, actions: ['memory:read'], scope: { visibility: ['shareable'], topics: ['hiking'] }, exp: Date.now() + HOUR, ...overrides })
}

async function code (promise: Promise<unknown>): Promise<string | undefined> {
  return await promise.then(() => undefined, (err: { code?: string }) => err.code)
}

describe('verified-grant cache', () => {
  it('remembers signatures only: audience, time, revocation, action and topics are checked on every call', async () => {
    const cache = new VerifiedGrantCache()
    const token = await issue()
    const revoked = new Set<string>()
    const opts = { ...base, cache, isRevoked: (id: string) => revoked.has(id) }
    expect((await verifyGrant(token, opts)).grantId).toBe(grantId(token))
    expect(cache.size).toBe(1)
    expect(await code(verifyGrant(token, { ...opts, presenter: bob.id }))).toBe('E_GRANT_AUDIENCE')
    expect(await code(verifyGrant(token, { ...opts, now: token.exp }))).toBe('E_GRANT_EXPIRED')
    expect(await code(verifyGrant(token, { ...opts, now: token.nbf - HOUR }))).toBe('E_GRANT_NOT_YET_VALID')
    expect(await code(verifyGrant(token, { ...opts, action: 'converse' }))).toBe('E_GRANT_SCOPE')
    expect(await code(verifyGrant(token, { ...opts, topics: ['finance'] }))).toBe('E_GRANT_SCOPE')
    expect(await code(verifyGrant(token, { ...opts, owner: bob.id }))).toBe('E_GRANT_INVALID')
    revoked.add(grantId(token))
    expect(await code(verifyGrant(token, opts))).toBe('E_GRANT_REVOKED')
  })

  it('never lets a changed token ride on a cached one, nor a failed one in', async () => {
    const cache = new VerifiedGrantCache()
    const token = await issue()
    await verifyGrant(token, { ...base, cache })
    // same signature, different content: a different key, so the signature is checked and fails
    expect(await code(verifyGrant({ ...token, exp: token.exp + HOUR }, { ...base, cache }))).toBe('E_GRANT_SIGNATURE')
    expect(await code(verifyGrant({ ...token, pol: { visibility: ['shareable', 'private'] } }, { ...base, cache }))).toBe('E_GRANT_SIGNATURE')
    expect(cache.size).toBe(1)
    // a well-signed chain that this node did not issue is refused and not remembered
    const foreign = await signGrant(bob.privateKey, bob.id, { aud: alice.id, actions: ['memory:read'], scope: { visibility: ['shareable'] }, exp: Date.now() + HOUR })
    expect(await code(verifyGrant(foreign, { ...base, cache }))).toBe('E_GRANT_INVALID')
    expect(cache.size).toBe(1)
    // what a caller does to the token it got back does not change what is cached
    const verified = await verifyGrant(token, { ...base, cache })
    verified.token.exp = 0
    verified.chain.push('forged')
    expect(await verifyGrant(token, { ...base, cache })).toMatchObject({ chain: [grantId(token)] })
  })

  it('checks a derived chain once, and still refuses it when its parent is revoked', async () => {
    const cache = new VerifiedGrantCache()
    const parent = await issue({ aud: alice.id })
    const child = await signGrant(alice.privateKey, alice.id, { aud: bob.id, actions: ['memory:read'], scope: { visibility: ['shareable'], topics: ['hiking'] }, exp: parent.exp, parent })
    const revoked = new Set<string>()
    const opts = { ...base, presenter: bob.id, cache, isRevoked: (id: string) => revoked.has(id) }
    expect((await verifyGrant(child, opts)).chain).toEqual([grantId(child), grantId(parent)])
    revoked.add(grantId(parent))
    expect(await code(verifyGrant(child, opts))).toBe('E_GRANT_REVOKED')
  })

  it('stays bounded, dropping the least recently used', () => {
    const cache = new VerifiedGrantCache(2)
    const chain = { links: [], ids: [] }
    cache.set('a', chain)
    cache.set('b', chain)
    expect(cache.get('a')).toBeDefined()
    cache.set('c', chain)
    expect([cache.get('a') !== undefined, cache.get('b') !== undefined, cache.get('c') !== undefined]).toEqual([true, false, true])
  })
})

describe('revocations and the audit head, kept in memory', () => {
  it('refuses a grant revoked after it was used, and after the node reopens', async () => {
    await using dir = await tempDir()
    const open = async (): Promise<SecondMe> => await SecondMe.open({ home: dir.path, passphrase: 'pw', memory: { embedder: null } })
    let me = await SecondMe.init({ home: dir.path, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })
    const issued = await me.policy.issue({ aud: alice.id, actions: ['memory:read'], scope: { visibility: ['shareable'] }, durationSec: 3600 })
    const other = await me.policy.issue({ aud: alice.id, actions: ['memory:read'], scope: { visibility: ['shareable'] }, durationSec: 3600 })
    const check = async (token: unknown): Promise<string | undefined> => await code(me.policy.verify(token, { peer: alice.id, action: 'memory:read' }))
    expect(await check(issued.token)).toBeUndefined()
    await me.policy.revoke(issued.id)
    expect(await check(issued.token)).toBe('E_GRANT_REVOKED')
    expect(await check(other.token)).toBeUndefined()
    await me.policy.appendAudit({ kind: 'disclose', decision: 'allow', peer: alice.id, grantId: other.id, items: ['m1'] })
    await me.close()

    me = await open()
    try {
      expect(await check(issued.token)).toBe('E_GRANT_REVOKED')
      expect(await check(other.token)).toBeUndefined()
      // appends after a reopen continue the chain the last session left
      await me.policy.appendAudit({ kind: 'disclose', decision: 'allow', peer: alice.id, grantId: other.id, items: ['m2'] })
      expect(await me.policy.audit.verify()).toEqual({ ok: true, entries: 5 })
    } finally {
      await me.close()
    }
  })
})

describe('audit entry canonical form', () => {
  it('is byte for byte the general canonical JSON for flat entries, and declines anything else', () => {
    const entries: Array<Record<string, unknown>> = [
      { kind: 'disclose', peer: alice.id, decision: 'allow', items: ['a', 'b"c', 'é\u2028\u0000'], seq: 12, time: 1_700_000_000_123, prevHash: '0'.repeat(64) },
      { z: 1, a: 'x', é: 'y', B: true, m: null, n: -0, f: 1.5e-7, big: 1e21, skipped: undefined, list: [] },
      { '\ud83d\ude00': 'emoji key', 'é': 1, e: 2, E: 3, _: 4 }
    ]
    for (const entry of entries) expect(flatCanonical(entry)).toBe(new TextDecoder().decode(canonicalBytes(entry)))
    expect(flatCanonical({ nested: { a: 1 } })).toBeUndefined()
    expect(flatCanonical({ list: [{ a: 1 }] })).toBeUndefined()
    expect(flatCanonical({ n: Number.NaN })).toBeUndefined()
  })
})
