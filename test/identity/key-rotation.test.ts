import { readFile } from 'node:fs/promises'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { runOp } from '../../src/api/index.js'
import { SecondMe } from '../../src/node.js'
import { signJson } from '../../src/identity/index.js'
import { signProfile, verifyProfile } from '../../src/net/profile.js'
import { runCli } from '../helpers/cli.js'
import { checkedCall } from '../helpers/ops.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'

// `keys rotate` on real Second Mes over real libp2p (memory transport): the rotated node gets a new
// peer id, grants it issued under the old id stay valid, a grant it received under the old id is
// accepted by the issuer once the issuer sees the succession trail, and nobody else can use it.

let run = 0
const listen = (name: string): string[] => [`/memory/rot-${process.pid}-${++run}-${name}`]

async function started (home: string, bootstrap: string[] = []): Promise<SecondMe> {
  const me = await SecondMe.open({ home, passphrase: 'pw', memory: { embedder: null } })
  await me.start({ transport: 'memory', listen: listen('n'), bootstrap, simulation: true })
  return me
}

describe('key rotation', () => {
  it('rotates the identity; old grants both ways keep working over the network; a stranger still cannot use them', async () => {
    await using tmp = await tempDir()
    const homes = { alice: `${tmp.path}/alice`, bob: `${tmp.path}/bob`, carol: `${tmp.path}/carol` }
    for (const [name, home] of Object.entries(homes)) await (await SecondMe.init({ home, passphrase: 'pw', displayName: name, kdf: TEST_KDF, memory: { embedder: null } })).close()
    const alice = await started(homes.alice)
    const boot = [alice.net!.multiaddrs()[0]!]
    let bob = await started(homes.bob, boot)
    const carol = await started(homes.carol, boot)
    try {
      const sail = await alice.memory.addText('I sail on Lake Geneva every weekend', { visibility: 'shareable' })
      const toms = await bob.memory.addText('I grow tomatoes on the balcony', { visibility: 'shareable' })
      const scope = { visibility: ['shareable' as const] }
      const toBob = await alice.policy.issue({ aud: bob.peerId, actions: ['memory:read'], scope, durationSec: 3600 })
      await bob.policy.importGrant(toBob.compact)
      const toAlice = await bob.policy.issue({ aud: alice.peerId, actions: ['memory:read'], scope, durationSec: 3600 })
      await alice.policy.importGrant(toAlice.compact)
      const revoked = await bob.policy.issue({ aud: alice.peerId, actions: ['converse'], scope, durationSec: 3600 })
      await bob.policy.revoke(revoked.id)

      // A running node holds the vault: rotation is refused, nothing changes.
      const keyring = await readFile(`${homes.bob}/keys/keyring.json`, 'utf8')
      await expect(SecondMe.rotateKeys(homes.bob, 'pw')).rejects.toMatchObject({ code: 'E_HOME_LOCKED' })
      await bob.close()
      await expect(SecondMe.rotateKeys(homes.bob, 'wrong passphrase')).rejects.toMatchObject({ code: 'E_BAD_PASSPHRASE' })
      expect(await readFile(`${homes.bob}/keys/keyring.json`, 'utf8')).toBe(keyring)

      const oldBob = toBob.token.aud
      const res = await runCli(['--home', homes.bob, '--json', 'keys', 'rotate'], { SECONDME_PASSPHRASE: 'pw' })
      expect(res.stderr).toBe('')
      expect(res.code).toBe(0)
      const rotated = JSON.parse(res.stdout) as { previous: string, peerId: string, rotations: number }
      expect(rotated.previous).toBe(oldBob)
      expect(rotated.peerId).not.toBe(oldBob)
      expect(rotated.rotations).toBe(1)

      bob = await started(homes.bob, boot)
      expect(bob.peerId).toBe(rotated.peerId)
      const own = await bob.net!.ownProfile()
      expect(own.profile.succession?.map(s => [s.prev, s.next])).toEqual([[oldBob, bob.peerId]])
      expect((await bob.policy.audit.verify()).ok).toBe(true)
      expect((await bob.policy.audit.list(5)).some(e => e.kind === 'keys')).toBe(true)

      // Bob (new id) uses the grant Alice gave his old id: he shows his trail first, Alice follows it.
      const got = await checkedCall(bob, 'query', { peer: alice.peerId, text: 'where do you sail' })
      expect(got.items.map(i => i.id)).toEqual([sail.id])
      // Alice uses the grant Bob issued under his old key, now addressed to his new id.
      const back = await checkedCall(alice, 'query', { peer: bob.peerId, text: 'what do you grow' })
      expect(back.items.map(i => i.id)).toEqual([toms.id])
      // A revoked grant stays revoked across the rotation.
      await expect(runOp(alice, 'converse', { peer: bob.peerId, message: 'hello', grant: revoked.token })).rejects.toMatchObject({ code: 'E_GRANT_REVOKED' })
      // Carol, who proved no succession from the old id, cannot present Bob's grant.
      await expect(runOp(carol, 'query', { peer: alice.peerId, text: 'sail', grant: toBob.token })).rejects.toMatchObject({ code: 'E_GRANT_AUDIENCE' })
    } finally {
      await Promise.all([alice.close(), bob.close(), carol.close()])
    }
  })

  it('refuses a profile whose succession record is not signed by the old key', async () => {
    const victim = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const thief = await generateKeyPair('Ed25519')
    const next = peerIdFromPrivateKey(thief).toString()
    const body = { v: 1 as const, prev: victim, next, at: Date.now() }
    // Signed by the thief's key in both places: the old key's signature is missing.
    const forged = { ...body, sig: await signJson(thief, body), nextSig: await signJson(thief, body) }
    const profile = await signProfile(thief, { topics: [], protocols: [], addresses: [], succession: [forged] }, 60_000)
    await expect(verifyProfile(profile, next)).rejects.toMatchObject({ code: 'E_BAD_RECORD' })
  })
})
