import { randomBytes } from 'node:crypto'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { z } from 'zod'
import { StorageError } from '../errors.js'
import { DEFAULT_KDF, seal, unseal, type KdfParams, type Sealed } from './seal.js'
import { signJson, verifyJson } from './sign.js'
import { signSuccession, SuccessionSchema, type Succession } from './succession.js'

export { signJson, verifyJson, signBytes, verifyBytes, canonicalBytes, publicKeyOf } from './sign.js'
export { DEFAULT_KDF, type KdfParams } from './seal.js'
export { SuccessionBook, SuccessionSchema, verifyTrail, MAX_SUCCESSIONS, type Succession } from './succession.js'

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
  /** Every key rotation so far, oldest first; the last one names this identity. */
  readonly successions: readonly Succession[]

  constructor (privateKey: PrivateKey, dataKey: Buffer, successions: readonly Succession[] = []) {
    this.privateKey = privateKey
    this.peerId = peerIdFromPrivateKey(privateKey)
    this.dataKey = dataKey
    this.successions = successions
  }

  /** Ids this node had before its key rotations (grants it issued under them stay valid). */
  get predecessors (): string[] {
    return this.successions.map(s => s.prev)
  }

  /**
   * A new identity key (new peer id) with a succession record signed by this key and the new one.
   * The vault data key stays: the data is not re-encrypted.
   */
  async rotated (): Promise<Identity> {
    const next = await generateKeyPair('Ed25519')
    return new Identity(next, this.dataKey, [...this.successions, await signSuccession(this.privateKey, next)])
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
      dataKey: this.dataKey.toString('base64'),
      ...(this.successions.length === 0 ? {} : { successions: this.successions })
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
    return new Identity(key, dataKey, parsed.data.successions ?? [])
  }
}

const KeyPayloadSchema = z.object({ identity: z.string(), dataKey: z.string(), successions: z.array(SuccessionSchema).max(1000).optional() })

function safeJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
