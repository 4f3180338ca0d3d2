import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runOp } from '../../src/ops.js'
import { Identity } from '../../src/identity/index.js'
import { SecondMe } from '../../src/node.js'
import { parseGrant } from '../../src/policy/index.js'
import { parseDuration } from '../../src/cli/commands/policy.js'
import { checkedCall } from '../helpers/ops.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

let dir: Awaited<ReturnType<typeof tempDir>>
let me: SecondMe
const alice = await Identity.generate()

beforeAll(async () => {
  dir = await tempDir()
  me = await SecondMe.init({ home: dir.path, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })
})

afterAll(async () => {
  await me.close()
  await dir[Symbol.asyncDispose]()
})

describe('policy ops (what the CLI and the control channel call)', () => {
  it('grant / grants / revoke', async () => {
    const r = await checkedCall(me, 'grant', { peer: alice.id, actions: ['memory:read'], topics: ['Hiking'], durationSec: 120 })
    const token = parseGrant(r.token)
    expect(token.pol).toEqual({ visibility: ['shareable'], topics: ['hiking'] })
    expect(token.exp - token.nbf).toBe(120_000)
    await expect(runOp(me, 'grant', { peer: alice.id, actions: ['steal'] })).rejects.toMatchObject({ code: 'E_BAD_INPUT' })
    await expect(runOp(me, 'revoke', { id: 'zzzzzzzzzz' })).rejects.toMatchObject({ code: 'E_BAD_INPUT' })
    expect(await checkedCall(me, 'revoke', { id: r.id })).toMatchObject({ id: r.id, already: false })
    expect(await runOp(me, 'revoke', { id: r.id })).toMatchObject({ already: true })
    expect(await checkedCall(me, 'grants', {})).toMatchObject({ issued: [{ id: r.id, status: 'revoked' }], received: [] })
  })

  it('consent approve narrows the asked scope; deny; rules add/remove', async () => {
    const pending = await me.policy.requestConsent(alice.id, { actions: ['memory:read', 'converse'], scope: { visibility: ['shareable', 'public'], topics: ['hiking', 'cooking'] }, purpose: 'hi', durationSec: 3600 })
    if (pending.status !== 'pending') throw new Error('expected pending')
    expect(await checkedCall(me, 'consent', { state: 'pending' })).toMatchObject({ requests: [{ id: pending.ticket, peer: alice.id, purpose: 'hi' }] })
    expect(await checkedCall(me, 'consent.approve', { id: pending.ticket, topics: ['hiking'], actions: ['memory:read'] })).toMatchObject({ state: 'approved' })
    const decision = await me.policy.pollConsent(alice.id, pending.ticket)
    if (decision.status !== 'granted') throw new Error('expected granted')
    expect(decision.grant.cmd).toEqual(['memory:read'])
    expect(decision.grant.pol).toEqual({ visibility: ['shareable', 'public'], topics: ['hiking'] })
    await expect(runOp(me, 'consent.deny', { id: pending.ticket })).rejects.toMatchObject({ code: 'E_BAD_INPUT' })
    await expect(runOp(me, 'consent.deny', { id: 'c0000000000000000' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' })

    const rule = await checkedCall(me, 'rules.add', { effect: 'allow', actions: ['introduce'] })
    expect(rule.scope).toEqual({ visibility: ['public'] })
    expect(await checkedCall(me, 'rules', {})).toMatchObject({ rules: [{ id: rule.id }] })
    expect(await checkedCall(me, 'rules.remove', { id: rule.id })).toEqual({ removed: rule.id })
    await expect(runOp(me, 'rules.remove', { id: rule.id })).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
  })

  it('consent.deny / grants.import / grant.bearer', async () => {
    expect((await checkedCall(me, 'grant.bearer', { durationSec: 600 })).token.length).toBeGreaterThan(0)
    const pending = await me.policy.requestConsent(alice.id, { actions: ['converse'], scope: { visibility: ['public'] }, purpose: 'chat', durationSec: 600 })
    if (pending.status !== 'pending') throw new Error('expected pending')
    expect(await checkedCall(me, 'consent.deny', { id: pending.ticket, reason: 'not now' })).toEqual({ id: pending.ticket, state: 'denied', peer: alice.id })
    await using other = await tempDir()
    const them = await SecondMe.init({ home: other.path, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })
    try {
      const given = await them.policy.issue({ aud: me.peerId, actions: ['converse'], scope: { visibility: ['public'] }, durationSec: 600 })
      expect(await checkedCall(me, 'grants.import', { token: given.compact })).toMatchObject({ id: given.id, issuer: them.peerId, actions: ['converse'] })
    } finally {
      await them.close()
    }
  })

  it('audit lists newest entries and verifies the chain', async () => {
    const { entries } = await checkedCall(me, 'audit', { limit: 2 })
    expect(entries).toHaveLength(2)
    expect(entries[1]!.seq).toBe(entries[0]!.seq + 1)
    expect(await checkedCall(me, 'audit.verify', {})).toMatchObject({ ok: true })
  })

  it('parses CLI durations', () => {
    expect([parseDuration('90s'), parseDuration('30m'), parseDuration('1h'), parseDuration('7d'), parseDuration('600')]).toEqual([90, 1800, 3600, 604_800, 600])
    expect(() => parseDuration('soon')).toThrow(expect.objectContaining({ code: 'E_USAGE' }) as Error)
  })
})
