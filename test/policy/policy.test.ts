import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SecondMe } from '../../src/node.js'
import { Identity, canonicalBytes } from '../../src/identity/index.js'
import { AUDIT_STORE, encodeGrant, type ConsentDecision } from '../../src/policy/index.js'
import { netPortsOf } from '../../src/net/policy-ports.js'
import { audited } from '../../src/net/protocols/audited.js'
import { ReplayGuard } from '../../src/net/wire/replay.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

let dir: Awaited<ReturnType<typeof tempDir>>
let me: SecondMe
const alice = await Identity.generate()
const bob = await Identity.generate()

beforeEach(async () => {
  dir = await tempDir()
  me = await SecondMe.init({ home: dir.path, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })
})

afterEach(async () => {
  await me.close()
  await dir[Symbol.asyncDispose]()
})

const stamp = (nonce: string): { nonce: string, created: number, expires: number } => ({ nonce, created: Date.now(), expires: Date.now() + 30_000 })

function granted (d: ConsentDecision): Record<string, unknown> {
  if (d.status !== 'granted') throw new Error(`expected granted, got ${d.status}`)
  return d.grant
}

describe('me.policy grants', () => {
  it('checks a peer request on the one network path: stamp once, grant verified, every grant decision audited', async () => {
    const issued = await me.policy.issue({ aud: alice.id, actions: ['memory:read'], scope: { visibility: ['shareable'], topics: ['hiking'] }, durationSec: 3600 })
    const ports = netPortsOf(me.policy)
    const guard = new ReplayGuard()
    // What src/net/wire/server.ts (stamp) and a protocol handler (audited grant check) do per request.
    const request = async (peer: string, nonce: string, token: unknown, expires = Date.now() + 30_000): Promise<unknown> => {
      guard.check(peer, { ...stamp(nonce), expires })
      return await audited(ports.audit, { peer, protocol: '/secondme/memory/1.0.0', action: 'memory:read' }, async () => {
        const scope = await ports.grants.check(token as Record<string, unknown>, { peer, action: 'memory:read' })
        return { result: scope, disclosed: ['mem-1', 'mem-2'] }
      })
    }
    expect(await request(alice.id, 'n-000001', issued.token)).toEqual({ visibility: ['shareable'], topics: ['hiking'] })
    await expect(request(alice.id, 'n-000001', issued.token)).rejects.toMatchObject({ code: 'E_GRANT_REPLAY' })
    await expect(request(alice.id, 'n-000002', issued.token, Date.now() - 1)).rejects.toMatchObject({ code: 'E_TIMEOUT' })
    await expect(request(bob.id, 'n-000003', issued.token)).rejects.toMatchObject({ code: 'E_GRANT_AUDIENCE' })
    const revoked = await me.policy.revoke(issued.id.slice(0, 10))
    expect(revoked.id).toBe(issued.id)
    await expect(request(alice.id, 'n-000004', issued.token)).rejects.toMatchObject({ code: 'E_GRANT_REVOKED' })
    await me.policy.audit.flush()

    const { issued: list } = await me.policy.book.list()
    expect(list).toMatchObject([{ id: issued.id, peer: alice.id, status: 'revoked', topics: ['hiking'] }])
    const entries = await me.policy.audit.list(100)
    // Stamp refusals come before any grant and disclose nothing: they are not audited.
    expect(entries.map(e => [e.kind, e.decision, e.code ?? ''])).toEqual([
      ['grant', 'allow', ''], ['disclose', 'allow', ''], ['refuse', 'refuse', 'E_GRANT_AUDIENCE'],
      ['revoke', 'info', ''], ['refuse', 'refuse', 'E_GRANT_REVOKED']
    ])
    expect(entries[1]?.items).toEqual(['mem-1', 'mem-2'])
    expect(await me.policy.audit.verify()).toEqual({ ok: true, entries: 5 })
  })

  it('imports a grant another node gave us and finds it for that peer', async () => {
    const other = await tempDir()
    const them = await SecondMe.init({ home: other.path, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })
    try {
      const given = await them.policy.issue({ aud: me.peerId, actions: ['converse'], scope: { visibility: ['public'] }, durationSec: 600 })
      const toSomeoneElse = await them.policy.issue({ aud: alice.id, actions: ['converse'], scope: { visibility: ['public'] }, durationSec: 600 })
      await expect(me.policy.importGrant(toSomeoneElse.compact)).rejects.toMatchObject({ code: 'E_GRANT_AUDIENCE' })
      await expect(me.policy.importGrant(encodeGrant({ ...given.token, exp: given.token.exp + 1 }))).rejects.toMatchObject({ code: 'E_GRANT_SIGNATURE' })
      expect(await me.policy.receivedGrantFor(them.peerId, 'converse')).toBeUndefined()
      await me.policy.importGrant(given.compact)
      expect(await me.policy.receivedGrantFor(them.peerId, 'converse')).toEqual(given.token)
      expect(await me.policy.receivedGrantFor(them.peerId, 'memory:read')).toBeUndefined()
      // And the issuer accepts it back from us.
      expect((await them.policy.verify(await me.policy.receivedGrantFor(them.peerId, 'converse'), { peer: me.peerId, action: 'converse' })).grantId).toBe(given.id)
    } finally {
      await them.close()
      await other[Symbol.asyncDispose]()
    }
  })
})

