import { PolicyError } from '../errors.js'
import type { SecondMe } from '../node.js'
import type { GrantAction, GrantToken } from '../policy/grant.js'
import type { Policy } from '../policy/policy.js'
import type { Scope } from '../scope.js'

// What the simulated owners do by hand: answer the consent queue, issue and revoke grants. All of
// it through the node's own policy (`me.policy`), the same component the CLI's commands use.

function policyOf (me: SecondMe): Policy {
  const policy = (me as unknown as { policy?: Policy }).policy
  if (policy === undefined) throw new PolicyError('E_DENIED', 'this build has no policy component on the node')
  return policy
}

export async function pendingAsks (me: SecondMe): Promise<Array<{ id: string, peer: string }>> {
  return (await policyOf(me).consent.list('pending')).map(r => ({ id: r.id, peer: r.peer }))
}

export async function approveAsk (me: SecondMe, id: string, approve: boolean): Promise<void> {
  if (approve) await policyOf(me).approve(id)
  else await policyOf(me).deny(id, 'simulation: the owner declined')
}

export async function issueGrant (me: SecondMe, audience: string, ask: { actions: GrantAction[], scope: Scope, durationSec: number }): Promise<GrantToken> {
  const issued = await policyOf(me).issue({ aud: audience, actions: ask.actions, scope: ask.scope, durationSec: ask.durationSec, purpose: 'simulation' })
  return issued.token
}

/** Revoke every active grant this owner issued to `peer`; returns how many. */
export async function revokeGrantTo (me: SecondMe, peer: string): Promise<number> {
  const policy = policyOf(me)
  const { issued } = await policy.book.list()
  const active = issued.filter(g => g.peer === peer && g.status === 'active')
  for (const grant of active) await policy.revoke(grant.id, 'simulation: revoked by the owner')
  return active.length
}
