import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto'
import { StorageError } from '../errors.js'
import { RandomPool } from '../util/random-pool.js'

// Value envelope: [format 1][iv 12][tag 16][ciphertext]. AES-256-GCM with a fresh random IV per
// write; the record's full key (store name + key) is the associated data, so a ciphertext moved
// to another key fails to decrypt instead of being read as that record.

const FORMAT = 1
const IV_BYTES = 12
const TAG_BYTES = 16
const HEADER = 1 + IV_BYTES + TAG_BYTES
const POOL_IVS = 4096

/**
 * AES-256-GCM for vault values. Holds the key as a KeyObject and draws IVs from a pool of
 * CSPRNG bytes (each IV used once): a randomBytes() call per value costs as much as the
 * encryption itself. The IVs stay random, so uniqueness does not depend on any counter state.
 */
export class ValueCipher {
  readonly #key: KeyObject
  readonly #ivs = new RandomPool(IV_BYTES * POOL_IVS)

  constructor (dataKey: Buffer) {
    if (dataKey.length !== 32) throw new StorageError('E_CORRUPT', 'the vault data key must be 32 bytes')
    this.#key = createSecretKey(dataKey)
  }

  encrypt (aad: string, plaintext: Uint8Array): Uint8Array {
    const out = Buffer.allocUnsafe(HEADER + plaintext.length)
    out[0] = FORMAT
    this.#ivs.take(IV_BYTES).copy(out, 1)
    const cipher = createCipheriv('aes-256-gcm', this.#key, out.subarray(1, 1 + IV_BYTES))
    cipher.setAAD(Buffer.from(aad, 'utf8'))
    const body = cipher.update(plaintext)
    cipher.final()
    cipher.getAuthTag().copy(out, 1 + IV_BYTES)
    body.copy(out, HEADER)
    return out
  }

  decrypt (aad: string, envelope: Uint8Array): Buffer {
    if (envelope.length < HEADER || envelope[0] !== FORMAT) {
      throw new StorageError('E_CORRUPT', `stored value for ${describe(aad)} is not a valid encrypted record`)
    }
    const buf = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength)
    const decipher = createDecipheriv('aes-256-gcm', this.#key, buf.subarray(1, 1 + IV_BYTES))
    decipher.setAAD(Buffer.from(aad, 'utf8'))
    decipher.setAuthTag(buf.subarray(1 + IV_BYTES, HEADER))
    try {
      const body = decipher.update(buf.subarray(HEADER))
      decipher.final()
      return body
    } catch (err) {
      throw new StorageError('E_CORRUPT', `stored value for ${describe(aad)} failed its integrity check (tampered or wrong key)`, { cause: err })
    }
  }
}

function describe (aad: string): string {
  return aad.replace('\u0000', '/')
}
