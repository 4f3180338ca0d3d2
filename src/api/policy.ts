import { z } from 'zod'
import { CONSENT_STATES, GRANT_ACTIONS, RuleInputSchema } from '../policy/index.js'
import { VISIBILITIES } from '../scope.js'
import { AuditEntrySchema } from '../policy/audit.js'
import { RuleSchema } from '../policy/rules.js'
import { ScopeSchema } from '../scope.js'
import { defineOp } from './op.js'
import { isBulk } from '../memory/bulk.js'

// Ops of the policy area: grants, revocation, consent queue, standing rules, audit log.

const Peer = z.string().min(10).max(128)
const Actions = z.array(z.enum(GRANT_ACTIONS)).min(1).max(3)
const Visibility = z.array(z.enum(VISIBILITIES)).min(1).max(3)
const Topics = z.array(z.string().min(1).max(100)).min(1).max(50)
const Duration = z.number().int().min(60).max(365 * 86_400)

const Action = z.enum(GRANT_ACTIONS)
const State = z.enum(CONSENT_STATES)
/** One grant as listed (policy/grant-book.ts GrantSummary). */
const GrantSummary = z.object({
  id: z.string(),
  direction: z.enum(['issued', 'received']),
  peer: z.string(),
  actions: z.array(Action),
  visibility: z.array(z.string()),
  topics: z.array(z.string()).optional(),
  notBefore: z.string(),
  expires: z.string(),
  status: z.enum(['active', 'expired', 'not-yet-valid', 'revoked']),
  derivedFrom: z.string().optional()
})
const ConsentRow = z.object({
  id: z.string(),
  peer: z.string(),
  displayName: z.string().optional(),
  state: State,
  actions: z.array(Action),
  scope: ScopeSchema,
  purpose: z.string(),
  durationSec: z.number(),
  createdAt: z.string(),
  grantId: z.string().optional(),
  /** How many memories the asked scope covers now. */
  covers: z.number()
})

export const grantOp = defineOp({
  name: 'grant',
  summary: 'issue a signed grant to a peer; returns the token to hand over',
  params: z.object({
    peer: Peer,
    actions: Actions,
    visibility: Visibility.default(['shareable']),
    topics: Topics.optional(),
    durationSec: Duration.default(3600),
    purpose: z.string().max(500).optional(),
    /** Derive from a grant given to this node (narrowing only). */
    parent: z.string().max(16_384).optional()
  }),
  result: z.object({ id: z.string(), token: z.string(), expires: z.string() }),
  run: async (me, p) => {
    const issued = await me.policy.issue({
      aud: p.peer,
      actions: p.actions,
      scope: { visibility: p.visibility, ...(p.topics === undefined ? {} : { topics: p.topics }) },
      durationSec: p.durationSec,
      ...(p.purpose === undefined ? {} : { purpose: p.purpose }),
      ...(p.parent === undefined ? {} : { parent: p.parent })
    })
    return { id: issued.id, token: issued.compact, expires: new Date(issued.token.exp).toISOString() }
  }
})

export const grantsOp = defineOp({
  name: 'grants',
  summary: 'grants this node issued and received, with their status',
  params: z.object({}),
  result: z.object({ issued: z.array(GrantSummary), received: z.array(GrantSummary) }),
  run: async (me) => await me.policy.book.list()
})

export const revokeOp = defineOp({
  name: 'revoke',
  summary: 'revoke a grant this node issued (full id or unique prefix)',
  params: z.object({ id: z.string().min(8).max(32), reason: z.string().max(200).optional() }),
  result: z.object({ id: z.string(), revokedAt: z.string(), already: z.boolean() }),
  run: async (me, p) => await me.policy.revoke(p.id, p.reason)
})

export const importGrantOp = defineOp({
  name: 'grants.import',
  summary: 'store a grant another node gave this node out of band',
  params: z.object({ token: z.string().min(1).max(16_384) }),
  result: z.object({ id: z.string(), issuer: z.string(), actions: z.array(Action), expires: z.string() }),
  run: async (me, p) => {
    const imported = await me.policy.importGrant(p.token)
    return { id: imported.id, issuer: imported.token.iss, actions: imported.token.cmd, expires: new Date(imported.token.exp).toISOString() }
  }
})

export const consentListOp = defineOp({
  name: 'consent',
  summary: 'requests waiting for (or decided by) the owner',
  params: z.object({ state: z.enum(CONSENT_STATES).optional() }),
  result: z.object({ requests: z.array(ConsentRow) }),
  run: async (me, p) => ({
    requests: (await me.policy.consent.list(p.state)).map(r => ({
      id: r.id, peer: r.peer, displayName: r.displayName, state: r.state, actions: r.ask.actions, scope: r.ask.scope,
      /** How many memories the requested grant would cover. */
      covers: me.memory.list({ scope: r.ask.scope }).length,
      purpose: r.ask.purpose, durationSec: r.ask.durationSec, createdAt: new Date(r.createdAt).toISOString(), grantId: r.grantId
    }))
  })
})