describe('consent queue and standing rules', () => {
  const ask = { actions: ['memory:read' as const], scope: { visibility: ['shareable' as const], topics: ['hiking'] }, purpose: 'plan a trip', durationSec: 3600 }

  it('queues an ask, keeps it pending while polled, and grants on approval', async () => {
    const first = await me.policy.requestConsent(alice.id, ask, { displayName: 'Alice' })
    expect(first.status).toBe('pending')
    const ticket = first.status === 'pending' ? first.ticket : ''
    expect(await me.policy.requestConsent(alice.id, ask)).toEqual(first)
    expect(await me.policy.pollConsent(alice.id, ticket)).toEqual({ status: 'pending', ticket })
    await expect(me.policy.pollConsent(bob.id, ticket)).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
    expect(await me.policy.consent.list('pending')).toHaveLength(1)

    await me.policy.approve(ticket, { scope: { visibility: ['shareable'], topics: ['hiking'] }, durationSec: 600 })
    const grant = granted(await me.policy.pollConsent(alice.id, ticket))
    const { scope } = await me.policy.verify(grant, { peer: alice.id, action: 'memory:read' })
    expect(scope).toEqual({ visibility: ['shareable'], topics: ['hiking'] })
    await expect(me.policy.approve(ticket)).rejects.toMatchObject({ code: 'E_BAD_INPUT' })
  })

  it('keeps a storage failure\'s own code when a peer polls (not "no such request")', async () => {
    const first = await me.policy.requestConsent(alice.id, ask)
    const ticket = first.status === 'pending' ? first.ticket : ''
    await me.close()
    await expect(me.policy.pollConsent(alice.id, ticket)).rejects.toMatchObject({ code: 'E_CLOSED' })
  })

  it('denies, and counters with a narrower offer the asker accepts', async () => {
    const a = await me.policy.requestConsent(alice.id, ask)
    const b = await me.policy.requestConsent(bob.id, ask)
    if (a.status !== 'pending' || b.status !== 'pending') throw new Error('expected pending')
    await me.policy.deny(a.ticket, 'not now')
    expect(await me.policy.pollConsent(alice.id, a.ticket)).toEqual({ status: 'refused', code: 'E_DENIED', reason: 'not now' })
    await me.policy.approve(b.ticket, { scope: { visibility: ['public'], topics: ['hiking'] }, counter: true })
    const counter = await me.policy.pollConsent(bob.id, b.ticket)
    expect(counter).toMatchObject({ status: 'counter', offerId: b.ticket, offer: { scope: { visibility: ['public'] } } })
    const grant = granted(await me.policy.acceptOffer(bob.id, b.ticket))
    expect((await me.policy.verify(grant, { peer: bob.id, action: 'memory:read' })).scope.visibility).toEqual(['public'])
  })

  it('answers by standing rule: allow within the rule, deny wins, anything else is queued', async () => {
    await me.policy.rules.add({ effect: 'allow', actions: ['introduce', 'converse'], scope: { visibility: ['public'] }, maxDurationSec: 600 })
    const pub = { actions: ['introduce' as const], scope: { visibility: ['public' as const] }, purpose: 'hello', durationSec: 86_400 }
    const grant = granted(await me.policy.requestConsent(alice.id, pub))
    const verified = await me.policy.verify(grant, { peer: alice.id, action: 'introduce' })
    expect(verified.token.exp - verified.token.nbf).toBe(600_000)
    // Wider than the rule (shareable) → queued, not granted.
    expect((await me.policy.requestConsent(alice.id, { ...pub, scope: { visibility: ['shareable'] } })).status).toBe('pending')
    const deny = await me.policy.rules.add({ effect: 'deny', actions: ['introduce'], peers: [bob.id] })
    expect(await me.policy.requestConsent(bob.id, pub)).toMatchObject({ status: 'refused', code: 'E_DENIED' })
    expect((await me.policy.requestConsent(alice.id, pub)).status).toBe('granted')
    await me.policy.rules.remove(deny.id)
    expect((await me.policy.requestConsent(bob.id, pub)).status).toBe('granted')
    expect(await me.policy.rules.list()).toHaveLength(1)
  })

  it('serves the net ports: checker, consent gate and audit sink', async () => {
    const ports = netPortsOf(me.policy)
    const decision = await ports.consent.ask(alice.id, ask, {})
    expect(decision.status).toBe('pending')
    const issued = await me.policy.issue({ aud: alice.id, actions: ['converse'], scope: { visibility: ['public'] }, durationSec: 60 })
    expect(await ports.grants.check(issued.token, { peer: alice.id, action: 'converse' })).toEqual({ visibility: ['public'] })
    await expect(ports.grants.check(issued.token, { peer: alice.id, action: 'memory:read' })).rejects.toMatchObject({ code: 'E_GRANT_SCOPE' })
    await ports.audit.append({ kind: 'disclose', peer: alice.id, protocol: '/secondme/memory/1.0.0', action: 'memory:read', items: ['m1'] })
    const last = (await me.policy.audit.list(1))[0]
    expect(last).toMatchObject({ kind: 'disclose', decision: 'allow', items: ['m1'], peer: alice.id })
  })
})

