import { SuccessionBook, type Identity } from '../identity/index.js'
import { InputError, InternalError } from '../errors.js'
import type { Scope } from '../scope.js'
import type { Vault } from '../vault/index.js'
import { AuditLog, type AuditEvent } from './audit.js'
import { AuditAnchor } from './audit-anchor.js'
import { ConsentQueue, type ConsentAsk, type ConsentRecord } from './consent.js'
import { encodeGrant, type GrantAction, type GrantRequest, type GrantToken, signGrant, parseGrant } from './grant.js'
import { GrantBook } from './grant-book.js'
import { VerifiedGrantCache } from './grant-cache.js'
import { Rules } from './rules.js'
import { verifyGrant, type VerifiedGrant } from './verify.js'

export interface PolicyInit {
  vault: Vault
  identity: Identity
  /** The audit anchor file (home/audit-anchor.json); without it a lost audit tail goes unnoticed. */
  anchorPath?: string
}

export interface IssueOptions {
  aud: string
  actions: GrantAction[]
  scope: Scope
  /** Lifetime in seconds from now (or from `nbf`). */
  durationSec: number
  nbf?: number
  purpose?: string
  parent?: unknown
}

export interface IssuedGrant {
  id: string
  token: GrantToken
  compact: string
}

/** What the asker sees of a consent request (the net intro protocol's IntroDecision shape). */
export type ConsentDecision =
  | { status: 'granted', grant: GrantToken }
  | { status: 'counter', offerId: string, offer: ConsentAsk }
  | { status: 'pending', ticket: string }
  | { status: 'refused', code: string, reason: string }

export interface ApproveOptions {
  actions?: GrantAction[]
  scope?: Scope
  durationSec?: number
  /** Offer the narrowed ask back to the asker instead of granting it outright. */
  counter?: boolean
}

/**
 * `me.policy`: grants, revocations, received grants, standing rules, the consent queue and the
 * audit log of one node. See index.ts for the interface the network layer uses.
 */
export class Policy {
  readonly audit: AuditLog
  readonly rules: Rules
  readonly consent: ConsentQueue
  readonly book: GrantBook
  /** Other peers' key rotations learnt from their verified profiles (net layer feeds it). */
  readonly successions = new SuccessionBook()
  readonly #identity: Identity
  readonly #verified = new VerifiedGrantCache()

  constructor (init: PolicyInit) {
    this.#identity = init.identity
    this.audit = new AuditLog(init.vault, init.anchorPath === undefined ? undefined : new AuditAnchor(init.anchorPath, init.identity))
    this.rules = new Rules(init.vault)
    this.consent = new ConsentQueue(init.vault)
    this.book = new GrantBook(init.vault)
  }

  get owner (): string {
    return this.#identity.id
  }

