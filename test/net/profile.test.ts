import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { fromString } from 'uint8arrays'
import { describe, expect, it } from 'vitest'
import { signJson } from '../../src/identity/index.js'
import { encodeProfile, profileKey, profileSelector, profileValidator, signProfile } from '../../src/net/profile.js'
import { topicCid } from '../../src/net/topics.js'

const fields = { displayName: 'Ann', bio: 'sails', topics: ['sailing'], protocols: ['/secondme/memory/1.0.0'], addresses: [] }

describe('DHT profile records', () => {
  it('accept a signed, unexpired profile under its own key', async () => {
    const key = await generateKeyPair('Ed25519')
    const signed = await signProfile(key, fields, 60_000)
    await expect(profileValidator(profileKey(signed.profile.peerId), encodeProfile(signed))).resolves.toBeUndefined()
  })

  it('reject unsigned, forged, expired, mismatched and malformed records with E_BAD_RECORD', async () => {
    const key = await generateKeyPair('Ed25519')
    const other = await generateKeyPair('Ed25519')
    const signed = await signProfile(key, fields, 60_000)
    const id = signed.profile.peerId
    const reject = async (k: Uint8Array, v: Uint8Array): Promise<void> => {
      await expect(profileValidator(k, v)).rejects.toMatchObject({ code: 'E_BAD_RECORD' })
    }
    await reject(profileKey(id), fromString(JSON.stringify({ profile: signed.profile })))
    await reject(profileKey(id), encodeProfile({ ...signed, profile: { ...signed.profile, displayName: 'Eve' } }))
    await reject(profileKey(id), encodeProfile({ profile: signed.profile, signature: await signJson(other, signed.profile) }))
    await reject(profileKey(peerIdFromPrivateKey(other).toString()), encodeProfile(signed))
    await reject(profileKey(id), encodeProfile(await signProfile(key, fields, 60_000, Date.now() - 120_000)))
    await reject(profileKey(id), fromString('not json'))
    await reject(fromString(`/secondme/other/${id}`), encodeProfile(signed))
  })

  it('select the newest valid record, never an invalid one', async () => {
    const key = await generateKeyPair('Ed25519')
    const old = await signProfile(key, fields, 600_000, Date.now() - 10_000)
    const fresh = await signProfile(key, { ...fields, displayName: 'Ann 2' }, 600_000)
    const forged = encodeProfile({ ...fresh, profile: { ...fresh.profile, issuedAt: Date.now() + 1000 } })
    const k = profileKey(fresh.profile.peerId)
    expect(await profileSelector(k, [encodeProfile(old), encodeProfile(fresh)])).toBe(1)
    expect(await profileSelector(k, [encodeProfile(fresh), encodeProfile(old)])).toBe(0)
    expect(await profileSelector(k, [encodeProfile(old), forged])).toBe(0)
  })

  it('map a topic to one CID however it is written', async () => {
    expect((await topicCid('  Rust   Lang ')).toString()).toBe((await topicCid('rust lang')).toString())
    expect((await topicCid('rust')).toString()).not.toBe((await topicCid('rust lang')).toString())
    await expect(topicCid('   ')).rejects.toMatchObject({ code: 'E_BAD_INPUT' })
  })
})
