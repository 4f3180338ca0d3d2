import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto'
import { promisify } from 'node:util'
import { z } from 'zod'
import { StorageError } from '../errors.js'

// Key sealing: a key derived from the passphrase (scrypt, stored salt and parameters) encrypts
// a small secret payload with AES-256-GCM. Used for the identity key and the vault's data key.

const scrypt = promisify(scryptCb) as (pw: string | Buffer, salt: Buffer, len: number, opts: { N: number, r: number, p: number, maxmem: number }) => Promise<Buffer>

export interface KdfParams { N: number, r: number, p: number }

/** ~100 ms and 32 MiB on a laptop core: costly to brute-force, cheap enough for every CLI call. */
export const DEFAULT_KDF: KdfParams = { N: 2 ** 15, r: 8, p: 1 }

const b64 = z.string().regex(/^[A-Za-z0-9+/=]*$/)

export const SealedSchema = z.object({
  v: z.literal(1),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z.number().int().min(2 ** 10).max(2 ** 22),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: b64
  }),
  cipher: z.literal('aes-256-gcm'),
  iv: b64,
  tag: b64,
  data: b64
})

export type Sealed = z.infer<typeof SealedSchema>

async function deriveKey (passphrase: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
  return await scrypt(passphrase.normalize('NFC'), salt, 32, { ...kdf, maxmem: 256 * kdf.N * kdf.r })
}

export async function seal (payload: Uint8Array, passphrase: string, kdf: KdfParams = DEFAULT_KDF, aad = 'secondme-keys'): Promise<Sealed> {
  const salt = randomBytes(16)
  const key = await deriveKey(passphrase, salt, kdf)
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(aad))
  const data = Buffer.concat([cipher.update(payload), cipher.final()])
  return {
    v: 1,
    kdf: { name: 'scrypt', ...kdf, salt: salt.toString('base64') },
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64')
  }
}

/** Throws E_BAD_PASSPHRASE when the tag does not verify: a wrong passphrase and a tampered file look alike. */
export async function unseal (sealed: Sealed, passphrase: string, aad = 'secondme-keys'): Promise<Buffer> {
  const { N, r, p } = sealed.kdf
  const key = await deriveKey(passphrase, Buffer.from(sealed.kdf.salt, 'base64'), { N, r, p })
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'))
  decipher.setAAD(Buffer.from(aad))
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'))
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()])
  } catch (err) {
    throw new StorageError('E_BAD_PASSPHRASE', 'wrong passphrase (or the key file was altered)', { cause: err })
  }
}

export function parseSealed (text: string, file: string): Sealed {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new StorageError('E_CORRUPT', `key file ${file} is not valid JSON`, { cause: err })
  }
  const parsed = SealedSchema.safeParse(json)
  if (!parsed.success) throw new StorageError('E_CORRUPT', `key file ${file} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return parsed.data
}