  /** Sign a grant (root, or derived from a grant given to us), record it and audit it. */
  async issue (options: IssueOptions): Promise<IssuedGrant> {
    const now = Date.now()
    const start = options.nbf ?? now
    const request: GrantRequest = {
      aud: options.aud,
      actions: options.actions,
      scope: options.scope,
      nbf: start,
      exp: start + options.durationSec * 1000,
      ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
      ...(options.parent === undefined ? {} : { parent: parseGrant(options.parent) })
    }
    const token = await signGrant(this.#identity.privateKey, this.owner, { ...request, trail: this.#identity.successions }, now)
    const id = await this.book.recordIssued(token)
    await this.audit.append({ kind: 'grant', peer: options.aud, decision: 'allow', grantId: id, detail: `actions ${token.cmd.join(',')}` })
    return { id, token, compact: encodeGrant(token) }
  }

  async revoke (id: string, reason?: string): Promise<{ id: string, revokedAt: string, already: boolean }> {
    const result = await this.book.revoke(id, reason)
    if (!result.already) await this.audit.append({ kind: 'revoke', decision: 'info', grantId: result.id })
    return result
  }

  /** Check a presented grant without writing the audit (the caller audits the outcome). */
  async verify (token: unknown, request: { peer: string, action: GrantAction, topics?: readonly string[] }): Promise<VerifiedGrant> {
    return await verifyGrant(token, {
      owner: this.owner,
      formerOwners: this.#identity.predecessors,
      succeeds: (later, earlier) => this.successions.succeeds(later, earlier),
      presenter: request.peer,
      action: request.action,
      ...(request.topics === undefined ? {} : { topics: request.topics }),
      isRevoked: async (id) => await this.book.isRevoked(id),
      cache: this.#verified
    })
  }

  async appendAudit (event: AuditEvent): Promise<void> {
    await this.audit.append(event)
  }

  /** A grant `peer` gave this node for `action`, to present to it; undefined if none is valid. */
  async receivedGrantFor (peer: string, action: GrantAction): Promise<GrantToken | undefined> {
    // A grant from the peer's id before a key rotation still speaks for it.
    return await this.book.receivedFor(this.successions.lineage(peer), action)
  }

  async importGrant (token: unknown): Promise<IssuedGrant> {
    return await this.book.importReceived(token, [this.owner, ...this.#identity.predecessors])
  }

  /**
   * An ask from `peer`: a standing rule answers it (grant or refusal), else it is queued and the
   * answer is `pending` with a ticket the asker polls.
   */
  async requestConsent (peer: string, ask: ConsentAsk, context: { displayName?: string } = {}): Promise<ConsentDecision> {
    const verdict = await this.rules.evaluate(peer, ask)
    if (verdict?.effect === 'deny') {
      await this.audit.append({ kind: 'consent', peer, decision: 'refuse', code: 'E_DENIED', detail: `rule ${verdict.rule.id}` })
      return { status: 'refused', code: 'E_DENIED', reason: 'a standing rule refuses this request' }
    }
    if (verdict?.effect === 'allow') {
      const durationSec = Math.min(ask.durationSec, verdict.rule.maxDurationSec)
      const issued = await this.issue({ aud: peer, actions: ask.actions, scope: ask.scope, durationSec, purpose: ask.purpose })
      await this.audit.append({ kind: 'consent', peer, decision: 'allow', grantId: issued.id, detail: `rule ${verdict.rule.id}` })
      return { status: 'granted', grant: issued.token }
    }
    const record = await this.consent.enqueue(peer, ask, context.displayName)
    await this.audit.append({ kind: 'consent', peer, decision: 'pending', detail: `queued ${record.id}` })
    return { status: 'pending', ticket: record.id }
  }

  /** The state of `peer`'s request `ticket`, as the asker sees it. */
  async pollConsent (peer: string, ticket: string): Promise<ConsentDecision> {
    return decisionOf(await this.consent.getFor(peer, ticket))
  }

  /** The asker takes a counter-offer: the offered (narrower) grant is issued. */
  async acceptOffer (peer: string, offerId: string): Promise<ConsentDecision> {
    const record = await this.consent.getFor(peer, offerId)
    if (record.state !== 'countered' || record.offer === undefined) return decisionOf(record)
    const offer = record.offer
    const issued = await this.issue({ aud: peer, actions: offer.actions, scope: offer.scope, durationSec: offer.durationSec, purpose: offer.purpose })
    return decisionOf(await this.consent.update(record, { state: 'approved', grantId: issued.id, token: issued.token }))
  }

  /** The owner approves a pending request, possibly narrowed, or counters with the narrowed ask. */
  async approve (id: string, options: ApproveOptions = {}): Promise<ConsentRecord> {
    const record = await this.#pending(id)
    const ask: ConsentAsk = {
      ...record.ask,
      ...(options.actions === undefined ? {} : { actions: options.actions }),
      ...(options.scope === undefined ? {} : { scope: options.scope }),
      ...(options.durationSec === undefined ? {} : { durationSec: options.durationSec })
    }
    if (options.counter === true) {
      await this.audit.append({ kind: 'consent', peer: record.peer, decision: 'info', detail: `countered ${id}` })
      return await this.consent.update(record, { state: 'countered', offer: ask })
    }
    const issued = await this.issue({ aud: record.peer, actions: ask.actions, scope: ask.scope, durationSec: ask.durationSec, purpose: ask.purpose })
    await this.audit.append({ kind: 'consent', peer: record.peer, decision: 'allow', grantId: issued.id, detail: `approved ${id}` })
    return await this.consent.update(record, { state: 'approved', grantId: issued.id, token: issued.token })
  }

  async deny (id: string, reason?: string): Promise<ConsentRecord> {
    const record = await this.#pending(id)
    await this.audit.append({ kind: 'consent', peer: record.peer, decision: 'refuse', code: 'E_DENIED', detail: `denied ${id}` })
    return await this.consent.update(record, { state: 'denied', ...(reason === undefined ? {} : { reason: reason.slice(0, 200) }) })
  }

  async #pending (id: string): Promise<ConsentRecord> {
    const record = await this.consent.get(id)
    if (record.state !== 'pending') throw new InputError('E_BAD_INPUT', `consent request ${id} is already ${record.state}`)
    return record
  }
}

function decisionOf (record: ConsentRecord): ConsentDecision {
  switch (record.state) {
    case 'pending': return { status: 'pending', ticket: record.id }
    case 'countered': return { status: 'counter', offerId: record.id, offer: record.offer ?? record.ask }
    case 'denied': return { status: 'refused', code: 'E_DENIED', reason: record.reason ?? 'the owner declined' }
    case 'approved':
      if (record.token === undefined) throw new InternalError('approved request has no grant')
      return { status: 'granted', grant: record.token }
  }
}

/** The id of a presented token, when it parses, so refusals can name the grant. */