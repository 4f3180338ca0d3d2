import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { StorageError } from '../errors.js'

// Value envelope: [format 1][iv 12][tag 16][ciphertext]. AES-256-GCM with a fresh random IV per
// write; the record's full key (store name + key) is the associated data, so a ciphertext moved
// to another key fails to decrypt instead of being read as that record.

const FORMAT = 1
const IV_BYTES = 12
const TAG_BYTES = 16
const HEADER = 1 + IV_BYTES + TAG_BYTES

export function encryptValue (dataKey: Buffer, aad: string, plaintext: Uint8Array): Uint8Array {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv)
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const body = cipher.update(plaintext)
  const tail = cipher.final()
  const out = Buffer.allocUnsafe(HEADER + body.length + tail.length)
  out[0] = FORMAT
  iv.copy(out, 1)
  cipher.getAuthTag().copy(out, 1 + IV_BYTES)
  body.copy(out, HEADER)
  tail.copy(out, HEADER + body.length)
  return out
}

export function decryptValue (dataKey: Buffer, aad: string, envelope: Uint8Array): Buffer {
  if (envelope.length < HEADER || envelope[0] !== FORMAT) {
    throw new StorageError('E_CORRUPT', `stored value for ${describe(aad)} is not a valid encrypted record`)
  }
  const buf = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength)
  const decipher = createDecipheriv('aes-256-gcm', dataKey, buf.subarray(1, 1 + IV_BYTES))
  decipher.setAAD(Buffer.from(aad, 'utf8'))
  decipher.setAuthTag(buf.subarray(1 + IV_BYTES, HEADER))
  try {
    return Buffer.concat([decipher.update(buf.subarray(HEADER)), decipher.final()])
  } catch (err) {
    throw new StorageError('E_CORRUPT', `stored value for ${describe(aad)} failed its integrity check (tampered or wrong key)`, { cause: err })
  }
}

function describe (aad: string): string {
  return aad.replace('\u0000', '/')
}
