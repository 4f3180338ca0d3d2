import { PolicyError } from '../errors.js'
import { normaliseTopic, type Scope } from '../scope.js'
import type { GrantPayload } from './grant.js'

/** True when `inner` allows nothing that `outer` does not. */
export function scopeWithin (inner: Scope, outer: Scope): boolean {
  if (!inner.visibility.every(v => outer.visibility.includes(v))) return false
  if (outer.topics === undefined) return true
  if (inner.topics === undefined) return false
  const allowed = new Set(outer.topics.map(normaliseTopic))
  return inner.topics.every(t => allowed.has(normaliseTopic(t)))
}

/** A derived grant may only narrow its parent: actions, visibility, topics, time window. */
export function assertNarrows (parent: GrantPayload, child: GrantPayload): void {
  const wider = (what: string): never => { throw new PolicyError('E_GRANT_WIDENS', `derived grant widens its parent: ${what}`) }
  if (!child.cmd.every(a => parent.cmd.includes(a))) wider('actions')
  if (!child.pol.visibility.every(v => parent.pol.visibility.includes(v))) wider('visibility')
  if (!scopeWithin(child.pol, parent.pol)) wider('topics')
  if (child.exp > parent.exp) wider('expiry')
  if (child.nbf < parent.nbf) wider('not-before')
  if (child.sub !== parent.sub) wider('subject')
}

/**
 * The part of `scope` a request asks for: a request may name topics (narrowing further);
 * a topic outside the grant is E_GRANT_SCOPE, never silently dropped.
 */
export function effectiveScope (scope: Scope, requestedTopics: readonly string[] | undefined): Scope {
  if (requestedTopics === undefined || requestedTopics.length === 0) return scope
  const asked = [...new Set(requestedTopics.map(normaliseTopic))]
  if (scope.topics !== undefined) {
    const allowed = new Set(scope.topics.map(normaliseTopic))
    const outside = asked.filter(t => !allowed.has(t))
    if (outside.length > 0) throw new PolicyError('E_GRANT_SCOPE', `topic(s) outside the grant: ${outside.join(', ')}`)
  }
  return { visibility: scope.visibility, topics: asked }
}
