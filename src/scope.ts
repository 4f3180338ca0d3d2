import { z } from 'zod'

// Visibility labels and disclosure scopes, shared by memory (filtering inside retrieval),
// policy (grants carry a scope) and the agent (which only ever sees in-scope memories).

export const VISIBILITIES = ['private', 'shareable', 'public'] as const
export type Visibility = typeof VISIBILITIES[number]

/**
 * What a requester may see. A memory is in scope when its visibility is listed AND, if `topics`
 * is given, it belongs to at least one of those topics (normalised labels). The owner's own
 * scope is `OWNER_SCOPE`.
 */
export interface Scope {
  visibility: Visibility[]
  topics?: string[]
}

export const OWNER_SCOPE: Scope = { visibility: ['private', 'shareable', 'public'] }
export const PUBLIC_SCOPE: Scope = { visibility: ['public'] }

/** Topic labels compare case- and space-insensitively. */
export function normaliseTopic (topic: string): string {
  return topic.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ')
}

export function inScope (scope: Scope, item: { visibility: Visibility, topics: readonly string[] }): boolean {
  if (!scope.visibility.includes(item.visibility)) return false
  if (scope.topics === undefined) return true
  const wanted = new Set(scope.topics.map(normaliseTopic))
  return item.topics.some(t => wanted.has(normaliseTopic(t)))
}

/** What a grant can allow; the same list for grants, consent requests and the wire. */
export const GRANT_ACTIONS = ['memory:read', 'converse', 'introduce'] as const
export type GrantAction = typeof GRANT_ACTIONS[number]

export const ScopeSchema = z.object({
  visibility: z.array(z.enum(VISIBILITIES)).min(1).max(3),
  topics: z.array(z.string().min(1).max(100)).min(1).max(50).optional()
}).strict()

/** A request for access: sent in an introduction, queued for the owner's consent, countered. */
export const AccessAskSchema = z.object({
  actions: z.array(z.enum(GRANT_ACTIONS)).min(1).max(3),
  scope: ScopeSchema,
  purpose: z.string().min(1).max(500),
  /** How long the asker wants the grant for. */
  durationSec: z.number().int().min(60).max(90 * 24 * 3600)
}).strict()
export type AccessAsk = z.infer<typeof AccessAskSchema>
