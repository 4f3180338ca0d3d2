import { LRUCache } from 'lru-cache'
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { ICryptoInterface } from '@chainsafe/libp2p-noise'
import { defaultCrypto } from '@chainsafe/libp2p-noise/crypto'
import type { Uint8ArrayList } from 'uint8arraylist'

// Noise's X25519 through Node's OpenSSL, without its slow part. The default implementation wraps
// every raw key in DER and parses it again for each of the three Diffie-Hellmans of a handshake;
// OpenSSL 3's DER decoder costs ~0.8 ms per private key here (the DH itself ~0.06 ms), so a
// connection spent 4-6 ms of CPU on key parsing alone. Same curve, same OpenSSL, same bytes out:
// keys this process generated are kept as key objects (a small LRU: each handshake's ephemeral key
// is used three times, the node's static key on every handshake), and the peer's public key is
// imported from JWK, which skips the DER decoder.

// Reading refreshes a key's place: a node's static key stays while ephemeral keys come and go.
const keyObjects = new LRUCache<string, KeyObject>({ max: 512 })

function remember (raw: Uint8Array, key: KeyObject): void {
  const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64url')
  keyObjects.set(id, key)
}

function privateKeyObject (raw: Uint8Array): KeyObject | undefined {
  const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64url')
  return keyObjects.get(id)
}

function bytes (data: Uint8Array | Uint8ArrayList): Uint8Array {
  return data instanceof Uint8Array ? data : data.subarray()
}

function generateX25519KeyPair (): { publicKey: Uint8Array, privateKey: Uint8Array } {
  const pair = generateKeyPairSync('x25519')
  const jwk = pair.privateKey.export({ format: 'jwk' })
  const privateKey = Buffer.from(jwk.d ?? '', 'base64url')
  remember(privateKey, pair.privateKey)
  return { publicKey: Buffer.from(jwk.x ?? '', 'base64url'), privateKey }
}

function generateX25519SharedKey (privateKey: Uint8Array | Uint8ArrayList, publicKey: Uint8Array | Uint8ArrayList): Uint8Array {
  const priv = bytes(privateKey)
  const own = privateKeyObject(priv)
  // A key this process did not generate (an injected static key): the default, slower path.
  if (own === undefined) return defaultCrypto.generateX25519SharedKey(priv, publicKey)
  const pub = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(bytes(publicKey)).toString('base64url') }, format: 'jwk' })
  return diffieHellman({ privateKey: own, publicKey: pub })
}

function generateX25519KeyPairFromSeed (seed: Uint8Array): { publicKey: Uint8Array, privateKey: Uint8Array } {
  const pair = defaultCrypto.generateX25519KeyPairFromSeed(seed)
  remember(pair.privateKey, createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: Buffer.from(seed).toString('base64url'), x: Buffer.from(pair.publicKey).toString('base64url') }, format: 'jwk' }))
  return pair
}

export const fastNoiseCrypto: ICryptoInterface = {
  ...defaultCrypto,
  generateX25519KeyPair,
  generateX25519KeyPairFromSeed,
  generateX25519SharedKey
}
