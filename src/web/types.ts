// The shapes of op results the pages show (the server's result schemas are the source of truth).

export type Visibility = 'private' | 'shareable' | 'public'
export const VISIBILITIES: Visibility[] = ['private', 'shareable', 'public']

export interface Memory {
  id: string
  text: string
  time?: string
  source: string
  speaker?: string
  visibility: Visibility
  topics: string[]
  from?: string[]
  addedAt: string
}

export interface Hit extends Omit<Memory, 'addedAt'> { score: number }

export interface Status {
  peerId: string
  displayName?: string
  stores: Record<string, { count: number, bytes: number }>
  diskBytes: number
}

export interface NetStatus { peerId: string, addresses: string[], connected: number, lastAnnounce: string | null }

export interface Bio { summary: string, facts: Array<{ id: string, text: string, time?: string }>, topics: string[] }

export interface Topic { topic: string, count: number, visibility: Visibility | 'mixed', declared: boolean }

export interface ConsentRequest {
  id: string
  peer: string
  displayName?: string
  state: string
  actions: string[]
  scope: { visibility: string[], topics?: string[] }
  purpose: string
  durationSec: number
  createdAt: string
  grantId?: string
}

export interface Grant {
  id: string
  direction: 'issued' | 'received'
  peer: string
  actions: string[]
  visibility: string[]
  topics?: string[]
  notBefore: string
  expires: string
  status: string
}

export interface AuditEntry {
  seq: number
  time: number
  kind: string
  decision: string
  peer?: string
  code?: string
  action?: string
  protocol?: string
  grantId?: string
  items?: string[]
  detail?: string
  hash: string
}

export interface AuditReport { ok: boolean, entries: number, brokenAt?: number, reason?: string }

export interface AskResult { text: string, cited: string[], mode: string, model: string, memories: Array<{ id: string, text: string, time?: string }> }

/** An L1 fact (from the `facts` op, when the node extracts facts). */
export interface Fact {
  id: string
  person: string
  text: string
  category: string
  /** Memory ids it was drawn from. */
  sources: string[]
  time?: string
  visibility: Visibility
}