export const consentApproveOp = defineOp({
  name: 'consent.approve',
  summary: 'approve a pending request (optionally narrowed, or as a counter-offer)',
  params: z.object({
    id: z.string().min(1).max(40),
    actions: Actions.optional(),
    visibility: Visibility.optional(),
    topics: Topics.optional(),
    durationSec: Duration.optional(),
    counter: z.boolean().optional(),
    /** Approve a grant covering more than 10 memories or 10% of memory; without it such a grant is only previewed. */
    yes: z.boolean().default(false)
  }),
  result: z.object({
    id: z.string(), state: State, peer: z.string(), grantId: z.string().optional(),
    /** False when a bulk approval was only previewed (no `yes`). */
    applied: z.boolean(),
    preview: z.object({ count: z.number(), of: z.number(), first: z.array(z.object({ id: z.string(), text: z.string() })) })
  }),
  run: async (me, p) => {
    const pending = await me.policy.consent.get(p.id)
    const narrowed = p.visibility !== undefined || p.topics !== undefined
    const scope = narrowed ? { visibility: p.visibility ?? pending.ask.scope.visibility, ...((p.topics ?? pending.ask.scope.topics) === undefined ? {} : { topics: p.topics ?? pending.ask.scope.topics }) } : undefined
    const covered = me.memory.list({ scope: scope ?? pending.ask.scope })
    const preview = { count: covered.length, of: me.memory.size, first: covered.slice(0, 5).map(i => ({ id: i.id, text: i.text.slice(0, 120) })) }
    if (!p.yes && p.counter !== true && isBulk(covered.length, me.memory.size)) return { id: pending.id, state: pending.state, peer: pending.peer, applied: false, preview }
    const record = await me.policy.approve(p.id, {
      ...(p.actions === undefined ? {} : { actions: p.actions }),
      ...(scope === undefined ? {} : { scope }),
      ...(p.durationSec === undefined ? {} : { durationSec: p.durationSec }),
      ...(p.counter === undefined ? {} : { counter: p.counter })
    })
    return { id: record.id, state: record.state, peer: record.peer, grantId: record.grantId, applied: true, preview }
  }
})

export const consentDenyOp = defineOp({
  name: 'consent.deny',
  summary: 'deny a pending request',
  params: z.object({ id: z.string().min(1).max(40), reason: z.string().max(200).optional() }),
  result: z.object({ id: z.string(), state: State, peer: z.string() }),
  run: async (me, p) => {
    const record = await me.policy.deny(p.id, p.reason)
    return { id: record.id, state: record.state, peer: record.peer }
  }
})

export const rulesOp = defineOp({
  name: 'rules',
  summary: 'standing rules that answer requests without asking the owner',
  params: z.object({}),
  result: z.object({ rules: z.array(RuleSchema) }),
  run: async (me) => ({ rules: await me.policy.rules.list() })
})

export const rulesAddOp = defineOp({
  name: 'rules.add',
  summary: 'add a standing rule',
  params: RuleInputSchema,
  result: RuleSchema,
  run: async (me, p) => await me.policy.rules.add(p)
})

export const rulesRemoveOp = defineOp({
  name: 'rules.remove',
  summary: 'remove a standing rule',
  params: z.object({ id: z.string().min(1).max(40) }),
  result: z.object({ removed: z.string() }),
  run: async (me, p) => {
    await me.policy.rules.remove(p.id)
    return { removed: p.id }
  }
})

export const auditOp = defineOp({
  name: 'audit',
  summary: 'the newest audit log entries (decisions and disclosed item ids)',
  params: z.object({ limit: z.number().int().min(1).max(10_000).default(50) }),
  result: z.object({ entries: z.array(AuditEntrySchema) }),
  run: async (me, p) => ({ entries: await me.policy.audit.list(p.limit) })
})

export const auditVerifyOp = defineOp({
  name: 'audit.verify',
  summary: 'walk the audit hash chain and report the first broken entry',
  params: z.object({}),
  result: z.object({ ok: z.boolean(), entries: z.number(), brokenAt: z.number().optional(), reason: z.string().optional() }),
  run: async (me) => await me.policy.audit.verify()
})

export const policyOps = [
  grantOp, grantsOp, revokeOp, importGrantOp, consentListOp, consentApproveOp, consentDenyOp,
  rulesOp, rulesAddOp, rulesRemoveOp, auditOp, auditVerifyOp
] as const
