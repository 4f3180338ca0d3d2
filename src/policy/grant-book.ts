import { z } from 'zod'
import { InputError, PolicyError } from '../errors.js'
import type { Vault } from '../vault/index.js'
import type { VaultStore } from '../vault/store.js'
import { verifyJson } from '../identity/sign.js'
import { encodeGrant, grantId, GrantTokenSchema, parseGrant, payloadOf, type GrantAction, type GrantToken } from './grant.js'

// The grants this node issued, the ids it revoked, and the grants other nodes gave it. Keys are
// grant ids (hashes), never personal text; the tokens themselves sit encrypted in the values.

export const ISSUED_STORE = 'policy-issued'
export const REVOKED_STORE = 'policy-revoked'
export const RECEIVED_STORE = 'policy-received'

const IssuedSchema = z.object({ token: GrantTokenSchema, issuedAt: z.number().int() })
const RevokedSchema = z.object({ revokedAt: z.number().int(), reason: z.string().max(200).optional() })
const ReceivedSchema = z.object({ token: GrantTokenSchema, receivedAt: z.number().int() })

export type GrantStatus = 'active' | 'expired' | 'not-yet-valid' | 'revoked'

export interface GrantSummary {
  id: string
  direction: 'issued' | 'received'
  /** The other party: audience of an issued grant, issuer of a received one. */
  peer: string
  actions: GrantAction[]
  visibility: string[]
  topics?: string[]
  notBefore: string
  expires: string
  status: GrantStatus
  derivedFrom?: string
}

export class GrantBook {
  readonly #vault: Vault
  /**
   * The revoked ids, read once from the store: every request checks revocation, and a store read per
   * request costs more than the rest of the check. This book is the store's only writer (the vault is
   * locked by one process), and revoke() adds to the set before it writes.
   */
  #revoked: Promise<Set<string>> | undefined

  constructor (vault: Vault) {
    this.#vault = vault
  }

  async recordIssued (token: GrantToken): Promise<string> {
    const id = grantId(token)
    await this.#store(ISSUED_STORE).put(id, { token, issuedAt: Date.now() })
    return id
  }

