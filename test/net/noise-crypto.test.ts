import { defaultCrypto } from '@chainsafe/libp2p-noise/crypto'
import { describe, expect, it } from 'vitest'
import { fastNoiseCrypto } from '../../src/net/noise-crypto.js'

// The simulation's X25519 for noise must agree byte for byte with the library's own.
describe('fastNoiseCrypto', () => {
  it('derives the same shared secrets as the default implementation', () => {
    for (let i = 0; i < 20; i++) {
      const ours = fastNoiseCrypto.generateX25519KeyPair()
      const theirs = defaultCrypto.generateX25519KeyPair()
      const a = fastNoiseCrypto.generateX25519SharedKey(ours.privateKey, theirs.publicKey)
      expect(Buffer.from(a)).toEqual(Buffer.from(defaultCrypto.generateX25519SharedKey(theirs.privateKey, ours.publicKey)))
      expect(Buffer.from(a)).toEqual(Buffer.from(defaultCrypto.generateX25519SharedKey(ours.privateKey, theirs.publicKey)))
      // A private key it did not generate takes the default path, with the same result.
      expect(Buffer.from(fastNoiseCrypto.generateX25519SharedKey(theirs.privateKey, ours.publicKey))).toEqual(Buffer.from(a))
    }
  })

  it('derives the same key pair and secrets from a seed', () => {
    const seed = new Uint8Array(32).map((_, i) => i * 7 + 1)
    const ours = fastNoiseCrypto.generateX25519KeyPairFromSeed(seed)
    expect(Buffer.from(ours.publicKey)).toEqual(Buffer.from(defaultCrypto.generateX25519KeyPairFromSeed(seed).publicKey))
    const peer = defaultCrypto.generateX25519KeyPair()
    expect(Buffer.from(fastNoiseCrypto.generateX25519SharedKey(ours.privateKey, peer.publicKey)))
      .toEqual(Buffer.from(defaultCrypto.generateX25519SharedKey(peer.privateKey, ours.publicKey)))
  })

  it('rejects a low-order public key as the default does', () => {
    const ours = fastNoiseCrypto.generateX25519KeyPair()
    // All-zero point: the shared secret would be zero; OpenSSL refuses it.
    expect(() => fastNoiseCrypto.generateX25519SharedKey(ours.privateKey, new Uint8Array(32))).toThrow()
    expect(() => defaultCrypto.generateX25519SharedKey(ours.privateKey, new Uint8Array(32))).toThrow()
  })
})
