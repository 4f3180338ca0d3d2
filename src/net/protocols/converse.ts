import { LRUCache } from 'lru-cache'
import { z } from 'zod'
import { PolicyError } from '../../errors.js'
import { GrantTokenSchema, type NetDeps } from '../ports.js'
import type { Handlers, ProtocolSpec } from '../wire/spec.js'
import { audited } from './audited.js'
import { cleanPeerText } from '../../util/terminal.js'
import { recallQueryFor } from '../../agent/follow-up.js'
import { errText, log } from '../../log.js'

const logConverse = log('net:converse')

export const CONVERSE_PROTOCOL = '/secondme/converse/1.0.0'

const Turn = z.object({
  grant: GrantTokenSchema,
  /** Chosen by the asker; the answering node keeps the dialogue's history under (peer, conversation). */
  conversation: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  turn: z.number().int().min(0).max(1000),
  text: z.string().min(1).max(4000)
}).strict()

export const ConverseReplySchema = z.object({
  conversation: z.string().max(64),
  turn: z.number().int(),
  text: z.string().max(16_000),
  cited: z.array(z.string().max(200)).max(20),
  mode: z.enum(['model', 'extractive'])
}).strict()

export const converseSpec = {
  id: CONVERSE_PROTOCOL,
  // Each turn (request and reply) is signed by its sender.
  signed: true,
  kinds: { turn: { request: Turn, response: ConverseReplySchema } }
} satisfies ProtocolSpec

export type ConverseSpec = typeof converseSpec
export type ConverseReply = z.infer<typeof ConverseReplySchema>

type HistoryItem = { from: 'peer' | 'self', text: string }

/** Dialogue histories, bounded in count and length (least recently used dropped). */
class Histories {
  readonly #items = new LRUCache<string, HistoryItem[]>({ max: 1_000 })

  take (key: string): HistoryItem[] {
    let history = this.#items.get(key)
    if (history === undefined) {
      history = []
      this.#items.set(key, history)
    }
    return history
  }
}

/** The answering agent sees only memories recalled under the asker's grant scope. */
export function converseHandlers (deps: NetDeps, options: { k?: number } = {}): Handlers<ConverseSpec['kinds']> {
  const histories = new Histories()
  return {
    turn: async (body, ctx) => await audited(deps.audit, { peer: ctx.peer, protocol: CONVERSE_PROTOCOL, action: 'converse' }, async () => {
      const { grants, recall, responder } = deps
      if (grants === undefined || recall === undefined || responder === undefined) throw new PolicyError('E_DENIED', 'this node does not converse')
      const scope = await grants.check(body.grant, { peer: ctx.peer, action: 'converse' })
      // The peer's words reach our model, history and logs cleaned of escape sequences.
      const question = cleanPeerText(body.text)
      const history = histories.take(`${ctx.peer}/${body.conversation}`)
      const memories = await recall.recall(recallQueryFor(question, history), scope, options.k ?? 5)
      const answer = await responder.respond({ question, memories, history: [...history], audience: 'peer', signal: ctx.signal })
      history.push({ from: 'peer', text: question }, { from: 'self', text: answer.text })
      if (history.length > 40) history.splice(0, history.length - 40)
      const reply = { conversation: body.conversation, turn: body.turn, text: answer.text.slice(0, 16_000), cited: answer.cited.slice(0, 20), mode: answer.mode }
      const disclosed = memories.map(m => m.id)
      // A transcript that cannot be written must not cost the peer its answer; the audit entry still is.
      await deps.conversations?.record({ peer: ctx.peer, conversation: body.conversation, direction: 'in', question, answer: reply.text, memories: disclosed })
        .catch((err: unknown) => { logConverse.error('transcript not kept: %s', errText(err)) })
      // Everything the answering agent saw counts as disclosed: it may have paraphrased any of it.
      return { result: reply, disclosed }
    })
  }
}
