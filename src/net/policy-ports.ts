import type { AuditEvent, Policy } from '../policy/index.js'
import type { AuditSink, ConsentGate, GrantChecker, NetAuditEvent } from './ports.js'

/** The policy as the three narrow ports the protocol handlers take (src/net/ports.ts). */
export function netPortsOf (policy: Policy): { grants: GrantChecker, consent: ConsentGate, audit: AuditSink } {
  return {
    grants: {
      // The handler audits the outcome itself (audited()), so this check does not write an entry.
      check: async (token, request) => (await policy.verify(token, request)).scope
    },
    consent: {
      ask: async (peer, ask, context) => await policy.requestConsent(peer, ask, context),
      poll: async (peer, ticket) => await policy.pollConsent(peer, ticket),
      accept: async (peer, offerId) => await policy.acceptOffer(peer, offerId)
    },
    audit: {
      append: async (event) => { await policy.appendAudit(auditEventOf(event)) }
    }
  }
}

function auditEventOf (event: NetAuditEvent): AuditEvent {
  const decision = event.kind === 'disclose' ? 'allow' : event.kind === 'refuse' || event.code !== undefined ? 'refuse' : 'info'
  return {
    kind: event.kind,
    peer: event.peer.slice(0, 128),
    decision,
    protocol: event.protocol.slice(0, 100),
    ...(event.action === undefined ? {} : { action: event.action }),
    ...(event.items === undefined ? {} : { items: event.items.slice(0, 1000) }),
    ...(event.code === undefined ? {} : { code: event.code.slice(0, 40) }),
    ...(event.detail === undefined ? {} : { detail: event.detail.slice(0, 200) })
  }
}
