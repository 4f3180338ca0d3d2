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
