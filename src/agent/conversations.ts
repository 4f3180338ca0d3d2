import { z } from 'zod'
import type { Vault } from '../vault/index.js'
import type { VaultStore } from '../vault/store.js'

// Transcripts of agent-to-agent conversations, both ways: the owner's agent asking a peer's ('out')
// and a peer's agent asking the owner's ('in'). Each turn keeps which memory ids were disclosed, so
// the owner can read back what their Second Me said and showed. Kept in the encrypted vault, bounded.

export const CONVERSATIONS_STORE = 'agent-conversations'
const MAX_TURNS = 200
const MAX_CONVERSATIONS = 1000

export const ConversationTurnSchema = z.object({
  from: z.enum(['self', 'peer']),
  text: z.string(),
  at: z.number().int(),
  /** Memory ids: ours a peer was shown ('in'), or the peer's it cited to us ('out'). */
  memories: z.array(z.string()).optional()
})
export type ConversationTurn = z.infer<typeof ConversationTurnSchema>

export const ConversationSchema = z.object({
  id: z.string(),
  peer: z.string(),
  direction: z.enum(['in', 'out']),
  startedAt: z.number().int(),
  updatedAt: z.number().int(),
  turns: z.array(ConversationTurnSchema)
})
export type Conversation = z.infer<typeof ConversationSchema>
export type ConversationDirection = Conversation['direction']

export interface ConversationExchange {
  peer: string
  conversation: string
  direction: ConversationDirection
  question: string
  answer: string
  /** Memory ids behind the answer (see ConversationTurn.memories). */
  memories: string[]
}

export class ConversationLog {
  readonly #vault: Vault
  // Appends to one transcript are read-modify-write: serialise them so concurrent turns are all kept.
  #queue: Promise<unknown> = Promise.resolve()

  constructor (vault: Vault) {
    this.#vault = vault
  }

  /** Append one question and its answer to the transcript they belong to. */
  async record (exchange: ConversationExchange): Promise<void> {
    const next = this.#queue.then(async () => { await this.#append(exchange) })
    this.#queue = next.catch(() => undefined)
    await next
  }

  /** Transcripts, most recently active first; optionally one peer's only. */
  async list (options: { peer?: string, limit?: number } = {}): Promise<Conversation[]> {
    const all = await this.#all()
    const mine = options.peer === undefined ? all : all.filter(c => c.peer === options.peer)
    return mine.slice(0, options.limit ?? 50)
  }

  async #append (x: ConversationExchange): Promise<void> {
    const key = `${x.direction}/${x.peer}/${x.conversation}`
    const now = Date.now()
    const parsed = ConversationSchema.safeParse(await this.#store().get(key))
    const base: Conversation = parsed.success ? parsed.data : { id: x.conversation, peer: x.peer, direction: x.direction, startedAt: now, updatedAt: now, turns: [] }
    const asker: ConversationTurn = { from: x.direction === 'in' ? 'peer' : 'self', text: x.question, at: now }
    const answerer: ConversationTurn = { from: x.direction === 'in' ? 'self' : 'peer', text: x.answer, at: now, memories: x.memories }
    const turns = [...base.turns, asker, answerer].slice(-MAX_TURNS)
    await this.#store().put(key, { ...base, updatedAt: now, turns })
    if (!parsed.success) await this.#evictBeyondLimit()
  }

  /** Drop the least recently active transcripts beyond the limit (a peer cannot fill the disk). */
  async #evictBeyondLimit (): Promise<void> {
    const all = await this.#all()
    for (const old of all.slice(MAX_CONVERSATIONS)) await this.#store().del(`${old.direction}/${old.peer}/${old.id}`)
  }

  async #all (): Promise<Conversation[]> {
    const out: Conversation[] = []
    for await (const [, value] of this.#store().entries()) {
      const parsed = ConversationSchema.safeParse(value)
      if (parsed.success) out.push(parsed.data)
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt)
  }

  #store (): VaultStore<unknown> {
    return this.#vault.store<unknown>(CONVERSATIONS_STORE)
  }
}
