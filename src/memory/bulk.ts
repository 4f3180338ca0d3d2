// Bulk changes (a topic's visibility, a topic-scoped grant) show what they cover before they apply.

/** A bulk change needs confirmation above this many items or this share of memory. */
export const BULK_LIMIT = 10
export const BULK_SHARE = 0.1

export function isBulk (count: number, total: number): boolean {
  return count > BULK_LIMIT || (total > 0 && count / total > BULK_SHARE && count > 1)
}

export interface VisibilityChange {
  changed: number
  /** False when the change was only previewed (a bulk change without `yes`). */
  applied: boolean
  preview: { count: number, of: number, first: Array<{ id: string, text: string }> }
}
