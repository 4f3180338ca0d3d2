import { z } from 'zod'
import { AccessAskSchema, type AccessAsk, type GrantAction, type Scope } from '../scope.js'
import type { Responder, ScopedRecall } from '../agent/types.js'
import type { ConversationExchange } from '../agent/conversations.js'

// The narrow interfaces the protocol handlers need from policy, memory and the agent. The network
// layer never decides what may be disclosed: it asks these, and only passes on what they return.

export { GRANT_ACTIONS, type GrantAction } from '../scope.js'

/** A grant token as it travels: a signed JSON object whose shape the policy layer owns. */
export const GrantTokenSchema = z.record(z.string(), z.unknown())
export type GrantToken = z.infer<typeof GrantTokenSchema>


export interface GrantChecker {
  /**
   * Verify a presented grant for a request from `peer` (signature, audience = peer, time window,
   * revocation, action) and return the scope it allows. Throws a PolicyError with a stable code.
   */
  check: (token: GrantToken, request: { peer: string, action: GrantAction }) => Promise<Scope>
}

export const IntroAskSchema = AccessAskSchema
export type IntroAsk = AccessAsk

export const IntroDecisionSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('granted'), grant: GrantTokenSchema }).strict(),
  /** A narrower offer the asker may accept with `accept(offerId)`. */
  z.object({ status: z.literal('counter'), offerId: z.string().min(1).max(100), offer: IntroAskSchema }).strict(),
  /** Waiting for the owner: poll with the ticket. */
  z.object({ status: z.literal('pending'), ticket: z.string().min(1).max(100) }).strict(),
  z.object({ status: z.literal('refused'), code: z.string().regex(/^E_[A-Z_]{2,40}$/), reason: z.string().max(500) }).strict()
])
export type IntroDecision = z.infer<typeof IntroDecisionSchema>

/** The owner's side of an introduction: standing rules, the consent queue, grant issuing. */
export interface ConsentGate {
  ask: (peer: string, ask: IntroAsk, context: { displayName?: string }) => Promise<IntroDecision>
  poll: (peer: string, ticket: string) => Promise<IntroDecision>
  accept: (peer: string, offerId: string) => Promise<IntroDecision>
}

export interface NetAuditEvent {
  /** 'disclose' lists the item ids that left the node; 'refuse' the code of a refused request. */
  kind: 'disclose' | 'refuse' | 'intro'
  peer: string
  protocol: string
  action?: GrantAction
  items?: string[]
  code?: string
  detail?: string
}

export interface AuditSink {
  append: (event: NetAuditEvent) => Promise<void>
}

/** What the protocol handlers of a node use; a missing part makes its protocol refuse with E_DENIED. */
export interface NetDeps {
  grants?: GrantChecker
  consent?: ConsentGate
  audit?: AuditSink
  recall?: ScopedRecall
  responder?: Responder
  /** Where the transcripts of peers' conversations with our agent are kept (the owner reads them back). */
  conversations?: { record: (exchange: ConversationExchange) => Promise<void> }
}
