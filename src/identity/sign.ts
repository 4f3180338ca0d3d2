import { peerIdFromString } from '@libp2p/peer-id'
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import canonicalize from 'canonicalize'
import { fromString, toString } from 'uint8arrays'
import { InputError } from '../errors.js'

// Signatures are over canonical JSON (RFC 8785, JCS) so any peer re-derives the exact bytes.

export function canonicalBytes (value: unknown): Uint8Array {
  const text = canonicalize(value)
  if (text === undefined) throw new InputError('E_BAD_INPUT', 'value cannot be canonicalised as JSON')
  return fromString(text, 'utf8')
}

export async function signBytes (key: PrivateKey, bytes: Uint8Array): Promise<string> {
  return toString(await key.sign(bytes), 'base64url')
}

export async function signJson (key: PrivateKey, value: unknown): Promise<string> {
  return await signBytes(key, canonicalBytes(value))
}

/** The Ed25519 public key embedded in a peer id string; undefined if the id is not a valid Ed25519 id. */
export function publicKeyOf (peerId: string): PublicKey | undefined {
  try {
    return peerIdFromString(peerId).publicKey
  } catch {
    return undefined
  }
}

export async function verifyBytes (peerId: string, bytes: Uint8Array, signature: string): Promise<boolean> {
  const key = publicKeyOf(peerId)
  if (key === undefined) return false
  try {
    return await key.verify(bytes, fromString(signature, 'base64url'))
  } catch {
    return false
  }
}

/** True only if `signature` is `peerId`'s signature over the canonical form of `value`. */
export async function verifyJson (peerId: string, value: unknown, signature: string): Promise<boolean> {
  let bytes: Uint8Array
  try {
    bytes = canonicalBytes(value)
  } catch {
    return false
  }
  return await verifyBytes(peerId, bytes, signature)
}
