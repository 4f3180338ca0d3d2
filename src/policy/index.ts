/**
 * Policy: grants (capability tokens), revocations, received grants, standing rules, the consent
 * queue and the hash-chained audit log. `me.policy` is a `Policy`.
 *
 * Stable interface for the network layer (keep these signatures):
 *
 *   me.policy.authorize({ peer, action, token, request?: { nonce, created, expires }, topics?, protocol? })
 *       → Promise<{ scope: Scope, grantId: string }>
 *     Replay check of the request stamp (if given), full grant check, one audit entry either way.
 *     Throws PolicyError: E_GRANT_INVALID | E_GRANT_SIGNATURE | E_GRANT_AUDIENCE | E_GRANT_REVOKED |
 *     E_GRANT_EXPIRED | E_GRANT_NOT_YET_VALID | E_GRANT_SCOPE | E_GRANT_WIDENS | E_GRANT_REPLAY.
 *   me.policy.verify(token, { peer, action, topics? }) → Promise<VerifiedGrant>   (same checks, no audit, no replay)
 *   me.policy.auditDisclosure(peer, grantId | undefined, itemIds, protocol?) → Promise<void>   (ids only)
 *   me.policy.requestConsent(peer, ask: { actions, scope, purpose, durationSec }, { displayName? })
 *       → Promise<ConsentDecision>   granted (rule) | refused (rule) | pending { ticket }
 *   me.policy.pollConsent(peer, ticket) → Promise<ConsentDecision>   (E_NOT_FOUND for another peer's ticket)
 *   me.policy.acceptOffer(peer, offerId) → Promise<ConsentDecision>
 *   me.policy.receivedGrantFor(peer, action) → Promise<GrantToken | undefined>   (a grant `peer` gave us)
 *   me.policy.importGrant(tokenOrCompact) → Promise<{ id, token, compact }>   (store a grant given to us)
 *   netPortsOf(me.policy) → { grants: GrantChecker, consent: ConsentGate, audit: AuditSink }  (src/net/ports.ts)
 *   new ReplayCache().check(peer, { nonce, created, expires }) — throws E_GRANT_REPLAY
 *
 * Tokens travel as JSON objects (`GrantToken`) or, on a command line, as `encodeGrant(token)`
 * ("smg1.<base64url canonical JSON>"); `parseGrant` accepts both. Times are epoch milliseconds.
 */
export { Policy, type AuthorizeRequest, type IssueOptions, type IssuedGrant, type ConsentDecision, type ApproveOptions } from './policy.js'
export { netPortsOf } from './net-ports.js'
export { ReplayCache, type RequestStamp, type ReplayCacheInit } from './replay.js'
export { verifyGrant, type VerifyOptions, type VerifiedGrant } from './verify.js'
export {
  GRANT_ACTIONS, type GrantAction, type GrantToken, type GrantPayload, GrantTokenSchema, ScopeSchema,
  encodeGrant, parseGrant, grantId, signGrant, normaliseScope
} from './grant.js'
export { scopeWithin } from './narrow.js'
export { AuditLog, AUDIT_STORE, AUDIT_HEAD_STORE, type AuditEntry, type AuditEvent, type AuditVerifyReport } from './audit.js'
export { Rules, RULES_STORE, RuleInputSchema, type Rule, type RuleInput } from './rules.js'
export { ConsentQueue, CONSENT_STORE, CONSENT_STATES, ConsentAskSchema, type ConsentAsk, type ConsentRecord } from './consent.js'
export { GrantBook, ISSUED_STORE, REVOKED_STORE, RECEIVED_STORE, summarise as summariseGrant, type GrantSummary } from './grant-book.js'

import { AUDIT_HEAD_STORE, AUDIT_STORE } from './audit.js'
import { CONSENT_STORE } from './consent.js'
import { ISSUED_STORE, RECEIVED_STORE, REVOKED_STORE } from './grant-book.js'
import { RULES_STORE } from './rules.js'

export const POLICY_STORES: string[] = [ISSUED_STORE, REVOKED_STORE, RECEIVED_STORE, RULES_STORE, CONSENT_STORE, AUDIT_STORE, AUDIT_HEAD_STORE]
