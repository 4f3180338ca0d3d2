import type { Config } from '../config.js'
import type { HomePaths } from '../home.js'
import type { Memory } from '../memory/memory.js'
import type { AgentMemory, MemoryConfig } from '../memory/types.js'
import type { Models } from '../model/models.js'

// AgentMemory and ScopedRecall are memory's answer to the agent and the network: memory defines
// them (a lower layer never imports the agent), the agent re-exports them for its callers.
export type { AgentMemory, ScopedRecall } from '../memory/types.js'

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

/**
 * What the agent uses of a Second Me (a `SecondMe` is one): its memory, models, settings and
 * folders. The agent layer names only these, never the node that composes them.
 */
export interface AgentHost {
  readonly memory: Memory
  readonly models: Models
  readonly config: Config
  /** The parsed config sections the agent reads. */
  readonly settings: { readonly memory: MemoryConfig }
  readonly paths: HomePaths
}
