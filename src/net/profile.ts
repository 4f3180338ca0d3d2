import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { fromString, toString } from 'uint8arrays'
import { z } from 'zod'
import { NetworkError } from '../errors.js'
import { MAX_SUCCESSIONS, SuccessionSchema, signJson, verifyJson, verifyTrail } from '../identity/index.js'

// The agent card a node publishes under /secondme/profile/<peerId>: who it is, what it talks
// about, which protocols it speaks and where to reach it. Signed over canonical JSON by the
// peer's own key, so any node can check it without a server.

export const PROFILE_PREFIX = '/secondme/profile/'
/** A profile lives at most this long; re-announce refreshes it. */
export const MAX_PROFILE_TTL_MS = 24 * 60 * 60_000

export const ProfileSchema = z.object({
  peerId: z.string().min(1).max(128),
  displayName: z.string().max(100).optional(),
  bio: z.string().max(2000).optional(),
  topics: z.array(z.string().min(1).max(100)).max(50),
  protocols: z.array(z.string().max(100)).max(20),
  addresses: z.array(z.string().max(300)).max(20),
  issuedAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
  /** Key rotations, oldest first, ending at peerId: peers that knew an old id follow to this one. */
  succession: z.array(SuccessionSchema).min(1).max(MAX_SUCCESSIONS).optional()
}).strict()

export type Profile = z.infer<typeof ProfileSchema>

export const SignedProfileSchema = z.object({
  profile: ProfileSchema,
  signature: z.string().min(1).max(200)
}).strict()

export type SignedProfile = z.infer<typeof SignedProfileSchema>

export type ProfileFields = Omit<Profile, 'peerId' | 'issuedAt' | 'expiresAt'>

export async function signProfile (key: PrivateKey, fields: ProfileFields, ttlMs: number, now = Date.now()): Promise<SignedProfile> {
  const profile: Profile = ProfileSchema.parse({
    ...fields,
    peerId: peerIdFromPrivateKey(key).toString(),
    issuedAt: now,
    expiresAt: now + Math.min(ttlMs, MAX_PROFILE_TTL_MS)
  })
  return { profile, signature: await signJson(key, profile) }
}

/** Parse and check a signed profile; `expectedPeer` is the id the key or connection names. */
export async function verifyProfile (value: unknown, expectedPeer?: string, now = Date.now()): Promise<SignedProfile> {
  const parsed = SignedProfileSchema.safeParse(value)
  if (!parsed.success) throw new NetworkError('E_BAD_RECORD', 'profile does not match the schema')
  const { profile, signature } = parsed.data
  if (expectedPeer !== undefined && profile.peerId !== expectedPeer) throw new NetworkError('E_BAD_RECORD', 'profile belongs to another peer')
  if (profile.expiresAt <= now) throw new NetworkError('E_BAD_RECORD', 'profile has expired')
  if (profile.issuedAt > now + 5 * 60_000) throw new NetworkError('E_BAD_RECORD', 'profile is issued in the future')
  if (profile.expiresAt - profile.issuedAt > MAX_PROFILE_TTL_MS) throw new NetworkError('E_BAD_RECORD', 'profile lifetime is too long')
  if (!await verifyJson(profile.peerId, profile, signature)) throw new NetworkError('E_BAD_RECORD', 'profile signature does not verify')
  if (profile.succession !== undefined && !await verifyTrail(profile.succession, profile.peerId)) throw new NetworkError('E_BAD_RECORD', 'profile succession records do not verify')
  return parsed.data
}

export function profileKey (peerId: string): Uint8Array {
  return fromString(PROFILE_PREFIX + peerId, 'utf8')
}

export function encodeProfile (signed: SignedProfile): Uint8Array {
  return fromString(JSON.stringify(signed), 'utf8')
}

export async function decodeProfile (bytes: Uint8Array, expectedPeer?: string): Promise<SignedProfile> {
  let json: unknown
  try {
    json = JSON.parse(toString(bytes, 'utf8'))
  } catch {
    throw new NetworkError('E_BAD_RECORD', 'profile record is not JSON')
  }
  return await verifyProfile(json, expectedPeer)
}

function peerOfKey (key: Uint8Array): string {
  const text = toString(key, 'utf8')
  if (!text.startsWith(PROFILE_PREFIX)) throw new NetworkError('E_BAD_RECORD', `unknown /secondme/ record key ${text.slice(0, 60)}`)
  return text.slice(PROFILE_PREFIX.length)
}

/** kad-dht validator for the `secondme` namespace: signed, unexpired, key = signer. */
export async function profileValidator (key: Uint8Array, value: Uint8Array): Promise<void> {
  await decodeProfile(value, peerOfKey(key))
}

/** kad-dht selector: the newest valid profile wins (invalid ones never do). */
export async function profileSelector (key: Uint8Array, records: Uint8Array[]): Promise<number> {
  let best = 0
  let bestIssued = -1
  for (const [i, record] of records.entries()) {
    try {
      const { profile } = await decodeProfile(record, peerOfKey(key))
      if (profile.issuedAt > bestIssued) {
        best = i
        bestIssued = profile.issuedAt
      }
    } catch {
      // skip invalid records
    }
  }
  return best
}