  /** Revoke a grant this node issued (a full id or a unique prefix of at least 8 characters). */
  async revoke (idOrPrefix: string, reason?: string): Promise<{ id: string, revokedAt: string, already: boolean }> {
    // A full id not in the book may name a grant derived from one of ours: revoke it all the same.
    const full = /^[0-9a-f]{32}$/.test(idOrPrefix)
    const id = full ? idOrPrefix : await this.#resolveIssued(idOrPrefix)
    const existing = RevokedSchema.safeParse(await this.#store(REVOKED_STORE).get(id))
    if (existing.success) return { id, revokedAt: new Date(existing.data.revokedAt).toISOString(), already: true }
    const revokedAt = Date.now()
    // Refused from now on, even if the write below fails (the caller then sees the error and retries).
    const revoked = await this.#revokedIds()
    revoked.add(id)
    await this.#store(REVOKED_STORE).put(id, { revokedAt, ...(reason === undefined ? {} : { reason }) })
    return { id, revokedAt: new Date(revokedAt).toISOString(), already: false }
  }

  async isRevoked (id: string): Promise<boolean> {
    return (await this.#revokedIds()).has(id)
  }

  async #revokedIds (): Promise<Set<string>> {
    this.#revoked ??= this.#loadRevoked().catch((err: unknown) => {
      this.#revoked = undefined
      throw err
    })
    return await this.#revoked
  }

  async #loadRevoked (): Promise<Set<string>> {
    const ids = new Set<string>()
    for await (const key of this.#store(REVOKED_STORE).keys()) ids.add(key)
    return ids
  }

  /** Store a grant another node gave us; it must be well signed and addressed to us (`selves`: current and former ids). */
  async importReceived (input: unknown, selves: readonly string[]): Promise<{ id: string, token: GrantToken, compact: string }> {
    const token = parseGrant(input)
    if (!await verifyJson(token.iss, payloadOf(token), token.sig)) throw new PolicyError('E_GRANT_SIGNATURE', 'grant signature does not verify')
    if (!selves.includes(token.aud)) throw new PolicyError('E_GRANT_AUDIENCE', 'this grant was issued to another peer')
    const id = grantId(token)
    await this.#store(RECEIVED_STORE).put(id, { token, receivedAt: Date.now() })
    return { id, token, compact: encodeGrant(token) }
  }

  /** The received grant from `peers` (one peer's ids: its subject) allowing `action` that stays valid longest. */
  async receivedFor (peers: readonly string[], action: GrantAction, now = Date.now()): Promise<GrantToken | undefined> {
    let best: GrantToken | undefined
    for await (const [, value] of this.#store(RECEIVED_STORE).entries()) {
      const parsed = ReceivedSchema.safeParse(value)
      if (!parsed.success) continue
      const t = parsed.data.token
      // The issuer's clock may run ahead of ours; it judges the window itself.
      if (!peers.includes(t.sub) || !t.cmd.includes(action) || t.nbf > now + 60_000 || t.exp <= now) continue
      if (best === undefined || t.exp > best.exp) best = t
    }
    return best
  }

  async list (now = Date.now()): Promise<{ issued: GrantSummary[], received: GrantSummary[] }> {
    const issued: GrantSummary[] = []
    for await (const [id, value] of this.#store(ISSUED_STORE).entries()) {
      const parsed = IssuedSchema.safeParse(value)
      if (parsed.success) issued.push(summarise(id, 'issued', parsed.data.token, await this.isRevoked(id), now))
    }
    const received: GrantSummary[] = []
    for await (const [id, value] of this.#store(RECEIVED_STORE).entries()) {
      const parsed = ReceivedSchema.safeParse(value)
      if (parsed.success) received.push(summarise(id, 'received', parsed.data.token, false, now))
    }
    return { issued, received }
  }

  async issuedToken (idOrPrefix: string): Promise<GrantToken> {
    const id = await this.#resolveIssued(idOrPrefix)
    const parsed = IssuedSchema.safeParse(await this.#store(ISSUED_STORE).get(id))
    if (!parsed.success) throw new InputError('E_NOT_FOUND', `no issued grant ${idOrPrefix}`)
    return parsed.data.token
  }

  async #resolveIssued (idOrPrefix: string): Promise<string> {
    const prefix = idOrPrefix.trim().toLowerCase()
    if (!/^[0-9a-f]{8,32}$/.test(prefix)) throw new InputError('E_BAD_INPUT', 'a grant id is 8 to 32 hex characters')
    const matches: string[] = []
    for await (const key of this.#store(ISSUED_STORE).keys({ gte: prefix, lt: prefix + 'g' })) matches.push(key)
    if (matches.length === 0) throw new InputError('E_NOT_FOUND', `no issued grant ${prefix}`)
    if (matches.length > 1) throw new InputError('E_BAD_INPUT', `grant id prefix ${prefix} is ambiguous`)
    return matches[0]!
  }

  #store (name: string): VaultStore<unknown> {
    return this.#vault.store<unknown>(name)
  }
}

/** A listing line for a grant: who, what, until when, and whether it is still usable. */
export function summarise (id: string, direction: 'issued' | 'received', t: GrantToken, revoked: boolean, now: number): GrantSummary {
  const status: GrantStatus = revoked ? 'revoked' : now >= t.exp ? 'expired' : now < t.nbf ? 'not-yet-valid' : 'active'
  return {
    id,
    direction,
    peer: direction === 'issued' ? t.aud : t.iss,
    actions: t.cmd,
    visibility: t.pol.visibility,
    ...(t.pol.topics === undefined ? {} : { topics: t.pol.topics }),
    notBefore: new Date(t.nbf).toISOString(),
    expires: new Date(t.exp).toISOString(),
    status,
    ...(t.prf === undefined ? {} : { derivedFrom: t.prf })
  }
}
