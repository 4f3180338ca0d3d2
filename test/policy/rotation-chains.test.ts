import { describe, expect, it } from 'vitest'
import { Identity, signJson } from '../../src/identity/index.js'
import { SecondMe } from '../../src/node.js'
import { SuccessionBook } from '../../src/identity/succession.js'
import { encodeGrant, signGrant } from '../../src/policy/grant.js'
import { verifyGrant } from '../../src/policy/verify.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'

// A grant received under an old id is still ours after a key rotation: the new key may derive from
// it, and the derived link carries the succession records from the parent's audience to its signer,
// so the issuer accepts the chain without having met the new id. Real keys, real homes.

const scope = { visibility: ['shareable' as const] }
const hour = 3_600_000

describe('grant chains across key rotations', () => {
  it('the rotated holder derives from a grant given to its old id; the issuer follows the carried trail', async () => {
    await using tmp = await tempDir()
    const init = async (name: string): Promise<SecondMe> => await SecondMe.init({ home: `${tmp.path}/${name}`, passphrase: 'pw', displayName: name, kdf: TEST_KDF, memory: { embedder: null } })
    const alice = await init('alice')
    let bob = await init('bob')
    const carol = await Identity.generate()
    try {
      const toBob = await alice.policy.issue({ aud: bob.peerId, actions: ['memory:read'], scope, durationSec: 3600 })
      await bob.policy.importGrant(toBob.compact)
      const oldBob = bob.peerId
      await bob.close()
      await SecondMe.rotateKeys(`${tmp.path}/bob`, 'pw')
      bob = await SecondMe.open({ home: `${tmp.path}/bob`, passphrase: 'pw', memory: { embedder: null } })
      expect(bob.peerId).not.toBe(oldBob)

      const toCarol = await bob.policy.issue({ aud: carol.id, actions: ['memory:read'], scope, durationSec: 600, parent: toBob.token })
      expect(toCarol.token.succ?.map(s => [s.prev, s.next])).toEqual([[oldBob, bob.peerId]])
      // Alice has never seen Bob's new id (no handshake, empty succession book): the token proves it.
      const ok = await alice.policy.verify(toCarol.compact, { peer: carol.id, action: 'memory:read' })
      expect(ok.chain).toEqual([toCarol.id, toBob.id])
      // Without the records the link is refused, and with them nobody but Carol may present it.
      const { succ: _dropped, ...bare } = toCarol.token
      await expect(alice.policy.verify(bare, { peer: carol.id, action: 'memory:read' })).rejects.toMatchObject({ code: 'E_GRANT_AUDIENCE' })
      await expect(alice.policy.verify(toCarol.token, { peer: bob.peerId, action: 'memory:read' })).rejects.toMatchObject({ code: 'E_GRANT_AUDIENCE' })
      // Revoking the root still ends the derived grant.
      await alice.policy.revoke(toBob.id)
      await expect(alice.policy.verify(toCarol.token, { peer: carol.id, action: 'memory:read' })).rejects.toMatchObject({ code: 'E_GRANT_REVOKED' })
    } finally {
      await Promise.all([alice.close(), bob.close()])
    }
  })

  it('a succession learnt from a peer\'s profile also lets its new key derive; forged or unrelated records do not', async () => {
    const alice = await Identity.generate()
    const bobOld = await Identity.generate()
    const bobNew = await bobOld.rotated()
    const carol = await Identity.generate()
    const thief = await Identity.generate()
    const root = await signGrant(alice.privateKey, alice.id, { aud: bobOld.id, actions: ['memory:read'], scope, exp: Date.now() + hour })
    const options = { owner: alice.id, presenter: carol.id, action: 'memory:read' as const }

    // Signed by the new key without records (an older node): refused until Alice learns the trail.
    const { succ: _none, ...plain } = await signGrant(bobNew.privateKey, bobNew.id, { aud: carol.id, actions: ['memory:read'], scope, exp: Date.now() + hour / 2, parent: root, trail: bobNew.successions })
    await expect(verifyGrant(plain, options)).rejects.toMatchObject({ code: 'E_GRANT_AUDIENCE' })
    const book = new SuccessionBook()
    book.learn(bobNew.successions)
    expect((await verifyGrant(encodeGrant(plain), { ...options, succeeds: (l, e) => book.succeeds(l, e) })).chain).toHaveLength(2)

    // The signer must hold a trail from the parent's audience; a stranger cannot derive at all.
    await expect(signGrant(thief.privateKey, thief.id, { aud: carol.id, actions: ['memory:read'], scope, exp: Date.now() + hour / 2, parent: root, trail: bobNew.successions }))
      .rejects.toMatchObject({ code: 'E_GRANT_AUDIENCE' })
    // A forged record (the thief signs in the old key's place) or a genuine trail of someone else is refused.
    const body = { v: 1 as const, prev: bobOld.id, next: thief.id, at: Date.now() }
    const forged = { ...body, sig: await signJson(thief.privateKey, body), nextSig: await signJson(thief.privateKey, body) }
    const stolen = await signGrant(thief.privateKey, thief.id, { aud: carol.id, actions: ['memory:read'], scope, exp: Date.now() + hour / 2, parent: root, trail: [forged] })
    await expect(verifyGrant(stolen, options)).rejects.toMatchObject({ code: 'E_GRANT_AUDIENCE' })
    const other = await thief.rotated()
    const borrowed = { ...stolen, succ: [...bobNew.successions, ...other.successions] }
    await expect(verifyGrant(borrowed, options)).rejects.toMatchObject({ code: 'E_GRANT_AUDIENCE' })
    // A root grant carries no records.
    await expect(verifyGrant({ ...root, succ: bobNew.successions }, { ...options, presenter: bobOld.id })).rejects.toMatchObject({ code: 'E_GRANT_INVALID' })
  })
})
