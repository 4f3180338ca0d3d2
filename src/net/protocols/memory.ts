import { z } from 'zod'
import { PolicyError } from '../../errors.js'
import { GrantTokenSchema, type NetDeps } from '../ports.js'
import type { Handlers, ProtocolSpec } from '../wire/spec.js'
import { audited } from './audited.js'

export const MEMORY_PROTOCOL = '/secondme/memory/1.0.0'

export const MemoryItemSchema = z.object({
  id: z.string().min(1).max(200),
  text: z.string().max(8000),
  time: z.string().max(64).optional(),
  source: z.string().max(300).optional(),
  score: z.number().optional()
}).strict()

const Query = z.object({
  grant: GrantTokenSchema,
  query: z.string().min(1).max(1000),
  k: z.number().int().min(1).max(20).default(5)
}).strict()

const Answer = z.object({ items: z.array(MemoryItemSchema).max(20) }).strict()

export const memorySpec = {
  id: MEMORY_PROTOCOL,
  // Not frame-signed: noise authenticates the channel and the grant carries the owner's signature.
  signed: false,
  kinds: { query: { request: Query, response: Answer } }
} satisfies ProtocolSpec

export type MemorySpec = typeof memorySpec
export type MemoryItem = z.infer<typeof MemoryItemSchema>

/** Grant check first, then recall under the grant's scope only: nothing out of scope is ever read. */
export function memoryHandlers (deps: NetDeps): Handlers<MemorySpec['kinds']> {
  return {
    query: async (body, ctx) => await audited(deps.audit, { peer: ctx.peer, protocol: MEMORY_PROTOCOL, action: 'memory:read' }, async () => {
      const { grants, recall } = deps
      if (grants === undefined || recall === undefined) throw new PolicyError('E_DENIED', 'this node does not share memories')
      const scope = await grants.check(body.grant, { peer: ctx.peer, action: 'memory:read' })
      const items = await recall.recall(body.query, scope, body.k)
      return { result: { items: items.map(toItem) }, disclosed: items.map(i => i.id) }
    })
  }
}

function toItem (m: { id: string, text: string, time?: string, source?: string, score?: number }): MemoryItem {
  return {
    id: m.id,
    text: m.text,
    ...(m.time === undefined ? {} : { time: m.time }),
    ...(m.source === undefined ? {} : { source: m.source }),
    ...(m.score === undefined ? {} : { score: m.score })
  }
}
