import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { InputError, isSecondMeError, NetworkError } from '../errors.js'
import type { Vault } from '../vault/index.js'
import type { VaultStore } from '../vault/store.js'
import { AccessAskSchema, type AccessAsk } from '../scope.js'
import { GrantTokenSchema } from './grant.js'

// The consent queue: asks no standing rule answered wait here for the owner. Pending is a state the
// asker polls (with its ticket, bound to its peer id), not an error. The ask's purpose text is kept
// in the encrypted value; keys are random ids.

export const CONSENT_STORE = 'policy-consent'
const MAX_PENDING_PER_PEER = 20
const MAX_PENDING = 1000

export const ConsentAskSchema = AccessAskSchema
export type ConsentAsk = AccessAsk

export const CONSENT_STATES = ['pending', 'approved', 'countered', 'denied'] as const

const ConsentRecordSchema = z.object({
  id: z.string(),
  peer: z.string(),
  displayName: z.string().max(100).optional(),
  ask: ConsentAskSchema,
  state: z.enum(CONSENT_STATES),
  createdAt: z.number().int(),
  decidedAt: z.number().int().optional(),
  /** The narrower offer of a counter, which the asker may accept. */
  offer: ConsentAskSchema.optional(),
  grantId: z.string().optional(),
  token: GrantTokenSchema.optional(),
  reason: z.string().max(200).optional()
})
export type ConsentRecord = z.infer<typeof ConsentRecordSchema>

export class ConsentQueue {
  readonly #vault: Vault

  constructor (vault: Vault) {
    this.#vault = vault
  }

  /** Queue an ask; an identical pending ask from the same peer keeps its ticket. */
  async enqueue (peer: string, ask: ConsentAsk, displayName?: string): Promise<ConsentRecord> {
    const all = await this.list()
    const pending = all.filter(r => r.state === 'pending')
    const same = pending.find(r => r.peer === peer && JSON.stringify(r.ask) === JSON.stringify(ask))
    if (same !== undefined) return same
    if (pending.filter(r => r.peer === peer).length >= MAX_PENDING_PER_PEER || pending.length >= MAX_PENDING) {
      throw new NetworkError('E_RATE_LIMITED', 'too many requests wait for the owner\'s consent')
    }
    const record: ConsentRecord = {
      id: 'c' + randomBytes(8).toString('hex'),
      peer,
      ask,
      state: 'pending',
      createdAt: Date.now(),
      ...(displayName === undefined ? {} : { displayName: displayName.slice(0, 100) })
    }
    await this.#store().put(record.id, record)
    return record
  }

  async get (id: string): Promise<ConsentRecord> {
    const parsed = ConsentRecordSchema.safeParse(await this.#store().get(id))
    if (!parsed.success) throw new InputError('E_NOT_FOUND', `no consent request ${id}`)
    return parsed.data
  }

  /** The record of `id` only if `peer` asked it: one peer never learns of another's request. */
  async getFor (peer: string, id: string): Promise<ConsentRecord> {
    if (!/^c[0-9a-f]{16}$/.test(id)) throw new InputError('E_NOT_FOUND', 'no such request')
    // Only a missing record reads as "no such request": a storage failure keeps its own code.
    const record = await this.get(id).catch((err: unknown) => { if (isSecondMeError(err) && err.code === 'E_NOT_FOUND') return undefined; throw err })
    if (record?.peer !== peer) throw new InputError('E_NOT_FOUND', 'no such request')
    return record
  }

  async update (record: ConsentRecord, change: Partial<ConsentRecord>): Promise<ConsentRecord> {
    const next = { ...record, ...change, decidedAt: Date.now() }
    await this.#store().put(record.id, next)
    return next
  }

  async list (state?: ConsentRecord['state']): Promise<ConsentRecord[]> {
    const out: ConsentRecord[] = []
    for await (const [, value] of this.#store().entries()) {
      const parsed = ConsentRecordSchema.safeParse(value)
      if (parsed.success && (state === undefined || parsed.data.state === state)) out.push(parsed.data)
    }
    return out.sort((a, b) => a.createdAt - b.createdAt)
  }

  #store (): VaultStore<unknown> {
    return this.#vault.store<unknown>(CONSENT_STORE)
  }
}

