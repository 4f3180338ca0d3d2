import { randomBytes } from 'node:crypto'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { z } from 'zod'
import { StorageError } from '../errors.js'
import { DEFAULT_KDF, seal, unseal, type KdfParams, type Sealed } from './seal.js'
import { signJson, verifyJson } from './sign.js'

export { signJson, verifyJson, signBytes, verifyBytes, canonicalBytes, publicKeyOf } from './sign.js'
export { DEFAULT_KDF, type KdfParams } from './seal.js'

/**
 * The node's identity: an Ed25519 key pair whose public half is the libp2p peer id,
 * plus the random 256-bit data key that encrypts the vault. Both are sealed together
 * under the passphrase; changing the passphrase re-seals them without touching data.
 */
export class Identity {
  readonly privateKey: PrivateKey
  readonly peerId: PeerId
  /** Vault data key; never logged, never leaves the process. */
  readonly dataKey: Buffer

  constructor (privateKey: PrivateKey, dataKey: Buffer) {
    this.privateKey = privateKey
    this.peerId = peerIdFromPrivateKey(privateKey)
    this.dataKey = dataKey
  }

  get id (): string {
    return this.peerId.toString()
  }

  static async generate (): Promise<Identity> {
    return new Identity(await generateKeyPair('Ed25519'), randomBytes(32))
  }

  async sign (value: unknown): Promise<string> {
    return await signJson(this.privateKey, value)
  }

  async verify (peerId: string, value: unknown, signature: string): Promise<boolean> {
    return await verifyJson(peerId, value, signature)
  }

  async seal (passphrase: string, kdf: KdfParams = DEFAULT_KDF): Promise<Sealed> {
    const payload = Buffer.from(JSON.stringify({
      identity: Buffer.from(privateKeyToProtobuf(this.privateKey)).toString('base64'),
      dataKey: this.dataKey.toString('base64')
    }))
    return await seal(payload, passphrase, kdf)
  }

  static async unseal (sealed: Sealed, passphrase: string): Promise<Identity> {
    const payload = await unseal(sealed, passphrase)
    const parsed = KeyPayloadSchema.safeParse(safeJson(payload.toString('utf8')))
    if (!parsed.success) throw new StorageError('E_CORRUPT', 'the key file decrypted but its content is malformed')
    const key = privateKeyFromProtobuf(Buffer.from(parsed.data.identity, 'base64'))
    const dataKey = Buffer.from(parsed.data.dataKey, 'base64')
    if (dataKey.length !== 32) throw new StorageError('E_CORRUPT', 'the vault data key has the wrong length')
    return new Identity(key, dataKey)
  }
}

const KeyPayloadSchema = z.object({ identity: z.string(), dataKey: z.string() })

function safeJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
