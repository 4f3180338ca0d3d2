/**
 * Policy: grants (capability tokens), revocations, received grants, standing rules, the consent
 * queue and the hash-chained audit log. `me.policy` is a `Policy`.
 *
 * How a peer's request is checked — one path, in the network layer, for every protocol:
 *   1. src/net/wire/server.ts `admit`: the sender is the connected peer, the frame signature verifies,
 *      then `ReplayGuard.check` (src/net/wire/replay.ts) takes the request stamp once:
 *      created in the future or a lifetime over MAX_REQUEST_TTL_MS → E_BAD_MESSAGE; expired →
 *      E_TIMEOUT; nonce already used → E_GRANT_REPLAY; too many live nonces → E_RATE_LIMITED.
 *      These refusals disclose nothing and come before any grant, so they are not audited (an
 *      unauthenticated flood must not write to the disk).
 *   2. the protocol handler runs inside `audited()` (src/net/protocols/audited.ts) and checks the
 *      presented grant with `GrantChecker.check` = `me.policy.verify` (netPortsOf in src/net/policy-ports.ts). Its
 *      outcome is one audit entry: `disclose` with the item ids (never text), or `refuse` with the code.
 * The HTTP A2A door uses the same `audited()` around its own bearer-grant check.
 *
 * Interface for the network layer (keep these signatures):
 *
 *   me.policy.verify(token, { peer, action, topics? }) → Promise<VerifiedGrant>   (no audit: the caller audits)
 *     Throws PolicyError: E_GRANT_INVALID | E_GRANT_SIGNATURE | E_GRANT_AUDIENCE | E_GRANT_REVOKED |
 *     E_GRANT_EXPIRED | E_GRANT_NOT_YET_VALID | E_GRANT_SCOPE | E_GRANT_WIDENS.
 *   me.policy.requestConsent(peer, ask: { actions, scope, purpose, durationSec }, { displayName? })
 *       → Promise<ConsentDecision>   granted (rule) | refused (rule) | pending { ticket }
 *   me.policy.pollConsent(peer, ticket) → Promise<ConsentDecision>   (E_NOT_FOUND for another peer's ticket)
 *   me.policy.acceptOffer(peer, offerId) → Promise<ConsentDecision>
 *   me.policy.receivedGrantFor(peer, action) → Promise<GrantToken | undefined>   (a grant `peer` gave us)
 *   me.policy.importGrant(tokenOrCompact) → Promise<{ id, token, compact }>   (store a grant given to us)
 *   netPortsOf(me.policy) → { grants: GrantChecker, consent: ConsentGate, audit: AuditSink }  (src/net/policy-ports.ts)
 *
 * Tokens travel as JSON objects (`GrantToken`) or, on a command line, as `encodeGrant(token)`
 * ("smg1.<base64url canonical JSON>"); `parseGrant` accepts both. Times are epoch milliseconds.
 */
export { Policy, type IssueOptions, type IssuedGrant, type ConsentDecision, type ApproveOptions } from './policy.js'
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