describe('audit log', () => {
  async function fill (n: number): Promise<void> {
    for (let i = 0; i < n; i++) await me.policy.appendAudit({ kind: 'disclose', decision: 'allow', peer: alice.id, items: [`item-${i}`] })
  }
  const raw = (): ReturnType<SecondMe['vault']['store']> => me.vault.store<unknown>(AUDIT_STORE)
  const key = (seq: number): string => seq.toString().padStart(16, '0')

  it('keeps its chain under concurrent appends', async () => {
    await Promise.all(Array.from({ length: 20 }, async (_, i) => { await me.policy.appendAudit({ kind: 'disclose', decision: 'allow', peer: bob.id, items: [`c-${i}`] }) }))
    expect(await me.policy.audit.verify()).toEqual({ ok: true, entries: 20 })
  })

  it('detects an edited entry', async () => {
    await fill(5)
    const entry = await raw().get(key(2)) as Record<string, unknown>
    await raw().put(key(2), { ...entry, items: ['something-else'] })
    expect(await me.policy.audit.verify()).toMatchObject({ ok: false, brokenAt: 2, reason: 'entry was modified' })
    await expect(me.policy.audit.assertIntact()).rejects.toMatchObject({ code: 'E_AUDIT_TAMPERED' })
  })

  it('detects a deleted entry, a reordering and a truncated tail', async () => {
    await fill(5)
    const e1 = await raw().get(key(1))
    const e3 = await raw().get(key(3))
    await raw().del(key(1))
    expect(await me.policy.audit.verify()).toMatchObject({ ok: false, brokenAt: 1 })
    await raw().put(key(1), e3)
    await raw().put(key(3), e1)
    expect(await me.policy.audit.verify()).toMatchObject({ ok: false, brokenAt: 1 })
    await raw().put(key(1), e1)
    await raw().put(key(3), e3)
    expect(await me.policy.audit.verify()).toEqual({ ok: true, entries: 5 })
    await raw().del(key(4))
    expect(await me.policy.audit.verify()).toMatchObject({ ok: false, reason: expect.stringContaining('truncated') as string })
  })

  it('detects an edit even when the forger recomputes that entry\'s hash', async () => {
    await fill(4)
    const { hash: _old, ...body } = await raw().get(key(1)) as Record<string, unknown>
    const forged = { ...body, items: ['forged'] }
    await raw().put(key(1), { ...forged, hash: createHash('sha256').update(canonicalBytes(forged)).digest('hex') })
    expect(await me.policy.audit.verify()).toMatchObject({ ok: false, brokenAt: 2, reason: 'entry does not link to the previous one' })
  })

  it('refuses free text longer than a short detail (ids and codes only)', async () => {
    await expect(me.policy.appendAudit({ kind: 'disclose', decision: 'allow', items: ['x'], detail: 'y'.repeat(500) })).rejects.toThrow()
    expect(await me.policy.audit.verify()).toEqual({ ok: true, entries: 0 })
  })
})
