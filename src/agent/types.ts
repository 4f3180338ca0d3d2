import type { Scope } from '../scope.js'

/** A memory as the agent sees it: already filtered to what the asker may see. */
export interface AgentMemory {
  id: string
  text: string
  time?: string
  source?: string
  score?: number
  /** Who said it, when known: an answer about one person is drawn from what that person said. */
  speaker?: string
  /** The id of the recalled question this memory replies to (the next turn of its conversation). */
  replyTo?: string
}

export interface RespondRequest {
  question: string
  /** Only memories inside the asker's scope; the responder never fetches more itself. */
  memories: AgentMemory[]
  /** Prior turns of an agent-to-agent conversation, oldest first. */
  history?: Array<{ from: 'peer' | 'self', text: string }>
  /** Who is asking: 'owner' may use models trained on private memory; a peer never does. */
  audience: 'owner' | 'peer'
  signal?: AbortSignal
  onText?: (chunk: string) => void
}

export interface RespondResult {
  text: string
  /** Memory ids the answer used. */
  cited: string[]
  /** 'model' when an LLM wrote it, 'extractive' when assembled from memories without a model. */
  mode: 'model' | 'extractive'
  /** The short answer ("7 May 2023"), without citations. */
  answer?: string
  /** The memory sentences the answer rests on, best first (shown by --explain / --json). */
  evidence?: Array<{ id: string, sentence: string, time?: string }>
  /** Generation cost when a model wrote it (tokens produced, generation time). */
  usage?: { tokens: number, ms: number }
}

/** Answers as the owner from the memories it is given. Used by `ask` and by the converse protocol. */
export interface Responder {
  respond: (request: RespondRequest) => Promise<RespondResult>
}

/** How the network asks the memory layer for in-scope memories before any agent sees them. */
export interface ScopedRecall {
  recall: (query: string, scope: Scope, k: number) => Promise<AgentMemory[]>
}
